/// A log or pattern file that could not be read: missing, unreadable, binary or corrupt.
///
/// A struct with a ``Code`` rather than an enum, so that adding a kind of failure breaks no caller.
/// The ``description`` is `PATH: message`, e.g. `/var/log/app.log: no such file`, ready to print.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The path does not exist (`ENOENT`, `ENOTDIR`).
        public static let notFound = Code(name: "notFound")
        /// The file or directory exists but may not be read (`EACCES`, `EPERM`).
        public static let permissionDenied = Code(name: "permissionDenied")
        /// A file was expected and the path is a directory.
        public static let isDirectory = Code(name: "isDirectory")
        /// Any other failure of a system call, such as `EIO` from `read(2)`.
        public static let io = Code(name: "io")
        /// The content is not text: an executable, an image, compressed data other than gzip.
        public static let binary = Code(name: "binary")
        /// The file starts like gzip but does not decompress: corrupt or truncated.
        public static let corruptGzip = Code(name: "corruptGzip")
        /// A text file that must be UTF-8 (a pattern file) is not.
        public static let invalidText = Code(name: "invalidText")
        /// A file is larger than the reader accepts (a pattern file over its byte limit).
        public static let tooLarge = Code(name: "tooLarge")

        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// The path as the user gave it, or `standard input`.
    public var path: String
    /// What went wrong, in words for an operator, without the path.
    public var message: String
    /// The `errno` of the failed system call, when one failed.
    public var errno: Int32?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - path: The path as the user gave it.
    ///   - message: What went wrong, without the path.
    ///   - errno: The `errno` of the failed system call, if any.
    public init(code: Code, path: String, message: String, errno: Int32? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.errno = errno
    }

    /// `PATH: message`.
    public var description: String { "\(path): \(message)" }
}
