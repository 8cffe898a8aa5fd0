/// Journal entries read together, each with the fields that a ``JournalRouting`` names, by slot:
/// what the daemon's ingest path takes from the journal.
///
/// The daemon's sd-journal reader fills one flat buffer per batch (`JournalBatch`); tests and
/// replay-driven parity runs use ``JournalEntries`` from memory. Either way each entry is routed
/// by ``JournalRouting``'s clauses and matched on its `MESSAGE`.
public protocol JournalEntryBatch {
    /// The routing the entries were read with: its ``JournalRouting/fieldNames`` are the slots.
    var routing: JournalRouting { get }
    /// How many entries the batch holds.
    var count: Int { get }
    /// An entry's `__REALTIME_TIMESTAMP`: when journald received it.
    ///
    /// - Parameter entry: The entry's position, `0..<count`.
    func realtime(of entry: Int) -> Instant
    /// Calls `body` with the bytes of one field of an entry, or with nil when the entry lacks it.
    ///
    /// - Parameters:
    ///   - slot: The field's index in ``JournalRouting/fieldNames``.
    ///   - entry: The entry's position.
    ///   - body: Gets the value's bytes (without `NAME=`), valid only during the call.
    func withField<Result>(_ slot: Int, of entry: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows
        -> Result
    /// Calls `body` with the bytes of the field called `name` of an entry, or with nil when the
    /// entry lacks it or the batch did not copy it (the default reads only ``routing``'s fields).
    ///
    /// - Parameters:
    ///   - name: A journal field name, e.g. `INVOCATION_ID`.
    ///   - entry: The entry's position.
    ///   - body: Gets the value's bytes, valid only during the call.
    func withField<Result>(named name: String, of entry: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result)
        rethrows -> Result
    /// Appends the index of every match of ``routing`` that an entry satisfies.
    ///
    /// The default compares each term's bytes through ``withField(_:of:_:)``; a batch may compare
    /// faster, but must decide by ``JournalRouting/satisfied(by:into:)``.
    func satisfied(entry: Int, into matching: inout [Int])
}

extension JournalEntryBatch {
    /// The positions of the entries, `0..<count`, in journal order.
    public var indices: Range<Int> { 0..<count }

    /// Appends the index of every match of ``routing`` that an entry satisfies, comparing bytes.
    public func satisfied(entry: Int, into matching: inout [Int]) {
        routing.satisfied(
            by: { term in
                withField(term.slot, of: entry) { value in value.map { $0.elementsEqual(term.value) } ?? false }
            }, into: &matching)
    }

    /// Reads the field through its slot in ``routing``'s ``JournalRouting/fieldNames``.
    public func withField<Result>(
        named name: String, of entry: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) rethrows -> Result {
        guard let slot = routing.fieldNames.firstIndex(of: name) else { return try body(nil) }
        return try withField(slot, of: entry, body)
    }

    /// Calls `body` with an entry's `MESSAGE` bytes (none when it has no message).
    public func withMessage<Result>(of entry: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows
        -> Result
    {
        try withField(JournalRouting.messageSlot, of: entry) {
            try body($0 ?? UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }
}

/// Journal entries held in memory (from an export stream, or written by a test) as a
/// ``JournalEntryBatch``.
public struct JournalEntries: JournalEntryBatch, Sendable {
    /// The routing whose field slots the batch answers by.
    public let routing: JournalRouting
    /// The entries, in order.
    public let entries: [JournalEntry]
    /// The slots' field names as bytes, indexed like ``JournalRouting/fieldNames``.
    private let names: [String]

    /// Holds `entries` for routing by `routing`.
    ///
    /// - Parameters:
    ///   - entries: The entries; one without a `__REALTIME_TIMESTAMP` takes time 0.
    ///   - routing: The routing of the services that will take them.
    public init(_ entries: [JournalEntry], routing: JournalRouting) {
        self.entries = entries
        self.routing = routing
        self.names = routing.fieldNames
    }

    public var count: Int { entries.count }

    public func realtime(of entry: Int) -> Instant {
        entries[entry].realtime ?? Instant(nanoseconds: 0)
    }

    public func withField<Result>(
        _ slot: Int, of entry: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) rethrows -> Result {
        guard let value = entries[entry].fields[names[slot]] else { return try body(nil) }
        return try value.withUnsafeBytes { try body($0) }
    }

    /// Reads any field the entry holds, copied by the routing or not.
    public func withField<Result>(
        named name: String, of entry: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result
    ) rethrows -> Result {
        guard let value = entries[entry].fields[name] else { return try body(nil) }
        return try value.withUnsafeBytes { try body($0) }
    }
}
