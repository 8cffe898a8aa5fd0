import HeartlineCore

/// Reads the parts of a journal cursor string that Heartline needs.
///
/// A cursor is `;`-separated `key=value` parts (`s=` seqnum ID, `i=` seqnum, `b=` boot ID,
/// `m=` monotonic time, `t=` realtime, `x=` hash), all hexadecimal; sd-journal treats it as opaque,
/// but its format has been stable since systemd 187 (`sd_journal_get_cursor`).
enum JournalCursor {
    /// The entry's wall-clock time from the cursor's `t=` part (hexadecimal microseconds since the
    /// epoch), or `nil` when the cursor has none or it is malformed.
    static func realtime(of cursor: String) -> Instant? {
        for part in cursor.split(separator: ";") where part.hasPrefix("t=") {
            guard let microseconds = Int64(part.dropFirst(2), radix: 16),
                microseconds <= Int64.max / 1000
            else { return nil }
            return Instant(nanoseconds: microseconds * 1000)
        }
        return nil
    }
}
