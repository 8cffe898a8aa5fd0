/// A duration that does not parse (see ``DurationParser``).
public struct DurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong and what to write instead, e.g. `'5x': unknown unit 'x'; use s, m, h, d or w`.
    public var message: String

    /// Creates an error.
    public init(message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
