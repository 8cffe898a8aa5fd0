internal import CVectorscan
import Glibc

/// Finds the candidate patterns of a line with a ``MultiPatternPrefilter``. One per thread.
///
/// Two ways in: ``scan(_:)`` scans one line; ``scan(_:within:generation:)`` scans the whole
/// buffer the line sits in once, then answers for each later line of that buffer from the
/// recorded matches, which spares the per-call cost of Vectorscan on every line.
public final class PrefilterScanner {
    private let prefilter: MultiPatternPrefilter
    private var scratch: OpaquePointer?
    private let collector: MatchCollector
    private let found: UnsafeMutablePointer<Int32>
    private var foundCount = 0

    private var blockGeneration: Int?
    private var blockStart: UnsafeRawPointer?
    private var blockEnd: UnsafeRawPointer?
    /// Whether the block was scanned whole (valid UTF-8, and no `\r` that a `$` could trip on);
    /// if not, each of its lines is scanned alone.
    private var blockScannedWhole = false
    /// The first recorded hit not before the last line asked about.
    private var cursor = 0
    /// Whether the collector holds the block's hits, not a single line's.
    private var collectorHoldsBlock = false

    /// The pattern indices found by the last scan, in no particular order, possibly repeated.
    public var candidates: UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: found, count: foundCount)
    }

    init(prefilter: MultiPatternPrefilter) {
        self.prefilter = prefilter
        if let database = prefilter.database {
            hs_alloc_scratch(database, &scratch)
        }
        collector = MatchCollector(patterns: prefilter.count)
        // One slot per pattern for the line, plus the subject-anchored ones, which always come.
        found = .allocate(capacity: 2 * max(1, prefilter.count))
    }

    deinit {
        if let scratch { hs_free_scratch(scratch) }
        found.deallocate()
    }

    /// Scans one line; afterwards ``candidates`` lists the patterns that may match it.
    ///
    /// - Parameter line: The line's bytes without its newline.
    public func scan(_ line: UnsafeRawBufferPointer) {
        guard UTF8Check.isValid(line) else { return allCandidates() }
        collectorHoldsBlock = false
        run(line)
        foundCount = 0
        appendUnsupported()
        for hit in 0..<collector.count { append(collector.ids[hit]) }
    }

    /// Scans `block` unless it was scanned already, then sets ``candidates`` for `line`.
    ///
    /// - Parameters:
    ///   - line: A line without its newline, lying inside `block`.
    ///   - block: The buffer the line sits in, from the line's start on; only whole lines
    ///     (up to the last newline) are scanned.
    ///   - generation: Changes whenever the buffer's bytes change (``LineReader``'s generation);
    ///     while it is the same, earlier scan results for this buffer still hold.
    public func scan(_ line: UnsafeRawBufferPointer, within block: UnsafeRawBufferPointer, generation: Int) {
        guard let lineStart = line.baseAddress, let base = block.baseAddress else { return scan(line) }
        let lineEnd = lineStart + line.count
        // A block scanned line by line is not scanned again for each line.
        if generation != blockGeneration || (blockScannedWhole && !collectorHoldsBlock)
            || blockStart.map({ lineStart < $0 }) ?? true || blockEnd.map({ lineEnd > $0 }) ?? true
        {
            // The buffer usually ends within a line or two of its last newline.
            guard let lastNewline = block.lastIndex(of: 0x0A) else { return scan(line) }
            let whole = UnsafeRawBufferPointer(rebasing: block[...lastNewline])
            blockGeneration = generation
            blockStart = base
            blockEnd = base + lastNewline + 1
            // Patterns compile for UTF-8, and Vectorscan's `$` holds only before `\n`, where PCRE2
            // sees the line without its `\r`: such blocks are scanned line by line instead.
            blockScannedWhole =
                UTF8Check.isValid(whole)
                && !(prefilter.anchorsLineEnd && memchr(whole.baseAddress!, 0x0D, whole.count) != nil)
            cursor = 0
            if blockScannedWhole { run(whole) }
            collectorHoldsBlock = true
            guard lineEnd <= blockEnd! else { return scan(line) }
        }
        guard blockScannedWhole, let blockStart else { return scan(line) }
        foundCount = 0
        appendUnsupported()
        let from = blockStart.distance(to: lineStart)
        let through = blockStart.distance(to: lineEnd)
        var hit = firstHit(endingAtOrAfter: from)
        cursor = hit
        while hit < collector.count, collector.ends[hit] <= through {
            append(collector.ids[hit])
            hit += 1
        }
    }

    /// Where the next recorded hit of the block last scanned ends, at or after `position`; the
    /// block's end when no hit is left. Lines that end before it can have no candidate.
    ///
    /// - Parameter position: A place in the block, usually the start of the line after the last
    ///   one asked about.
    /// - Returns: nil when no line may be passed over unasked: the block was not valid UTF-8, some
    ///   patterns are candidates on every line, or `position` is outside the block.
    public func nextHitEnd(atOrAfter position: UnsafeRawPointer) -> UnsafeRawPointer? {
        guard blockScannedWhole, collectorHoldsBlock, prefilter.unsupported.isEmpty, let blockStart, let blockEnd,
            position >= blockStart, position <= blockEnd
        else { return nil }
        let hit = firstHit(endingAtOrAfter: blockStart.distance(to: position))
        return hit < collector.count ? blockStart + collector.ends[hit] : blockEnd
    }

    /// The index of the first recorded hit ending at or after `offset` in the block. Lines are
    /// usually asked for in order, so it walks on from ``cursor`` and searches only for an offset
    /// before it.
    private func firstHit(endingAtOrAfter offset: Int) -> Int {
        var hit = cursor
        if hit > 0, collector.ends[hit - 1] >= offset {
            return collector.firstHit(endingAtOrAfter: offset)
        }
        while hit < collector.count, collector.ends[hit] < offset { hit += 1 }
        return hit
    }

    private func run(_ subject: UnsafeRawBufferPointer) {
        collector.reset(subject)
        guard let database = prefilter.database, let scratch else { return }
        let base = subject.baseAddress?.assumingMemoryBound(to: CChar.self)
        let context = Unmanaged.passUnretained(collector).toOpaque()
        _ = VectorscanRuntime.scan(database, base, UInt32(subject.count), 0, scratch, onMatch, context)
        collector.sortByEnd()
    }

    private func allCandidates() {
        for index in 0..<prefilter.count { found[index] = Int32(index) }
        foundCount = prefilter.count
    }

    private func appendUnsupported() {
        for id in prefilter.unsupported { append(id) }
    }

    private func append(_ id: Int32) {
        guard foundCount < 2 * max(1, prefilter.count) else { return }
        found[foundCount] = id
        foundCount += 1
    }
}

