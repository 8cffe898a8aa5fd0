public import HeartlineRegex

/// One pattern of a job as written in its pattern file, compiled: a regex over the line's text, a
/// set of field conditions, or both (SPEC §7: "a pattern is then a mapping instead of a regex").
///
/// A pattern matches a line when its regex (if any) matches the line's text, unanchored, and every
/// field condition holds on the line's fields (see ``FieldCondition``). The text is the line
/// itself for a plain file and `MESSAGE` for a journal entry.
public struct PatternSpec: Sendable {
    /// The compiled PCRE2 pattern over the text, or nil for a pattern of field conditions only.
    public var regex: CompiledRegex?
    /// Conditions on fields, all of which must hold; empty for a plain regex.
    public var fields: [FieldCondition]
    /// For a `measure` pattern written as a mapping: the field holding the number (`value:`). Nil
    /// reads the number from the regex's named group `value`.
    public var valueField: String?
    /// Where the pattern starts in the file.
    public var location: SourceLocation

    /// The pattern as a person reads it: the regex's source for a plain regex, otherwise a short
    /// flow-style rendering such as `{regex: 'done', fields: {level: info}}`.
    public var source: String {
        guard !fields.isEmpty || valueField != nil else { return regex?.pattern ?? "" }
        var parts: [String] = []
        if let regex { parts.append("regex: '\(regex.pattern)'") }
        if !fields.isEmpty { parts.append("fields: {" + fields.map(\.description).joined(separator: ", ") + "}") }
        if let valueField { parts.append("value: \(valueField)") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Whether the pattern reads fields (conditions or a `value` field), so that lines must be decoded.
    public var usesFields: Bool { !fields.isEmpty || valueField != nil }

    /// Wraps a compiled regex: a plain pattern.
    public init(regex: CompiledRegex, location: SourceLocation) {
        self.init(regex: regex, fields: [], location: location)
    }

    /// Creates a pattern with field conditions.
    ///
    /// - Parameters:
    ///   - regex: A regex the text must match as well, or nil.
    ///   - fields: Conditions that must all hold.
    ///   - valueField: For `measure`, the field with the number, or nil for the regex's `value` group.
    ///   - location: Where the pattern starts in the file.
    public init(regex: CompiledRegex?, fields: [FieldCondition], valueField: String? = nil, location: SourceLocation) {
        self.regex = regex
        self.fields = fields
        self.valueField = valueField
        self.location = location
    }
}
