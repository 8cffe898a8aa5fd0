internal import Glibc

/// The bytes of a file or of standard input, read with `read(2)`.
///
/// The descriptor is opened with `O_CLOEXEC` so that programs Heartline starts (exec sinks) do not
/// inherit it, and closed when the source is released; standard input is read but never closed.
/// The kernel is told the file will be read sequentially, which doubles its read-ahead.
/// Not `Sendable`: it owns a descriptor and a file position, so one thread reads it.
public final class FileByteSource: ByteSource {
    /// The name shown in errors: the path as given, or `standard input`.
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens a file for reading.
    ///
    /// - Parameter path: The file to read. FIFOs and character devices are accepted; a directory is not.
    /// - Throws: ``InputError`` with code `notFound`, `permissionDenied`, `isDirectory` or `io`.
    public init(path: String) throws(InputError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InputError(errno: Glibc.errno, path: path, operation: "cannot open")
        }
        // open(2) accepts a directory for reading; read(2) would fail later with a vaguer EISDIR.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = Glibc.errno
            close(descriptor)
            throw InputError(errno: code, path: path, operation: "cannot stat")
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw InputError(errno: EISDIR, path: path, operation: "cannot open")
        }
        if status.st_mode & S_IFMT == S_IFREG {
            _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        }
        self.path = path
        self.descriptor = descriptor
        self.ownsDescriptor = true
    }

    private init(standardInput: ()) {
        self.path = "standard input"
        self.descriptor = STDIN_FILENO
        self.ownsDescriptor = false
    }

    /// A source reading this process's standard input (descriptor 0), which it never closes.
    ///
    /// - Returns: A source named `standard input` in errors.
    public static func standardInput() -> FileByteSource {
        FileByteSource(standardInput: ())
    }

    deinit {
        if ownsDescriptor {
            close(descriptor)
        }
    }

    /// Reads the next bytes with `read(2)`, retrying when a signal interrupts it.
    ///
    /// - Parameter buffer: Where to put the bytes.
    /// - Returns: How many bytes were read, 0 at the end of the file.
    /// - Throws: ``InputError`` with code `io` (or `isDirectory`) when `read(2)` fails.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count >= 0 {
                return count
            }
            let code = Glibc.errno
            if code != EINTR {
                throw InputError(errno: code, path: path, operation: "read failed")
            }
        }
    }
}

@available(*, unavailable)
extension FileByteSource: Sendable {}
