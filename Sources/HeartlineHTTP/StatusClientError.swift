/// Why ``StatusClient`` got no jobs list.
public struct StatusClientError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; more may be added.
    public struct Code: Hashable, Sendable {
        private let name: String

        /// The URL given is not an `http` or `https` URL with a host.
        public static let badURL = Code(name: "badURL")
        /// Nothing answered: refused, timed out, or the host is unknown.
        public static let noAnswer = Code(name: "noAnswer")
        /// Something answered, but not with a jobs list.
        public static let badAnswer = Code(name: "badAnswer")
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for the operator.
    public var message: String
    /// The error underneath, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong, for the operator.
    ///   - underlying: The error underneath, if any.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// The message.
    public var description: String { message }
}
