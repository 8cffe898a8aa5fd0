/// One input of a replay.
public enum ReplayInput: Sendable, Hashable {
    /// A file: a plain log, a `.gz` of one, or a journal export stream; `-` is standard input.
    case path(String)
    /// Lines held in memory (a rule test's inline `lines:`), named for messages.
    case text(name: String, String)

    /// The name messages use.
    public var name: String {
        switch self {
        case .path(let path): path == "-" ? "standard input" : path
        case .text(let name, _): name
        }
    }
}
