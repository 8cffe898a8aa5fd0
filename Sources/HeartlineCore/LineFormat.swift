/// How a line's fields are read for field matchers: as a JSON object, as logfmt, or not at all.
///
/// Whitespace around a JSON line is RFC 8259's: space, tab, line feed and carriage return. A line
/// that cannot be decoded in its format is undecodable: ``FieldDecoder`` reports why, the caller
/// counts it, and field matchers see no fields on it (its text can still match regexes).
public enum LineFormat: String, Sendable, Hashable, CaseIterable {
    /// Decides per line. A line whose first non-whitespace byte is `{` is read as ``json``, and one
    /// that is not valid JSON is undecodable; any other line is read as ``logfmt``.
    ///
    /// A `{` line is never read as logfmt after failing as JSON: logfmt would turn a broken JSON
    /// line into keys such as `{"level"` that no pattern means, and the breakage would go uncounted.
    case auto
    /// A JSON object (RFC 8259) spanning the whole line, whitespace around it allowed. Any other
    /// line is undecodable: another JSON value (array, string, number), invalid JSON, or JSON
    /// nested or sized beyond ``FieldDecoder/Limits``.
    case json
    /// `key=value` pairs as github.com/go-logfmt/logfmt reads them (brandur.org/logfmt). A syntax
    /// error such as an unterminated quoted value makes the line undecodable.
    case logfmt
    /// No fields: the line is only text.
    case text
}
