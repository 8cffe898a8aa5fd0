/// The value of one decoded field: a JSON scalar, a JSON object or array kept as text, or a logfmt
/// value (always a string).
public enum FieldValue: Hashable, Sendable {
    /// A JSON string with its escapes decoded, or a logfmt value (quoted or bare). Bytes that are not
    /// valid UTF-8 read as U+FFFD.
    case string(String)
    /// A JSON number: its value, and its literal exactly as written (`1200`, `-1.5e3`). A literal
    /// beyond `Double`'s range has the value ±infinity, as in Python's `json`.
    case number(Double, text: String)
    /// JSON `true` or `false`.
    case bool(Bool)
    /// JSON `null`.
    case null
    /// A JSON object or array: its raw text as written, cut to at most
    /// ``FieldDecoder/Limits/maxCompositeBytes`` bytes at a character boundary.
    case composite(String)

    /// The JSON type of a value, without its content.
    public enum Kind: Hashable, Sendable {
        /// ``FieldValue/string(_:)``.
        case string
        /// ``FieldValue/number(_:text:)``.
        case number
        /// ``FieldValue/bool(_:)``.
        case bool
        /// ``FieldValue/null``.
        case null
        /// ``FieldValue/composite(_:)``.
        case composite
    }

    /// The value's type.
    public var kind: Kind {
        switch self {
        case .string: .string
        case .number: .number
        case .bool: .bool
        case .null: .null
        case .composite: .composite
        }
    }

    /// The value as text, which is what equality and regex matchers test: the string itself, the
    /// number's literal as written, `true` or `false`, `null`, or the composite's raw JSON.
    public var text: String {
        switch self {
        case .string(let text), .number(_, let text), .composite(let text): text
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        }
    }

    /// The value as a number, for numeric comparisons: a JSON number's value, or a string that is
    /// wholly a decimal number, so that logfmt's `rows=1200` gives 1200.
    ///
    /// A decimal number is an optional sign, digits with an optional fraction (`12`, `12.`, `12.5`,
    /// `.5`) and an optional exponent (`1e3`, `2.5E-4`). Other strings (`5s`, ` 5`, `0x10`, `inf`,
    /// `NaN`, the empty string), booleans, null and composites have no number.
    public var number: Double? {
        switch self {
        case .number(let value, _): value
        case .string(let text): DecimalNumber.parse(text)
        case .bool, .null, .composite: nil
        }
    }

    /// Makes a value from its kind and its text bytes (escapes already decoded).
    init(kind: Kind, text: UnsafeRawBufferPointer) {
        switch kind {
        case .string: self = .string(String(decoding: text, as: UTF8.self))
        case .number:
            // The decoder hands over only literals it validated, and JSON's number grammar is a
            // subset of DecimalNumber's.
            self = .number(DecimalNumber.parse(text)!, text: String(decoding: text, as: UTF8.self))
        case .bool: self = .bool(text.first == UInt8(ascii: "t"))
        case .null: self = .null
        case .composite: self = .composite(String(decoding: text, as: UTF8.self))
        }
    }
}
