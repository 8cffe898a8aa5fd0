/// Reads RFC 3339 times given on the command line and in rule-test files.
public enum RFC3339 {
    /// The instant of `text`, an RFC 3339 / ISO 8601 time such as `2005-06-16T04:10:24Z`
    /// (a space for `T`, fractions and offsets allowed; no offset means UTC), or nil when
    /// `text` is not exactly one such time.
    public static func parse(_ text: String) -> Instant? {
        guard !text.contains(where: \.isWhitespace) || text.split(separator: " ").count == 2,
            var parser = try? TimestampParser(
                spec: TimestampSpec(format: .rfc3339), yearRule: .rolling(startYear: 1970))
        else { return nil }
        return parser.parse(text)
    }
}
