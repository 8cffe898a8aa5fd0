import Glibc

/// A failed sd-journal call: which call, on what, and the `errno` it returned.
struct JournalFailure: Error, CustomStringConvertible {
    /// The libsystemd function, e.g. `sd_journal_open`.
    var call: String
    /// The positive `errno` (sd-journal returns it negated).
    var errno: Int32
    /// What the call was about (a directory, a cursor, a match), if anything.
    var subject: String?

    /// Creates a failure from a call's negative return value.
    init(call: String, result: Int32, subject: String? = nil) {
        self.call = call
        self.errno = result < 0 ? -result : result
        self.subject = subject
    }

    /// `sd_journal_open(/path): No such file or directory (errno 2)`.
    var description: String {
        let about = subject.map { "(\($0))" } ?? ""
        return "\(call)\(about): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
