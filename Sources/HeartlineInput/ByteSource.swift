/// A stream of raw bytes: a file, standard input, decompressed gzip, or memory.
///
/// Readers pull chunks with ``read(into:)`` until it returns 0. Bytes are passed on as they are;
/// nothing is decoded, so NUL bytes and invalid UTF-8 survive. A source is used from one thread.
public protocol ByteSource {
    /// Fills the start of `buffer` with the next bytes of the stream.
    ///
    /// A short read does not mean the end; only 0 does (for a non-empty buffer).
    ///
    /// - Parameter buffer: Where to put the bytes; its whole length may be used.
    /// - Returns: How many bytes were written, 0 at the end of the stream.
    /// - Throws: ``InputError`` when the underlying file or decompression fails.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}
