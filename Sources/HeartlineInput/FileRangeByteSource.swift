internal import Glibc

/// The bytes of one stretch of a regular file, `[lower, upper)`, read with `pread(2)`: replay reads
/// each time segment of a log whose time goes back as an input of its own (``FileByteSource`` reads
/// a whole file, or standard input).
///
/// Not `Sendable`: it owns a descriptor and a position, so one thread reads it.
public final class FileRangeByteSource: ByteSource {
    /// The name shown in errors.
    public let path: String
    private let descriptor: Int32
    private var offset: Int
    private let upper: Int

    /// Opens `path` for reading the bytes of `range`.
    ///
    /// - Throws: ``InputError`` with code `notFound`, `permissionDenied` or `io`.
    public init(path: String, range: Range<Int>) throws(InputError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InputError(errno: Glibc.errno, path: path, operation: "cannot open")
        }
        self.path = path
        self.descriptor = descriptor
        self.offset = range.lowerBound
        self.upper = range.upperBound
    }

    deinit {
        close(descriptor)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let wanted = min(buffer.count, upper - offset)
        guard wanted > 0, let base = buffer.baseAddress else { return 0 }
        while true {
            let count = pread(descriptor, base, wanted, off_t(offset))
            if count >= 0 {
                offset += count
                return count
            }
            if Glibc.errno == EINTR { continue }
            throw InputError(errno: Glibc.errno, path: path, operation: "cannot read")
        }
    }
}
