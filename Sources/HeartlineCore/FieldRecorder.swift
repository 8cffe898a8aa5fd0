/// A ``FieldDecoder``'s per-line state: which slots have a value on the current line, and the bytes
/// of those values.
///
/// Wanted values are copied (escapes decoded) into one buffer that keeps its capacity from line to
/// line, so a warm decoder allocates nothing. A slot counts as set only when its stamp is the current
/// generation, so starting a line or forgetting a failed one costs no pass over the slots.
struct FieldRecorder: JSONScanner.Sink, LogfmtScanner.Sink {
    struct Slot: Sendable {
        var stamp: UInt32 = 0
        var kind: FieldValue.Kind = .null
        /// Whether the value came from a top-level key, which a nested walk may not replace.
        var topLevel = false
        /// The value's text, a range of ``FieldRecorder/text``.
        var range: Range<Int> = 0..<0
    }

    private let trie: FieldTrie
    private let maxCompositeBytes: Int
    private var slots: [Slot]
    private var generation: UInt32 = 1
    /// The text of the current line's values.
    private(set) var text: [UInt8] = []
    private var keyBuffer: [UInt8] = []
    /// The trie node of each followed JSON object, the top level's first; `followedCount` are in use.
    private var followed: [Int]
    private var followedCount = 1
    /// The trie node that the last wanted key reached.
    private var pending = 0

    init(trie: FieldTrie, slotCount: Int, limits: FieldDecoder.Limits) {
        self.trie = trie
        self.maxCompositeBytes = limits.maxCompositeBytes
        slots = Array(repeating: Slot(), count: slotCount)
        followed = Array(repeating: 0, count: limits.maxDepth + 1)
    }

    /// The value of `slot` on the current line, if it has one.
    @inline(__always)
    func slot(_ slot: Int) -> Slot? {
        let value = slots[slot]
        return value.stamp == generation ? value : nil
    }

    /// Starts a line: no slot has a value.
    mutating func reset() {
        if !text.isEmpty { text.removeAll(keepingCapacity: true) }
        followedCount = 1
        forget()
    }

    /// Drops every value, for a line that turned out undecodable.
    mutating func forget() {
        generation &+= 1
        if generation == 0 {
            for index in slots.indices { slots[index].stamp = 0 }
            generation = 1
        }
    }

    // Runs for every key of every followed object; inlined into the scanner it saves about 5 ns per line.
    @inline(__always)
    mutating func key(_ raw: UnsafeRawBufferPointer, escaped: Bool) -> Bool {
        let node = followed[followedCount - 1]
        let child: Int?
        if escaped {
            keyBuffer.removeAll(keepingCapacity: true)
            QuotedString.unescape(raw, dialect: .json, into: &keyBuffer)
            child = keyBuffer.withUnsafeBytes { trie.child(of: node, key: $0) }
        } else {
            child = trie.child(of: node, key: raw)
        }
        guard let child else { return false }
        pending = child
        // Last value wins: a repeated key's earlier value no longer gives anything below it.
        for index in trie.nodes[child].below {
            let slot = trie.subtreeSlots[index]
            if slots[slot].stamp == generation && !slots[slot].topLevel { slots[slot].stamp = 0 }
        }
        return true
    }

    mutating func scalar(_ kind: FieldValue.Kind, _ raw: UnsafeRawBufferPointer, escaped: Bool) {
        let wanted = trie.nodes[pending].slots
        guard !wanted.isEmpty else { return }
        let start = text.count
        if escaped {
            QuotedString.unescape(raw, dialect: .json, into: &text)
        } else {
            text.append(contentsOf: raw)
        }
        record(wanted, kind, start..<text.count, topLevel: followedCount == 1)
    }

    mutating func beginObject() -> Bool {
        guard !trie.nodes[pending].edges.isEmpty else { return false }
        followed[followedCount] = pending
        followedCount += 1
        return true
    }

    mutating func endObject(_ raw: UnsafeRawBufferPointer) {
        followedCount -= 1
        pending = followed[followedCount]
        composite(raw)
    }

    mutating func composite(_ raw: UnsafeRawBufferPointer) {
        let wanted = trie.nodes[pending].slots
        guard !wanted.isEmpty else { return }
        let start = text.count
        text.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[..<Self.cut(raw, at: maxCompositeBytes)]))
        record(wanted, .composite, start..<text.count, topLevel: followedCount == 1)
    }

    mutating func pair(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, escaped: Bool) {
        guard let node = trie.child(of: 0, key: key) else { return }
        let wanted = trie.nodes[node].slots
        guard !wanted.isEmpty else { return }
        let start = text.count
        if escaped {
            QuotedString.unescape(value, dialect: .logfmt, into: &text)
        } else {
            text.append(contentsOf: value)
        }
        record(wanted, .string, start..<text.count, topLevel: true)
    }

    /// Gives a value to slots; a top-level value replaces any, a nested one all but a top-level one.
    @inline(__always)
    private mutating func record(_ wanted: Range<Int>, _ kind: FieldValue.Kind, _ range: Range<Int>, topLevel: Bool) {
        for index in wanted {
            let slot = trie.nodeSlots[index]
            if !topLevel && slots[slot].stamp == generation && slots[slot].topLevel { continue }
            slots[slot] = Slot(stamp: generation, kind: kind, topLevel: topLevel, range: range)
        }
    }

    /// The length of `raw` cut to at most `limit` bytes without splitting a UTF-8 sequence.
    static func cut(_ raw: UnsafeRawBufferPointer, at limit: Int) -> Int {
        guard raw.count > limit else { return raw.count }
        // A UTF-8 sequence has at most three continuation bytes; past that the bytes are not UTF-8.
        var length = limit
        while length > 0 && length > limit - 3 && raw[length] & 0xC0 == 0x80 { length -= 1 }
        return length
    }
}
