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
    /// The tests flattened for the per-line check (a reference, so that copies cost one retain).
    let check: FieldCheck

    /// Creates a condition.
    public init(field: String, tests: [Test], location: SourceLocation) {
        self.field = field
        self.tests = tests
        self.location = location
        self.check = FieldCheck(tests)
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
        let reading = ValueReading(value: value)
        return check.holds(
            present: reading.isPresent, number: { reading.number }, text: { reading.withText($0) }, scratch: scratch)
    }

}

/// A ``FieldValue`` (or its absence) as ``FieldCheck`` reads it.
private struct ValueReading {
    let value: FieldValue?
    var isPresent: Bool { value != nil }
    var number: Double? { value?.number }
    func withText<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result? {
        guard var text = value?.text else { return nil }
        return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}

/// A field condition's tests flattened (at most one of each kind, as the parser builds them), so
/// that the per-line check switches on nothing and copies no payloads.
final class FieldCheck: Sendable {
    /// The `equals` values as bytes, and those of them that read as numbers.
    let expected: [[UInt8]]
    let expectedNumbers: [Double]
    let regex: CompiledRegex?
    let above: Double?
    let below: Double?
    let present: Bool?

    init(_ tests: [FieldCondition.Test]) {
        var values: [String] = []
        var regex: CompiledRegex?
        var above: Double?
        var below: Double?
        var present: Bool?
        for test in tests {
            switch test {
            case .equals(let written): values += written
            case .regex(let compiled): regex = compiled
            case .above(let bound): above = max(above ?? bound, bound)
            case .below(let bound): below = min(below ?? bound, bound)
            case .present(let flag): present = flag && (present ?? true)
            }
        }
        expected = values.map { Array($0.utf8) }
        expectedNumbers = values.compactMap { DecimalNumber.parse($0) }
        (self.regex, self.above, self.below, self.present) = (regex, above, below, present)
    }

    /// Whether every test holds on a field.
    ///
    /// - Parameters:
    ///   - isPresent: Whether the record has the field.
    ///   - number: The value as a number, or nil.
    ///   - text: Calls its argument with the value's text bytes; nil when absent.
    ///   - scratch: Match space for the regex.
    func holds(
        present isPresent: Bool, number: () -> Double?, text: ((UnsafeRawBufferPointer) -> Bool) -> Bool?,
        scratch: MatchScratch
    ) -> Bool {
        if let present, isPresent != present { return false }
        if !expected.isEmpty {
            guard isPresent else { return false }
            let equal = text { bytes in self.expected.contains { $0.elementsEqual(bytes) } } ?? false
            if !equal {
                guard let value = number(), expectedNumbers.contains(value) else { return false }
            }
        }
        if let regex {
            let matched = text { bytes in
                if case .matched = regex.match(bytes, scratch: scratch) { return true }
                return false
            }
            if matched != true { return false }
        }
        if above != nil || below != nil {
            guard let value = number() else { return false }
            if let above, !(value > above) { return false }
            if let below, !(value < below) { return false }
        }
        return true
    }
}
