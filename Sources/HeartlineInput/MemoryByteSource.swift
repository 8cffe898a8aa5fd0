/// A byte source over bytes already in memory, for tests and for input that arrived another way.
public struct MemoryByteSource: ByteSource, Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    /// Creates a source that yields `bytes` once, then the end.
    ///
    /// - Parameter bytes: The whole stream.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies the next bytes into `buffer`.
    ///
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: How many bytes were copied, 0 at the end.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[offset..<offset + count]))
        }
        offset += count
        return count
    }
}
