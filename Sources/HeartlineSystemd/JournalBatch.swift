import Glibc
public import HeartlineCore
public import HeartlineInput

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
public struct JournalBatch: Sendable, Hashable {
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
    private let routing: Routing

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

    /// The matches of the source that read the batch: the indices ``satisfies(match:entry:)`` takes.
    public var matches: [JournalMatch] { routing.matches }

    /// How many entries the batch holds; at least one.
    public var count: Int { realtimes.count }

    /// The positions of the entries, `0..<count`, in journal order.
    public var indices: Range<Int> { 0..<count }

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

    /// Calls `body` with an entry's `MESSAGE` bytes (none when it has no message).
    ///
    /// - Parameters:
    ///   - entry: The entry's position in the batch.
    ///   - body: Gets the bytes, valid only during the call.
    /// - Returns: What `body` returns.
    public func withMessage<Result>(of entry: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows
        -> Result
    {
        try withField(Routing.messageSlot, of: entry) { try body($0 ?? UnsafeRawBufferPointer(start: nil, count: 0)) }
    }

    /// Whether an entry satisfies one of the source's matches, so that it goes to that match's service.
    ///
    /// Decided on the entry's copied fields with ``JournalMatch/matches(_:)``'s rules (`unit` as
    /// `journalctl -u` expands it), comparing bytes exactly as sd-journal's own matching does.
    ///
    /// - Parameters:
    ///   - match: The match's index in the `matches` the source was created with.
    ///   - entry: The entry's position in the batch.
    public func satisfies(match: Int, entry: Int) -> Bool {
        let base = entry * fieldNames.count
        return bytes.withUnsafeBytes { all in
            routing.clauses[match].contains { clause in
                clause.allSatisfy { term in
                    let span = spans[base + term.slot]
                    guard span.start >= 0, span.count == term.value.count else { return false }
                    return term.value.withUnsafeBytes { value in
                        value.count == 0 || memcmp(all.baseAddress! + span.start, value.baseAddress!, value.count) == 0
                    }
                }
            }
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
    /// The copied fields' slots and each match's clauses over them, prepared once per source and
    /// shared by its batches.
    final class Routing: Sendable {
        /// One `FIELD=value` term, its field given by slot.
        struct Term: Hashable {
            var slot: Int
            var value: [UInt8]
        }

        /// `MESSAGE` is always the first copied field (``JournalFilter/baseFields``).
        static let messageSlot = 0

        let fieldNames: [String]
        /// The source's matches, which ``clauses`` are indexed like.
        let matches: [JournalMatch]
        /// Per match, the OR of AND-clauses an entry must satisfy (``JournalFilter``'s expansion).
        let clauses: [[[Term]]]

        init(filter: JournalFilter) {
            fieldNames = filter.copiedFields
            matches = filter.matches
            var slots: [String: Int] = [:]
            for (slot, name) in filter.copiedFields.enumerated() { slots[name] = slot }
            clauses = filter.clausesPerMatch.map { alternatives in
                alternatives.map { clause in
                    // The filter copies every field its terms name.
                    clause.map { Term(slot: slots[$0.field]!, value: Array($0.value.utf8)) }
                }
            }
        }
    }

    /// Collects entries on the reader thread; ``finish(cursor:)`` turns them into a batch.
    struct Builder {
        let routing: Routing
        fileprivate(set) var realtimes: [UInt64] = []
        fileprivate(set) var spans: [Span] = []
        fileprivate(set) var bytes: [UInt8] = []
        private let slotCount: Int

        /// Creates an empty builder with room for `capacity` entries of about `bytesPerEntry` bytes.
        init(routing: Routing, capacity: Int, bytesPerEntry: Int) {
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
