import Glibc
import HeartlineCore
import HeartlineInput

/// The body of ``JournalSource``'s thread: opens the journal, positions it, reads and follows it,
/// and sends what it reads to the consumer until the consumer goes away.
///
/// Made, run and released on that one thread, so its ``JournalHandle`` never changes threads
/// (`man sd-journal`: handles are not thread-safe and must stay on their thread). On any failure it
/// drops the handle, reports ``JournalEvent/unavailable(message:)`` once, waits the retry interval
/// and opens a new handle positioned after the last entry it delivered.
final class JournalReader {
    /// Where reading starts or resumes.
    enum Position: Hashable, Sendable {
        /// After the last entry that exists now: only new entries.
        case tail
        /// At the oldest entry the journal still holds.
        case head
        /// At the first entry strictly after this time.
        case after(Instant)
        /// After the entry this cursor names; if it is gone, after `savedTime` (or the cursor's own
        /// time), reporting a gap.
        case cursor(String, savedTime: Instant?)
    }

    /// A field to copy from each entry, prepared once.
    private struct CopiedField {
        /// Journal field names are at most 64 bytes (sd-journal's `JOURNAL_FIELD_NAME_MAX`).
        static let longestName = 64

        var name: String
        /// `NAME=`, as the entry's data starts.
        var prefix: [UInt8]
    }

    /// The journal held no file the reader could open.
    private struct NoJournalFiles: Error, CustomStringConvertible {
        var directory: String?

        var description: String {
            if let directory { return "no journal files in \(directory)" }
            return "no readable journal files: systemd-journald is not running or stores nothing "
                + "(Storage=none), or this user may not read /run/log/journal and /var/log/journal "
                + "(run as root or in group systemd-journal)"
        }
    }

    private let clauses: [[JournalFilter.Term]]
    private let copiedFields: [CopiedField]
    private let directory: String?
    private let batchSize: Int
    private let waitMicroseconds: UInt64
    private let retryInterval: Duration
    private let channel: EventChannel<JournalEvent>
    private var position: Position

    /// Creates a reader.
    ///
    /// - Parameters:
    ///   - clauses: The OR of AND-clauses to add as matches; empty reads every entry.
    ///   - copiedFields: The fields to copy from each entry.
    ///   - start: Where to start.
    ///   - options: Batching, waiting and retrying.
    ///   - channel: Where to send events; the reader stops once it is closed.
    init(
        clauses: [[JournalFilter.Term]], copiedFields: [String], start: Position, options: JournalSourceOptions,
        channel: EventChannel<JournalEvent>
    ) {
        self.clauses = clauses
        self.copiedFields = copiedFields.map { CopiedField(name: $0, prefix: Array($0.utf8) + [0x3D]) }
        directory = options.directory
        // The options' properties are settable, so the bounds documented there are applied here;
        // a zero wait or retry interval would spin.
        batchSize = max(1, options.batchSize)
        waitMicroseconds = max(1000, Self.microseconds(options.waitTimeout))
        retryInterval = max(.milliseconds(10), options.retryInterval)
        self.channel = channel
        self.position = start
    }

    /// Reads and follows the journal until the channel is closed.
    func run() {
        var announcedOutage = false
        while !channel.isClosed {
            do {
                let handle = try open()
                let (skipCursor, gap) = try place(handle)
                guard channel.send(.available) else { return }
                announcedOutage = false
                if let gap {
                    guard channel.send(gap) else { return }
                }
                try follow(handle, skipping: skipCursor)
                return
            } catch {
                if !announcedOutage {
                    guard channel.send(.unavailable(message: "journal unavailable: \(error)")) else { return }
                    announcedOutage = true
                }
                guard channel.sleep(for: retryInterval) else { return }
            }
        }
    }

    private func open() throws -> JournalHandle {
        let handle = try JournalHandle(directory: directory)
        guard try handle.usage() > 0 else { throw NoJournalFiles(directory: directory) }
        return handle
    }

