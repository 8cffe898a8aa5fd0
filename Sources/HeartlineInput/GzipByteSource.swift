internal import CZlib

/// The decompressed bytes of a gzip stream read from another source, by zlib's `inflate`.
///
/// Concatenated gzip members (what `cat a.gz b.gz` or `gzip` of appended logs produce) are read one
/// after another as one stream, as `gzip -d` does; zero bytes padding the end (tape blocks) are
/// ignored. Corrupt data, a bad checksum, other data after a member, or a stream cut short end the
/// stream with an ``InputError`` of code `corruptGzip` that names the compressed byte offset.
/// Not `Sendable`: it owns zlib state, so one thread reads it.
public final class GzipByteSource: ByteSource {
    /// The name shown in errors.
    public let path: String
    private var inner: any ByteSource
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var innerEnded = false
    private var compressedBytesRead = 0
    private var state = State.inMember

    /// Creates a decompressing source.
    ///
    /// - Parameters:
    ///   - inner: The compressed bytes, starting at the first member's header.
    ///   - path: The name shown in errors.
    ///   - inputChunkSize: How many compressed bytes to read from `inner` at a time.
    /// - Throws: ``InputError`` with code `io` if zlib cannot allocate its state.
    public init(_ inner: any ByteSource, path: String, inputChunkSize: Int = 64 * 1024) throws(InputError) {
        precondition(inputChunkSize > 0 && inputChunkSize <= Int(UInt32.max), "inputChunkSize out of range")
        // zlib keeps a pointer back to the z_stream, so it needs a fixed address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = czlib_inflate_init_gzip(stream)
        guard status == Z_OK else {
            stream.deallocate()
            throw InputError(code: .io, path: path, message: "cannot start gzip decompression (zlib error \(status))")
        }
        self.path = path
        self.inner = inner
        self.stream = stream
        self.input = .allocate(byteCount: inputChunkSize, alignment: 16)
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    /// Decompresses the next bytes into `buffer`.
    ///
    /// - Parameter buffer: Where to put decompressed bytes.
    /// - Returns: How many bytes were written, 0 after the last member.
    /// - Throws: ``InputError`` with code `corruptGzip` for bad or truncated data, or the inner
    ///   source's error.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        while true {
            switch state {
            case .finished:
                return 0
            case .betweenMembers:
                guard try fillInput() else {
                    state = .finished
                    return 0
                }
                if stream.pointee.next_in[0] == 0 {
                    state = .padding
                } else {
                    inflateReset(stream)
                    state = .inMember
                }
            case .padding:
                guard try fillInput() else {
                    state = .finished
                    return 0
                }
                let pending = UnsafeRawBufferPointer(
                    start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
                if pending.contains(where: { $0 != 0 }) {
                    throw corrupt("unexpected data after the zero padding that ends the gzip stream")
                }
                stream.pointee.avail_in = 0
            case .inMember:
                _ = try fillInput()
                let room = UInt32(clamping: buffer.count)
                stream.pointee.next_out = base.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = room
                let status = inflate(stream, Z_NO_FLUSH)
                let produced = Int(room - stream.pointee.avail_out)
                switch status {
                case Z_STREAM_END:
                    state = .betweenMembers
                case Z_OK:
                    break
                case Z_BUF_ERROR:
                    // No progress was possible: more input is needed, and there is none left.
                    if produced == 0 && innerEnded && stream.pointee.avail_in == 0 {
                        throw corrupt("unexpected end of gzip data (the file is truncated)")
                    }
                case Z_NEED_DICT:
                    throw corrupt("zlib data that needs a preset dictionary")
                case Z_MEM_ERROR:
                    throw InputError(code: .io, path: path, message: "out of memory while decompressing gzip data")
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw corrupt(reason)
                }
                if produced > 0 {
                    return produced
                }
            }
        }
    }

    /// Makes sure `inflate` has compressed input, reading the inner source when it has none.
    ///
    /// - Returns: `false` when no input is left.
    private func fillInput() throws(InputError) -> Bool {
        if stream.pointee.avail_in > 0 {
            return true
        }
        if innerEnded {
            return false
        }
        let count = try inner.read(into: input)
        guard count > 0 else {
            innerEnded = true
            return false
        }
        compressedBytesRead += count
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(count)
        return true
    }

    private func corrupt(_ reason: String) -> InputError {
        let offset = compressedBytesRead - Int(stream.pointee.avail_in)
        return InputError(code: .corruptGzip, path: path, message: "corrupt gzip data near byte \(offset): \(reason)")
    }

    /// Where the decompressor is in a stream of gzip members.
    private enum State {
        /// Inside a member: `inflate` is fed until it reports the member's end.
        case inMember
        /// A member ended; the next byte decides between another member, padding, or the end.
        case betweenMembers
        /// Zero bytes after the last member, which gzip(1) also skips.
        case padding
        /// Everything was read.
        case finished
    }
}

@available(*, unavailable)
extension GzipByteSource: Sendable {}
