import HeartlineInput

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

extension ReplayInput {
    /// Opens the input: a file sniffed as plain text, gzip or a journal export stream, or the
    /// inline text as lines.
    ///
    /// - Parameter chunkSize: Bytes read at a time (tests use small ones to split lines anywhere).
    /// - Throws: ``ReplayError`` with code `.input` naming the file and what is wrong.
    func open(chunkSize: Int = LineReader.defaultChunkSize) throws(ReplayError) -> InputKind {
        do {
            switch self {
            case .path(let path): return try InputFile(path: path, chunkSize: chunkSize).kind
            case .text(_, let text):
                return .lines(LineReader(source: MemoryByteSource(Array(text.utf8)), chunkSize: chunkSize))
            }
        } catch {
            throw ReplayError(code: .input, message: error.description)
        }
    }
}
