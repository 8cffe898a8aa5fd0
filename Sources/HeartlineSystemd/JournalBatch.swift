import Glibc
public import HeartlineCore
import HeartlineInput

/// Entries read by ``JournalSource`` in one go, in journal order, with the cursor of the last one.
///
/// The copied fields of every entry sit in one byte buffer, each entry having one slot per name in
/// ``fieldNames``, so that reading a batch costs a few allocations instead of a dictionary and an
/// array per entry. The copied fields are `MESSAGE`, `_SYSTEMD_UNIT`, `UNIT`, `_PID`, `_UID`,
/// `OBJECT_SYSTEMD_UNIT`, `COREDUMP_UNIT`, `SYSLOG_IDENTIFIER`, `MESSAGE_ID`, `PRIORITY` and every
/// field named in the source's matches; an entry keeps the first value of a field it holds twice.
///
/// Only the last entry's cursor is taken (`sd_journal_get_cursor` costs as much as reading an
/// entry's fields): a consumer that saves its position after handling a whole batch saves exactly
/// the cursor of the last entry it handled.
public struct JournalBatch: JournalEntryBatch, Sendable, Hashable {
    /// The copied fields' names; an entry's values are addressed by their index here (the slot).
    public let fieldNames: [String]
    /// The journal cursor (`sd_journal_get_cursor`) of the last entry: save it once the whole batch
    /// is handled and pass it as `resumeCursor` to resume after it.
    public let cursor: String
    /// Each entry's `__REALTIME_TIMESTAMP`, in microseconds since the Unix epoch.
    private let realtimes: [UInt64]
    /// Per entry, one ``Span`` per slot, into ``bytes``.
    private let spans: [Span]
    private let bytes: [UInt8]
    /// The routing the reader copied fields for: slots are indices into its ``JournalRouting/fieldNames``.
    public let routing: JournalRouting

    /// Where one field value lies in ``bytes``; `start` is -1 when the entry lacks the field.
    struct Span: Hashable {
        var start: Int
        var count: Int
    }

    fileprivate init(builder: Builder, cursor: String) {
        fieldNames = builder.routing.fieldNames
        routing = builder.routing
        realtimes = builder.realtimes
        spans = builder.spans
        bytes = builder.bytes
        self.cursor = cursor
    }

    /// How many entries the batch holds; at least one.
    public var count: Int { realtimes.count }

    /// The entry's `__REALTIME_TIMESTAMP`: when journald received it.
    ///
    /// - Parameter entry: The entry's position in the batch.
    /// - Returns: The time, with microsecond resolution.
    public func realtime(of entry: Int) -> Instant {
        Instant(nanoseconds: Int64(clamping: realtimes[entry]) &* 1000)
    }

    /// Calls `body` with the bytes of one field of an entry, or with `nil` when the entry lacks it.
    ///
    /// - Parameters:
    ///   - slot: The field's index in ``fieldNames``.
    ///   - entry: The entry's position in the batch.
    ///   - body: Gets the value's bytes (without the `NAME=` prefix), valid only during the call.
    /// - Returns: What `body` returns.
    public func withField<Result>(
        _ slot: Int, of entry: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) rethrows -> Result {
        let span = spans[entry * fieldNames.count + slot]
        guard span.start >= 0 else { return try body(nil) }
        return try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[span.start..<span.start + span.count]))
        }
    }

    /// Appends the index of every match of ``routing`` the entry satisfies: ``JournalRouting``'s
    /// clauses, each term compared on the copied bytes as sd-journal's own matching does.
    ///
    /// - Parameters:
    ///   - entry: The entry's position in the batch.
    ///   - matching: Receives indices into the routing's matches.
    public func satisfied(entry: Int, into matching: inout [Int]) {
        let base = entry * fieldNames.count
        bytes.withUnsafeBytes { all in
            routing.satisfied(
                by: { term in
                    let span = spans[base + term.slot]
                    guard span.start >= 0, span.count == term.value.count else { return false }
                    return term.value.withUnsafeBytes { value in
                        value.count == 0 || memcmp(all.baseAddress! + span.start, value.baseAddress!, value.count) == 0
                    }
                }, into: &matching)
        }
    }

    /// One entry as a ``JournalEntry``: its copied fields and `__REALTIME_TIMESTAMP` (decimal
    /// microseconds, as in the journal export format), by name.
    ///
    /// - Parameter entry: The entry's position in the batch.
    /// - Returns: The entry; a field it lacks is absent.
    public func entry(at entry: Int) -> JournalEntry {
        var fields: [String: [UInt8]] = ["__REALTIME_TIMESTAMP": Array(String(realtimes[entry]).utf8)]
        for (slot, name) in fieldNames.enumerated() {
            withField(slot, of: entry) { value in
                if let value { fields[name] = Array(value) }
            }
        }
        return JournalEntry(fields: fields)
    }

    /// Compares the entries and the cursor; not the matches the batches were routed by.
    public static func == (lhs: JournalBatch, rhs: JournalBatch) -> Bool {
        lhs.fieldNames == rhs.fieldNames && lhs.cursor == rhs.cursor && lhs.realtimes == rhs.realtimes
            && lhs.spans == rhs.spans && lhs.bytes == rhs.bytes
    }

    /// Hashes the cursor and the entries' times, which tell batches apart.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(cursor)
        hasher.combine(realtimes)
    }
}

extension JournalBatch {
    /// Collects entries on the reader thread; ``finish(cursor:)`` turns them into a batch.
    struct Builder {
        let routing: JournalRouting
        fileprivate(set) var realtimes: [UInt64] = []
        fileprivate(set) var spans: [Span] = []
        fileprivate(set) var bytes: [UInt8] = []
        private let slotCount: Int

        /// Creates an empty builder with room for `capacity` entries of about `bytesPerEntry` bytes.
        init(routing: JournalRouting, capacity: Int, bytesPerEntry: Int) {
            self.routing = routing
            slotCount = routing.fieldNames.count
            realtimes.reserveCapacity(capacity)
            spans.reserveCapacity(capacity * slotCount)
            bytes.reserveCapacity(capacity * bytesPerEntry)
        }

        /// The entries added so far.
        var count: Int { realtimes.count }

        /// The bytes held so far.
        var byteCount: Int { bytes.count }

        /// Starts an entry whose fields are then set with ``set(_:to:)``.
        mutating func begin(realtime microseconds: UInt64) {
            realtimes.append(microseconds)
            spans.append(contentsOf: repeatElement(Span(start: -1, count: 0), count: slotCount))
        }

        /// Whether the current entry has a value for `slot` already.
        func has(_ slot: Int) -> Bool {
            spans[spans.count - slotCount + slot].start >= 0
        }

        /// Sets a field of the current entry.
        mutating func set(_ slot: Int, to value: UnsafeRawBufferPointer) {
            spans[spans.count - slotCount + slot] = Span(start: bytes.count, count: value.count)
            bytes.append(contentsOf: value)
        }

        /// The batch of the entries added so far; `cursor` names the last one.
        func finish(cursor: String) -> JournalBatch {
            JournalBatch(builder: self, cursor: cursor)
        }
    }
}
