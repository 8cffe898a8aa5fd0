/// A regular expression that PCRE2 would not compile.
///
/// A struct with a ``Code`` rather than an enum, so that adding a kind of failure breaks no caller.
public struct RegexError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The pattern is not valid PCRE2 syntax.
        public static let syntax = Code(name: "syntax")
        /// PCRE2 could not allocate what it needed.
        public static let resources = Code(name: "resources")
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// PCRE2's own message, e.g. "missing closing parenthesis".
    public var message: String
    /// Byte offset into the pattern where PCRE2 stopped, when it says.
    public var offset: Int?

    /// Creates an error.
    public init(code: Code, message: String, offset: Int?) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String {
        if let offset { return "\(message) at offset \(offset)" }
        return message
    }
}
