/// One log record on its way to the evaluator, with where it came from: what every driver (replay,
/// the daemon, a test) hands the ingest path.
///
/// The drivers' hot paths pass the same two shapes without copying (a line's bytes in a read
/// buffer, a journal batch by slot); this type is the owned form, for records from memory.
public enum LogRecord: Sendable, Hashable {
    /// A line of a plain file, without its newline; `path` is the file it was read from.
    case line([UInt8], path: String)
    /// A journal entry: its fields and `__REALTIME_TIMESTAMP`.
    case journal(JournalEntry)

    /// A plain-file line given as text.
    ///
    /// - Parameters:
    ///   - text: The line, without its newline.
    ///   - path: The file it came from.
    public static func line(_ text: String, path: String) -> LogRecord {
        .line(Array(text.utf8), path: path)
    }
}
