extension FieldDecoder {
    /// What decoding one line gave.
    public enum Outcome: Hashable, Sendable {
        /// The line was read in this format (``LineFormat/json`` or ``LineFormat/logfmt``); its wanted
        /// fields, those it has, are readable until the next decode.
        case decoded(LineFormat)
        /// The format is ``LineFormat/text``: nothing was decoded.
        case noFields
        /// The line could not be read in its format; no field is readable. Callers count these.
        case undecodable(Failure)
    }

    /// Why a line is undecodable, and where decoding stopped.
    public struct Failure: Hashable, Sendable, CustomStringConvertible {
        /// The kind of problem.
        public var code: Code
        /// The byte offset in the line where the problem was found (0 for ``Code/tooLarge``).
        public var offset: Int

        /// Creates a failure.
        ///
        /// - Parameters:
        ///   - code: The kind of problem.
        ///   - offset: Where in the line, in bytes from its start.
        public init(_ code: Code, at offset: Int) {
            self.code = code
            self.offset = offset
        }

        /// `invalid JSON: unexpected byte at byte 12`-style text for `heartline match` and logs.
        public var description: String { "\(code) at byte \(offset)" }
    }
}

extension FieldDecoder.Failure {
    /// A kind of undecodable line; a struct rather than an enum so that adding one breaks nobody.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case notAnObject = "not a JSON object"
            case unexpectedEnd = "invalid JSON: line ends inside a value"
            case unexpectedByte = "invalid JSON: unexpected byte"
            case invalidNumber = "invalid JSON: malformed number"
            case invalidEscape = "invalid escape in a quoted string"
            case controlCharacter = "invalid JSON: raw control character in a string"
            case trailingData = "invalid JSON: data after the object"
            case tooDeep = "nested too deeply"
            case tooLarge = "line too large to decode"
            case logfmtUnexpectedByte = "invalid logfmt: unexpected byte"
            case unterminatedQuote = "invalid logfmt: unterminated quoted value"
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// A `json` line (or an `auto` line would have been, but is not) whose first non-whitespace
        /// byte does not open an object: an array, string, number, literal, or an empty line.
        public static let notAnObject = Self(.notAnObject)
        /// The line ends inside the JSON object: truncated.
        public static let unexpectedEnd = Self(.unexpectedEnd)
        /// A byte that no JSON value, key or separator may start with there: single quotes, an
        /// unquoted key, `NaN`, a trailing comma, a missing colon or comma.
        public static let unexpectedByte = Self(.unexpectedByte)
        /// A number that breaks RFC 8259's grammar: `-`, `1.`, `.5`, `1e`, `+1`.
        public static let invalidNumber = Self(.invalidNumber)
        /// A backslash escape that is not one of the format's, or `\u` without four hex digits.
        public static let invalidEscape = Self(.invalidEscape)
        /// A raw byte below 0x20 inside a JSON string (RFC 8259 §7 requires it escaped).
        public static let controlCharacter = Self(.controlCharacter)
        /// Something other than whitespace after the object's closing brace.
        public static let trailingData = Self(.trailingData)
        /// Objects and arrays nested deeper than ``FieldDecoder/Limits/maxDepth``.
        public static let tooDeep = Self(.tooDeep)
        /// A line longer than ``FieldDecoder/Limits/maxLineBytes``, left undecoded.
        public static let tooLarge = Self(.tooLarge)
        /// In logfmt, a `"` in a key or bare value, or an `=` where a key must start or inside a bare
        /// value (go-logfmt's "unexpected" errors).
        public static let logfmtUnexpectedByte = Self(.logfmtUnexpectedByte)
        /// In logfmt, a quoted value without its closing quote.
        public static let unterminatedQuote = Self(.unterminatedQuote)

        /// What the problem is, in words.
        public var description: String { value.rawValue }
    }
}

extension FieldDecoder.Outcome {
    /// Whether the line was decoded, so that its fields are readable.
    public var isDecoded: Bool {
        if case .decoded = self { return true }
        return false
    }
}
