/// The last `capacity` instants seen, oldest first: the memory behind sliding-window counts.
///
/// A window rule with count N never needs more than the N most recent events, so memory per job
/// stays bounded however many lines arrive. Instants arrive in time order (the evaluator's time
/// never runs backwards), and each window rule asks about windows whose bounds only move forward,
/// so ``count(after:through:)`` keeps the position of the first instant inside the last window it
/// answered and walks it forward: amortised O(1) per question, whatever the capacity (a rule with
/// `count: 200000` costs what one with `count: 10` does). A window that moved backwards (never in
/// the evaluator) is answered by binary search.
struct RecentInstants {
    private var storage: [Instant] = []
    private var head = 0
    let capacity: Int
    /// How many instants were ever appended; the kept ones are the last ``count`` of them.
    private var appended = 0
    /// The serial number (0 for the first ever appended) of the first instant after the lower bound
    /// of the last window counted, or of a kept instant at or before it.
    private var firstInWindow = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { storage.count }

    /// The kept instants, oldest first.
    var oldestFirst: [Instant] {
        Array(storage[head...] + storage[..<head])
    }

    mutating func append(_ instant: Instant) {
        if storage.count < capacity {
            storage.append(instant)
        } else {
            storage[head] = instant
            head = (head + 1) % capacity
        }
        appended += 1
    }

    /// The `n`-th most recent instant, 1-based (1 is the newest), or nil when fewer were seen.
    func mostRecent(_ n: Int) -> Instant? {
        guard n >= 1, n <= storage.count else { return nil }
        return storage[(head + storage.count - n) % storage.count]
    }

    /// How many of the kept instants fall in the half-open window `(after, through]`.
    ///
    /// - Parameters:
    ///   - lower: The window's open start.
    ///   - upper: Its closed end; the evaluator asks with the latest instant, at or after every kept one.
    mutating func count(after lower: Instant, through upper: Instant) -> Int {
        let oldest = appended - storage.count
        if firstInWindow < oldest { firstInWindow = oldest }
        if firstInWindow > oldest, instant(serial: firstInWindow - 1) > lower {
            firstInWindow = firstSerial(after: lower, from: oldest)
        }
        while firstInWindow < appended, instant(serial: firstInWindow) <= lower { firstInWindow += 1 }
        var inWindow = appended - firstInWindow
        // Kept instants after `upper` (never, from the evaluator) do not count.
        var newest = appended - 1
        while inWindow > 0, instant(serial: newest) > upper {
            inWindow -= 1
            newest -= 1
        }
        return inWindow
    }

    /// The instant with serial number `serial`, which must be kept.
    private func instant(serial: Int) -> Instant {
        let fromOldest = serial - (appended - storage.count)
        return storage[(head + fromOldest) % storage.count]
    }

    /// The serial of the first kept instant after `lower`, by binary search from `oldest`.
    private func firstSerial(after lower: Instant, from oldest: Int) -> Int {
        var low = oldest
        var high = appended
        while low < high {
            let middle = (low + high) / 2
            if instant(serial: middle) <= lower { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
