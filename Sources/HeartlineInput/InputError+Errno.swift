internal import Glibc

extension InputError {
    /// An error for a failed system call, its code and wording chosen from `errno`.
    ///
    /// The common causes get short words an operator recognises (`no such file`,
    /// `permission denied`); anything else names the call and the C library's text.
    ///
    /// - Parameters:
    ///   - code: The `errno` the call left.
    ///   - path: The path as the user gave it.
    ///   - operation: What was attempted, e.g. `cannot open`, `read failed`.
    init(errno code: Int32, path: String, operation: String) {
        switch code {
        case ENOENT:
            self.init(code: .notFound, path: path, message: "no such file", errno: code)
        case ENOTDIR:
            self.init(code: .notFound, path: path, message: "no such file (a parent is not a directory)", errno: code)
        case EACCES, EPERM:
            self.init(code: .permissionDenied, path: path, message: "permission denied", errno: code)
        case EISDIR:
            self.init(code: .isDirectory, path: path, message: "is a directory, not a file", errno: code)
        default:
            let reason = strerror(code).map { String(cString: $0) } ?? "error \(code)"
            self.init(code: .io, path: path, message: "\(operation): \(reason)", errno: code)
        }
    }
}
