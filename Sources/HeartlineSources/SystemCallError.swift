internal import Glibc

/// A failed system call inside this module: what was attempted and the `errno` it left.
struct SystemCallError: Error, Equatable {
    /// What was attempted, e.g. `cannot open`.
    var operation: String
    /// The `errno` the call left.
    var code: Int32

    /// Captures `errno` right after a failed call.
    ///
    /// - Parameter operation: What was attempted, e.g. `cannot open`.
    init(_ operation: String) {
        self.operation = operation
        self.code = Glibc.errno
    }

    /// Words for an operator: the common causes as the shell says them, others with the C library's text.
    var message: String {
        switch code {
        case ENOENT, ENOTDIR:
            return "no such file or directory"
        case EACCES, EPERM:
            return "permission denied"
        default:
            let reason = strerror(code).map { String(cString: $0) } ?? "error \(code)"
            return "\(operation): \(reason)"
        }
    }
}