    /// Adds the matches and seeks to ``position``.
    ///
    /// - Returns: A cursor whose entry, if ``JournalHandle/next()`` reads it first, was delivered
    ///   before and must be skipped; and the gap to report when the saved cursor is gone.
    private func place(_ handle: JournalHandle) throws -> (skip: String?, gap: JournalEvent?) {
        switch position {
        case .tail:
            try addMatches(handle)
            try handle.seekTail()
            if try handle.previous() {
                // Remember the newest existing entry so that a retry resumes after it, not at a later tail.
                position = .cursor(try handle.cursor(), savedTime: nil)
            } else {
                // Nothing matches yet, so everything that matches later is new.
                position = .head
                try handle.seekHead()
            }
            return (nil, nil)
        case .head:
            try addMatches(handle)
            try handle.seekHead()
            return (nil, nil)
        case .after(let time):
            try addMatches(handle)
            try handle.seek(realtimeMicroseconds: Self.microsecondAfter(time))
            return (nil, nil)
        case .cursor(let cursor, let savedTime):
            // Checked before the matches are added: the saved entry may not pass today's matches.
            let exists = try Self.entryExists(cursor, in: handle)
            try addMatches(handle)
            if exists {
                try handle.seek(cursor: cursor)
                return (cursor, nil)
            }
            let time = savedTime ?? JournalCursor.realtime(of: cursor) ?? Instant(nanoseconds: 0)
            try handle.seek(realtimeMicroseconds: Self.microsecondAfter(time))
            position = .after(time)
            let message =
                "saved journal cursor no longer exists (its journal file was vacuumed or replaced); "
                + "resuming at the first entry after \(time); entries logged in between may be lost"
            return (nil, .gap(savedCursor: cursor, resumedAfter: time, message: message))
        }
    }

    private func addMatches(_ handle: JournalHandle) throws {
        for (index, clause) in clauses.enumerated() {
            if index > 0 { try handle.addDisjunction() }
            for term in clause { try handle.addMatch(term.match) }
        }
    }

    /// Reads batches and sends them; waits for more when caught up. Returns when the channel closes.
    private func follow(_ handle: JournalHandle, skipping skipCursor: String?) throws {
        var skip = skipCursor
        while true {
            var batch: [JournalRecord] = []
            batch.reserveCapacity(batchSize)
            while batch.count < batchSize, try handle.next() {
                if let cursor = skip {
                    skip = nil
                    if handle.isAt(cursor: cursor) { continue }
                }
                if let record = record(handle) { batch.append(record) }
            }
            if let last = batch.last {
                guard channel.send(.records(batch)) else { return }
                position = .cursor(last.cursor, savedTime: last.entry.realtime)
                if batch.count == batchSize { continue }
            }
            if channel.isClosed { return }
            try handle.wait(microseconds: waitMicroseconds)
        }
    }

    /// The current entry as a record, or `nil` when its time or cursor cannot be read (a damaged
    /// entry: skipped, since without a cursor it could not be resumed after).
    private func record(_ handle: JournalHandle) -> JournalRecord? {
        guard let microseconds = try? handle.realtimeMicroseconds(), let cursor = try? handle.cursor() else {
            return nil
        }
        var fields: [String: [UInt8]] = [:]
        fields.reserveCapacity(copiedFields.count + 1)
        fields["__REALTIME_TIMESTAMP"] = Array(String(microseconds).utf8)
        handle.forEachField { data in
            // Compare the name's length first and its bytes with memcmp: this runs for every field
            // of every entry, most of which are not copied.
            guard let base = data.baseAddress,
                let equals = memchr(base, 0x3D, min(data.count, CopiedField.longestName + 1))
            else { return }
            let prefixLength = base.distance(to: UnsafeRawPointer(equals)) + 1
            for field in copiedFields where field.prefix.count == prefixLength && fields[field.name] == nil {
                let same = field.prefix.withUnsafeBytes { memcmp(base, $0.baseAddress!, prefixLength) == 0 }
                if same {
                    fields[field.name] = Array(UnsafeRawBufferPointer(rebasing: data[prefixLength...]))
                    return
                }
            }
        }
        return JournalRecord(entry: JournalEntry(fields: fields), cursor: cursor)
    }

    /// Whether the entry `cursor` names is still in the journal. A cursor sd-journal cannot parse
    /// names no entry.
    private static func entryExists(_ cursor: String, in handle: JournalHandle) throws -> Bool {
        do {
            try handle.seek(cursor: cursor)
        } catch {
            return false
        }
        return try handle.next() && handle.isAt(cursor: cursor)
    }

    /// The first whole microsecond strictly after `time`, as sd-journal's realtime; 0 before 1970.
    private static func microsecondAfter(_ time: Instant) -> UInt64 {
        let microseconds = time.nanoseconds >= 0 ? time.nanoseconds / 1000 : -1
        return UInt64(microseconds + 1)
    }

    private static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
    }
}
