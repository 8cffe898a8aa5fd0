public import HeartlineInput

/// One journal entry read by ``JournalSource``, with the cursor that names it.
public struct JournalRecord: Sendable, Hashable {
    /// The entry: its time (`__REALTIME_TIMESTAMP`) and the fields the daemon routes and matches on.
    ///
    /// Only these fields are copied: `MESSAGE`, `_SYSTEMD_UNIT`, `UNIT`, `_PID`, `_UID`,
    /// `OBJECT_SYSTEMD_UNIT`, `COREDUMP_UNIT`, `SYSLOG_IDENTIFIER`, `MESSAGE_ID`, `PRIORITY`,
    /// `__REALTIME_TIMESTAMP` (decimal microseconds, as in the journal export format) and every
    /// field named in the source's matches. A field the entry lacks is absent.
    public var entry: JournalEntry
    /// The entry's journal cursor (`sd_journal_get_cursor`): save the last one read and pass it as
    /// `resumeCursor` to resume after it.
    public var cursor: String

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - entry: The entry.
    ///   - cursor: Its journal cursor.
    public init(entry: JournalEntry, cursor: String) {
        self.entry = entry
        self.cursor = cursor
    }
}
