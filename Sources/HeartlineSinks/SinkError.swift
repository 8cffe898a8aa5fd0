/// An alert sink could not be set up, or did not take an alert.
///
/// A struct with a ``Code`` rather than an enum, so that adding a kind of failure breaks no caller.
/// The ``description`` names the sink by its redacted form only: it never holds a URL's query or
/// user information, a header value or an exec argument, because the daemon logs it.
public struct SinkError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The sink's configuration cannot work: a URL that is not http or https, an empty command.
        public static let configuration = Code(name: "configuration")
        /// The request did not get an answer: connection refused, unknown host, TLS failure.
        public static let transport = Code(name: "transport")
        /// The receiver answered with a status other than 2xx (redirects are not followed).
        public static let rejected = Code(name: "rejected")
        /// The attempt took longer than the sink's timeout and was abandoned (a program is killed).
        public static let timeout = Code(name: "timeout")
        /// The program could not be started: not found, not executable.
        public static let launch = Code(name: "launch")
        /// The program ended with a non-zero status or was killed by a signal.
        public static let exitStatus = Code(name: "exitStatus")

        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// The sink's redacted description, e.g. `webhook https://hooks.example.org:443/heartline`.
    public var sink: String
    /// What went wrong, in words for an operator, without the sink's name.
    public var message: String
    /// For a ``Code/configuration`` error, the sink's key at fault (`url`, `command`, `timeout`), so
    /// that `heartline check` can point at its value; nil when no one key is.
    public var setting: String?
    /// The HTTP status the receiver answered with, for ``Code/rejected``.
    public var httpStatus: Int?
    /// The error underneath, when it is safe to show: never one that prints a URL.
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - sink: The sink's redacted description.
    ///   - message: What went wrong, without the sink's name.
    ///   - setting: The configuration key at fault, for a `configuration` error.
    ///   - httpStatus: The receiver's HTTP status, if it answered.
    ///   - underlying: The error underneath; it must not print secrets.
    public init(
        code: Code, sink: String, message: String, setting: String? = nil, httpStatus: Int? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.sink = sink
        self.message = message
        self.setting = setting
        self.httpStatus = httpStatus
        self.underlying = underlying
    }

    /// `SINK: message`.
    public var description: String { "\(sink): \(message)" }
}
