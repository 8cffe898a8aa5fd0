/// How far a replay has come, for a progress line: handed to ``Replay/run(inputs:progress:emit:)``'s
/// `progress` about every ``Replay/progressInterval`` lines and at the end.
public struct ReplayProgress: Sendable, Hashable {
    /// Lines and journal entries read, every input together.
    public var records: Int
    /// Bytes read, every input together (decompressed bytes of a `.gz`).
    public var bytesRead: Int
    /// Whether every input has been read.
    public var finished: Bool
}
