/// Reads RFC 3339 times given on the command line and in rule-test files.
public enum RFC3339 {
    /// What reading a text as an RFC 3339 time found.
    public enum Reading: Hashable, Sendable {
        /// An RFC 3339 time within ``Instant/earliest``...``Instant/latest``.
        case instant(Instant)
        /// An RFC 3339 time after ``Instant/latest``.
        case afterLatest
        /// An RFC 3339 time before ``Instant/earliest``.
        case beforeEarliest
        /// Not exactly one RFC 3339 time.
        case notATime
    }

    /// The instant of `text`, an RFC 3339 / ISO 8601 time such as `2005-06-16T04:10:24Z`
    /// (a space for `T`, fractions and offsets allowed; no offset means UTC), or nil when
    /// `text` is not exactly one such time or lies outside ``Instant/earliest``...``Instant/latest``.
    public static func parse(_ text: String) -> Instant? {
        if case .instant(let instant) = read(text) { return instant }
        return nil
    }

    /// Reads `text` as ``parse(_:)`` does, telling a well-formed time outside Heartline's range
    /// (`2500-01-01T00:00:00Z`) from text that is no time at all.
    ///
    /// - Parameter text: The time as written.
    /// - Returns: The instant, or why there is none.
    public static func read(_ text: String) -> Reading {
        guard !text.contains(where: \.isWhitespace) || text.split(separator: " ").count == 2,
            var parser = try? TimestampParser(
                spec: TimestampSpec(format: .rfc3339), yearRule: .rolling(startYear: 1970))
        else { return .notATime }
        if let instant = parser.parse(text) { return .instant(instant) }
        guard let (seconds, nanosecond) = unboundedTime(text) else { return .notATime }
        if seconds > Instant.latest.seconds || (seconds == Instant.latest.seconds && nanosecond > 0) {
            return .afterLatest
        }
        return seconds < Instant.earliest.seconds ? .beforeEarliest : .notATime
    }

    /// The seconds since the epoch and the nanoseconds past them that a well-formed RFC 3339 stamp
    /// spells, with no bound on the year; nil when `text` does not start with one.
    private static func unboundedTime(_ text: String) -> (seconds: Int64, nanosecond: Int)? {
        var text = text
        return text.withUTF8 { utf8 -> (seconds: Int64, nanosecond: Int)? in
            var fields = StampFields()
            guard StampFields.rfc3339(UnsafeRawBufferPointer(utf8), at: 0, into: &fields), let year = fields.year,
                (1...12).contains(fields.month), fields.day >= 1,
                fields.day <= StampBytes.daysIn(month: fields.month, year: year)
            else { return nil }
            let days = Int64(CivilDate.days(year: year, month: fields.month, day: fields.day))
            return (days * 86_400 + Int64(fields.secondOfDay) - Int64(fields.utcOffset ?? 0), fields.nanosecond)
        }
    }
}
