/// The state database could not be opened, read or written.
public struct StateError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The state directory or database could not be created or opened.
        public static let open = Code(name: "open")
        /// A read or write failed.
        public static let io = Code(name: "io")
        /// Saved data did not decode (written by an incompatible version, or damaged).
        public static let corrupt = Code(name: "corrupt")
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What failed, naming the path.
    public var message: String
    /// The error underneath (SQLite's, or the decoder's).
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(code: Code, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        underlying.map { "\(message): \($0)" } ?? message
    }
}
