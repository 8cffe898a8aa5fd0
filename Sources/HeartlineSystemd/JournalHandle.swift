internal import CSystemd
import Glibc

/// An open sd-journal reader, closed when released.
///
/// Not `Sendable` on purpose: sd-journal handles must be used from the thread that opened them
/// (`man sd-journal`), so a handle is made, used and released on ``JournalReader``'s thread only.
final class JournalHandle {
    private let journal: OpaquePointer

    /// Opens the local system's journals, or the journal files in one directory.
    ///
    /// - Parameter directory: A directory of `.journal` files, or `nil` for the system journal.
    /// - Throws: ``JournalFailure`` when sd-journal cannot open it (e.g. no such directory).
    init(directory: String?) throws(JournalFailure) {
        var opened: OpaquePointer?
        let result: Int32
        if let directory {
            result = sd_journal_open_directory(&opened, directory, 0)
        } else {
            result = sd_journal_open(&opened, Int32(SD_JOURNAL_LOCAL_ONLY))
        }
        guard result >= 0, let opened else {
            throw JournalFailure(call: "sd_journal_open", result: result, subject: directory)
        }
        journal = opened
    }

    deinit {
        sd_journal_close(journal)
    }

    /// The bytes taken by the open journal files; 0 when none could be opened.
    func usage() throws(JournalFailure) -> UInt64 {
        var bytes: UInt64 = 0
        try check(sd_journal_get_usage(journal, &bytes), "sd_journal_get_usage")
        return bytes
    }

    /// Adds one `FIELD=value` term to the current clause.
    func addMatch(_ match: String) throws(JournalFailure) {
        var bytes = Array(match.utf8)
        let count = bytes.count
        try check(sd_journal_add_match(journal, &bytes, count), "sd_journal_add_match", match)
    }

    /// Removes every match: the handle then reads all entries.
    func flushMatches() {
        sd_journal_flush_matches(journal)
    }

    /// Ends the current clause: later terms form a clause ORed with the earlier ones.
    func addDisjunction() throws(JournalFailure) {
        try check(sd_journal_add_disjunction(journal), "sd_journal_add_disjunction")
    }

    /// Positions before the first entry.
    func seekHead() throws(JournalFailure) {
        try check(sd_journal_seek_head(journal), "sd_journal_seek_head")
    }

    /// Positions after the last entry.
    func seekTail() throws(JournalFailure) {
        try check(sd_journal_seek_tail(journal), "sd_journal_seek_tail")
    }

    /// Positions so that ``next()`` reads the entry named by `cursor`, or the first entry after
    /// where it was when it no longer exists.
    func seek(cursor: String) throws(JournalFailure) {
        try check(sd_journal_seek_cursor(journal, cursor), "sd_journal_seek_cursor", cursor)
    }

    /// Positions so that ``next()`` reads the first entry at or after a wall-clock time.
    ///
    /// - Parameter microseconds: Microseconds since the Unix epoch.
    func seek(realtimeMicroseconds microseconds: UInt64) throws(JournalFailure) {
        try check(sd_journal_seek_realtime_usec(journal, microseconds), "sd_journal_seek_realtime_usec")
    }

    /// Moves to the next entry that passes the matches.
    ///
    /// - Returns: `false` at the end of the journal.
    func next() throws(JournalFailure) -> Bool {
        let result = sd_journal_next(journal)
        try check(result, "sd_journal_next")
        return result > 0
    }

    /// Moves to the previous entry that passes the matches.
    ///
    /// - Returns: `false` at the start of the journal.
    func previous() throws(JournalFailure) -> Bool {
        let result = sd_journal_previous(journal)
        try check(result, "sd_journal_previous")
        return result > 0
    }

    /// Whether the current entry is the one `cursor` names.
    func isAt(cursor: String) -> Bool {
        sd_journal_test_cursor(journal, cursor) > 0
    }

    /// The current entry's cursor.
    func cursor() throws(JournalFailure) -> String {
        var text: UnsafeMutablePointer<CChar>?
        try check(sd_journal_get_cursor(journal, &text), "sd_journal_get_cursor")
        guard let text else { throw JournalFailure(call: "sd_journal_get_cursor", result: -EINVAL) }
        defer { free(text) }
        return String(cString: text)
    }

    /// The current entry's `__REALTIME_TIMESTAMP`, in microseconds since the Unix epoch.
    func realtimeMicroseconds() throws(JournalFailure) -> UInt64 {
        var microseconds: UInt64 = 0
        try check(sd_journal_get_realtime_usec(journal, &microseconds), "sd_journal_get_realtime_usec")
        return microseconds
    }

    /// Calls `body` with each field of the current entry, as the `NAME=value` bytes sd-journal
    /// stores, in the entry's order; a name may come more than once.
    ///
    /// One pass over the entry (`sd_journal_enumerate_available_data`), which is several times
    /// faster than one `sd_journal_get_data` lookup per wanted field, since each lookup walks the
    /// entry's items again. Fields that cannot be read (e.g. compressed with an algorithm this
    /// libsystemd lacks) are left out. The bytes are valid only during the call.
    func forEachField(_ body: (UnsafeRawBufferPointer) -> Void) {
        sd_journal_restart_data(journal)
        var data: UnsafeRawPointer?
        var length = 0
        while sd_journal_enumerate_available_data(journal, &data, &length) > 0, let data {
            body(UnsafeRawBufferPointer(start: data, count: length))
        }
    }

    /// Waits until the journal changes or the timeout passes, and takes the change in.
    ///
    /// Whatever it returns (`SD_JOURNAL_NOP`, `_APPEND`, or `_INVALIDATE` after files were added or
    /// removed by rotation or vacuuming), sd-journal has by then opened new files and dropped deleted
    /// ones while keeping the read position, so the caller simply reads on with ``next()``.
    ///
    /// - Parameter microseconds: The longest wait.
    func wait(microseconds: UInt64) throws(JournalFailure) {
        try check(sd_journal_wait(journal, microseconds), "sd_journal_wait")
    }

    private func check(_ result: Int32, _ call: String, _ subject: String? = nil) throws(JournalFailure) {
        if result < 0 { throw JournalFailure(call: call, result: result, subject: subject) }
    }
}
