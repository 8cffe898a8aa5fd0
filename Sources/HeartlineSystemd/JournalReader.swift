import Glibc
import HeartlineCore
import Synchronization

/// The body of ``JournalSource``'s thread: opens the journal, positions it, reads and follows it,
/// and sends what it reads to the consumer until the consumer goes away.
///
/// Made, run and released on that one thread, so its ``JournalHandle`` never changes threads
/// (`man sd-journal`: handles are not thread-safe and must stay on their thread). On any failure it
/// drops the handle, reports ``JournalEvent/unavailable(message:)`` once, waits the retry interval
/// and opens a new handle positioned after the last entry it delivered.
///
/// Every ``JournalSourceOptions/reopenInterval`` entries it also closes the handle and opens a new
/// one at the same place: sd-journal keeps the journal file windows it mapped (up to 64 of 8 MiB
/// each), and their pages count towards the daemon's resident memory while it catches up.
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
        /// Its slot in the batches (``JournalBatch/fieldNames``).
        var slot: Int
        /// `NAME=`, as the entry's data starts.
        var prefix: [UInt8]
    }

    /// Why ``follow(_:skipping:)`` returned.
    private enum FollowEnd {
        /// The consumer closed the channel.
        case closed
        /// ``reopenInterval`` entries were read through this handle.
        case reopen
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

    private let clauses: [[String]]
    private let routing: JournalRouting
    /// The copied fields by the length of their `NAME=` prefix, so that each field of an entry is
    /// compared with the one or two names of its length at most.
    private let copiedFieldsByLength: [[CopiedField]]
    private let directory: String?
    private let batchSize: Int
    private let reopenInterval: Int
    private let waitMicroseconds: UInt64
    private let retryInterval: Duration
    private let channel: EventChannel<JournalEvent>
    private var position: Position

    /// Creates a reader.
    ///
    /// - Parameters:
    ///   - clauses: The OR of AND-clauses of `FIELD=value` matches to add (``JournalRouting/selection``);
    ///     empty reads every entry.
    ///   - routing: The fields to copy from each entry, which batches carry for routing.
    ///   - start: Where to start.
    ///   - options: Batching, waiting, reopening and retrying.
    ///   - channel: Where to send events; the reader stops once it is closed.
    init(
        clauses: [[String]], routing: JournalRouting, start: Position,
        options: JournalSourceOptions, channel: EventChannel<JournalEvent>
    ) {
        self.clauses = clauses
        self.routing = routing
        var byLength = Array(repeating: [CopiedField](), count: JournalFieldName.longest + 2)
        for (slot, name) in routing.fieldNames.enumerated() {
            let prefix = Array(name.utf8) + [0x3D]
            if prefix.count < byLength.count { byLength[prefix.count].append(CopiedField(slot: slot, prefix: prefix)) }
        }
        copiedFieldsByLength = byLength
        directory = options.directory
        // The options' properties are settable, so the bounds documented there are applied here;
        // a zero wait or retry interval would spin.
        batchSize = max(1, options.batchSize)
        reopenInterval = max(1, options.reopenInterval)
        waitMicroseconds = max(1000, Self.microseconds(options.waitTimeout))
        retryInterval = max(.milliseconds(10), options.retryInterval)
        self.channel = channel
        self.position = start
    }

    /// Reads and follows the journal until the channel is closed.
    func run() {
        var announcedOutage = false
        var announced = false
        while !channel.isClosed {
            do {
                // The old handle is released before the new one is opened, so that their mapped
                // windows never add up.
                let end = try withExtendedLifetime(open()) { handle in
                    let (skipCursor, gap) = try place(handle)
                    if !announced {
                        guard channel.send(.available) else { return FollowEnd.closed }
                        announced = true
                    }
                    announcedOutage = false
                    if let gap {
                        guard channel.send(gap) else { return FollowEnd.closed }
                    }
                    return try follow(handle, skipping: skipCursor)
                }
                guard end == .reopen else { return }
            } catch {
                announced = false
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
            // Looked up through the matches first: that touches a small part of the journal files
            // (and so of resident memory) compared with a lookup among all entries, and finds the
            // entry whenever it exists and passes today's matches, as it does on every reopening.
            try addMatches(handle)
            if try Self.entryExists(cursor, in: handle) { return (nil, nil) }
            // Gone, or it does not pass today's matches (the configuration changed).
            handle.flushMatches()
            let exists = try Self.entryExists(cursor, in: handle)
            try addMatches(handle)
            if exists {
                try handle.seek(cursor: cursor)
                return (cursor, nil)
            }
            return (nil, try resume(after: savedTime, of: cursor, handle))
        }
    }

    /// Seeks to the first entry after the time of an entry that no longer exists.
    ///
    /// - Returns: The gap to report.
    private func resume(after savedTime: Instant?, of cursor: String, _ handle: JournalHandle) throws -> JournalEvent {
        let time = savedTime ?? JournalCursor.realtime(of: cursor) ?? Instant(nanoseconds: 0)
        try handle.seek(realtimeMicroseconds: Self.microsecondAfter(time))
        position = .after(time)
        let message =
            "saved journal cursor no longer exists (its journal file was vacuumed or replaced); "
            + "resuming at the first entry after \(time); entries logged in between may be lost"
        return .gap(savedCursor: cursor, resumedAfter: time, message: message)
    }

    private func addMatches(_ handle: JournalHandle) throws {
        for (index, clause) in clauses.enumerated() {
            if index > 0 { try handle.addDisjunction() }
            for term in clause { try handle.addMatch(term) }
        }
    }

    /// Reads batches and sends them; waits for more when caught up.
    ///
    /// - Returns: ``FollowEnd/closed`` when the channel closed; ``FollowEnd/reopen`` after a batch
    ///   once ``reopenInterval`` entries were read, with ``position`` after that batch.
    private func follow(_ handle: JournalHandle, skipping skipCursor: String?) throws -> FollowEnd {
        var skip = skipCursor
        var bytesPerEntry = 256
        var read = 0
        while true {
            var started = ContinuousClock.now
            var batch = JournalBatch.Builder(routing: routing, capacity: batchSize, bytesPerEntry: bytesPerEntry)
            while batch.count < batchSize, try handle.next() {
                if let cursor = skip {
                    skip = nil
                    if handle.isAt(cursor: cursor) { continue }
                }
                add(handle, to: &batch)
            }
            if batch.count > 0 {
                // The handle is still at the batch's last entry, also when next() found no more
                // (journalctl's --show-cursor reads it the same way). Should the cursor fail, the batch
                // is dropped unsent and re-read after a retry from the last batch delivered.
                let cursor = try handle.cursor()
                bytesPerEntry = max(bytesPerEntry, batch.byteCount / batch.count + 16)
                let last = batch.finish(cursor: cursor)
                charge(since: started)
                guard channel.send(.entries(last)) else { return .closed }
                started = .now
                position = .cursor(cursor, savedTime: last.realtime(of: last.count - 1))
                read += last.count
                if read >= reopenInterval { return .reopen }
                if last.count == batchSize { continue }
            }
            charge(since: started)
            if channel.isClosed { return .closed }
            channel.producerIdles.add(1, ordering: .releasing)
            try handle.wait(microseconds: waitMicroseconds)
        }
    }

    /// Counts the time since `started` as reading, for the daemon's cost per stage.
    private func charge(since started: ContinuousClock.Instant) {
        let spent = started.duration(to: .now).components
        channel.readNanoseconds.add(
            spent.seconds * 1_000_000_000 + spent.attoseconds / 1_000_000_000, ordering: .relaxed)
    }

    /// Adds the current entry to `batch`; an entry whose time cannot be read (a damaged entry) is
    /// skipped.
    private func add(_ handle: JournalHandle, to batch: inout JournalBatch.Builder) {
        guard let microseconds = try? handle.realtimeMicroseconds() else { return }
        batch.begin(realtime: microseconds)
        handle.forEachField { data in
            // Compare the name's length first and its bytes with memcmp: this runs for every field
            // of every entry, most of which are not copied.
            guard let base = data.baseAddress,
                let equals = memchr(base, 0x3D, min(data.count, JournalFieldName.longest + 1))
            else { return }
            let prefixLength = base.distance(to: UnsafeRawPointer(equals)) + 1
            for field in copiedFieldsByLength[prefixLength] where !batch.has(field.slot) {
                let same = field.prefix.withUnsafeBytes { memcmp(base, $0.baseAddress!, prefixLength) == 0 }
                if same {
                    batch.set(field.slot, to: UnsafeRawBufferPointer(rebasing: data[prefixLength...]))
                    return
                }
            }
        }
    }

    /// Whether the entry `cursor` names is still in the journal and passes the handle's matches; if
    /// so, the handle is at that entry. A cursor sd-journal cannot parse names no entry.
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
