/// One problem in a configuration file, at the place it was written.
///
/// Printed as `FILE:LINE:COLUMN: message`, the form compilers use, so editors and terminals can
/// jump to it. The message says what was expected and how to fix it (SPEC §1, §5 `heartline check`).
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is: the offending key or value, or the file's start for whole-file problems.
    public var location: SourceLocation
    /// What is wrong and what to write instead, without the location.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - location: Where the problem is.
    ///   - message: What is wrong and how to fix it.
    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// `FILE:LINE:COLUMN: message`, through ``TerminalText/escaped(_:)``: the path and the keys or
    /// values the message quotes came from the user, and must not end the line or steer the
    /// terminal. Heartline's own wording has nothing to escape, so it prints as written.
    public var description: String { TerminalText.escaped("\(location): \(message)") }
}
