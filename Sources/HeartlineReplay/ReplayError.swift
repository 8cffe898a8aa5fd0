/// Why a replay could not run: bad options or an input it could not open or read.
public struct ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// `--service` names a service that no pattern file defines.
        public static let unknownService = Code(name: "unknown service")
        /// An input file is missing, unreadable, binary or corrupt.
        public static let input = Code(name: "input")
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// A message for the operator, naming the file or option at fault.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
