/// A strftime timestamp pattern that Heartline cannot read lines with.
///
/// A struct with a ``Code`` rather than an enum, so that adding a kind of failure breaks no caller
/// (the shape of swift-nio's `FileSystemError`).
public struct TimestampError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// A `%` followed by a letter that is not a supported directive, such as `%Q`.
        public static let unknownDirective = Code(name: "unknown directive")
        /// A `%` at the very end of the pattern.
        public static let incompleteDirective = Code(name: "incomplete directive")
        /// The pattern reads no calendar day, so no instant can be built from it.
        public static let missingDate = Code(name: "missing date")
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What is wrong and how to fix it, e.g. "unknown directive %Q; use one of ...".
    public var message: String
    /// Byte offset (UTF-8) into the pattern of the offending `%`, or of the pattern's end.
    public var offset: Int

    /// Creates an error.
    public init(code: Code, message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at offset \(offset) of the pattern)" }
}
