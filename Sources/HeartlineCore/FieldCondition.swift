public import HeartlineRegex

/// One condition of a field pattern (`fields:` in a pattern mapping): a field and the tests its
/// value must pass, all of them.
///
/// The field is named by a path: a journal field name (`JOB_RESULT`) for a journal entry's own
/// fields, otherwise a key of the line's JSON object or logfmt pairs, with dots into nested JSON
/// objects (`error.code`); see ``FieldDecoder`` for how lines are decoded.
public struct FieldCondition: Sendable, CustomStringConvertible {
    /// One test on a field's value.
    public enum Test: Sendable {
        /// The value's text equals one of these (a number field also equals a number written
        /// differently, e.g. `1200` and `1200.0`).
        case equals([String])
        /// The regex matches the value's text, unanchored.
        case regex(CompiledRegex)
        /// The value is a number strictly above the bound.
        case above(Double)
        /// The value is a number strictly below the bound.
        case below(Double)
        /// The field is present (true) or absent (false). Every other test also needs it present.
        case present(Bool)
    }

    /// The field's path as written, e.g. `msg`, `error.code`, `INVOCATION_ID`.
    public var field: String
    /// The tests, all of which must hold.
    public var tests: [Test]
    /// Where the condition is written.
    public var location: SourceLocation

    /// Creates a condition.
    public init(field: String, tests: [Test], location: SourceLocation) {
        self.field = field
        self.tests = tests
        self.location = location
    }

    /// `field: test`, as in a flow mapping.
    public var description: String {
        let rendered = tests.map { test -> String in
            switch test {
            case .equals(let values): values.count == 1 ? values[0] : "[" + values.joined(separator: ", ") + "]"
            case .regex(let regex): "{regex: '\(regex.pattern)'}"
            case .above(let bound): "{above: \(bound)}"
            case .below(let bound): "{below: \(bound)}"
            case .present(let present): "{present: \(present)}"
            }
        }
        return "\(field): " + rendered.joined(separator: " ")
    }

    /// Whether every test holds on `value`.
    ///
    /// - Parameters:
    ///   - value: The field's value, nil when the line lacks the field.
    ///   - scratch: Match space for `regex` tests, with room for their groups. A regex that hits
    ///     PCRE2's match limit does not match.
    public func holds(on value: FieldValue?, scratch: MatchScratch) -> Bool {
        for test in tests {
            switch test {
            case .present(let present):
                if (value != nil) != present { return false }
            case .equals(let texts):
                guard let value else { return false }
                let text = value.text
                if !texts.contains(where: { $0 == text || Self.sameNumber($0, value) }) { return false }
            case .regex(let regex):
                guard let value else { return false }
                var text = value.text
                let matched = text.withUTF8 { bytes in
                    if case .matched = regex.match(UnsafeRawBufferPointer(bytes), scratch: scratch) { return true }
                    return false
                }
                if !matched { return false }
            case .above(let bound):
                guard let number = value?.number, number > bound else { return false }
            case .below(let bound):
                guard let number = value?.number, number < bound else { return false }
            }
        }
        return true
    }

    /// Whether `written` and `value` are the same number (only when both read as numbers).
    private static func sameNumber(_ written: String, _ value: FieldValue) -> Bool {
        guard let number = value.number, let expected = Double(written) else { return false }
        return number == expected
    }
}