/// The matches of one Vectorscan scan: (end offset, pattern id), at most one per pattern per line.
final class MatchCollector {
    private(set) var ends: [Int] = []
    private(set) var ids: [Int32] = []
    var count: Int { ends.count }
    private var lastEnd: [Int]
    private var subject = UnsafeRawBufferPointer(start: nil, count: 0)

    init(patterns: Int) {
        lastEnd = Array(repeating: -1, count: patterns)
    }

    func reset(_ subject: UnsafeRawBufferPointer) {
        self.subject = subject
        ends.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        for index in lastEnd.indices { lastEnd[index] = -1 }
    }

    /// Records a match unless the same pattern already matched earlier on the same line
    /// (a pattern such as `[0-9]+` reports at every digit).
    func record(id: Int32, end: Int) {
        let previous = lastEnd[Int(id)]
        if previous >= 0, previous <= end, let base = subject.baseAddress,
            memchr(base + previous, 0x0A, end - previous) == nil
        {
            return
        }
        lastEnd[Int(id)] = end
        ends.append(end)
        ids.append(id)
    }

    /// Vectorscan reports in order of end offset in block mode; sorting makes lookups safe
    /// without relying on it.
    func sortByEnd() {
        guard !zip(ends, ends.dropFirst()).allSatisfy({ $0 <= $1 }) else { return }
        let order = ends.indices.sorted { ends[$0] < ends[$1] }
        ends = order.map { ends[$0] }
        ids = order.map { ids[$0] }
    }

    /// The index of the first match ending at or after `offset` (binary search).
    func firstHit(endingAtOrAfter offset: Int) -> Int {
        var low = 0
        var high = ends.count
        while low < high {
            let mid = (low + high) / 2
            if ends[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// Vectorscan's match callback: records the match and carries on scanning.
private func onMatch(
    id: UInt32, from: UInt64, to: UInt64, flags: UInt32, context: UnsafeMutableRawPointer?
) -> Int32 {
    // The scanner holds the collector for the whole scan, so no retain is needed per match.
    Unmanaged<MatchCollector>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.record(id: Int32(id), end: Int(to)) }
    return 0
}
