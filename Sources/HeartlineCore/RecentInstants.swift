/// The last `capacity` instants seen, oldest first: the memory behind sliding-window counts.
///
/// A window rule with count N never needs more than the N most recent events, so memory per job
/// stays bounded however many lines arrive.
struct RecentInstants {
    private var storage: [Instant] = []
    private var head = 0
    let capacity: Int

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
    }

    /// The `n`-th most recent instant, 1-based (1 is the newest), or nil when fewer were seen.
    func mostRecent(_ n: Int) -> Instant? {
        guard n >= 1, n <= storage.count else { return nil }
        return storage[(head + storage.count - n) % storage.count]
    }

    /// How many of the kept instants fall in the half-open window `(after, through]`.
    func count(after lower: Instant, through upper: Instant) -> Int {
        storage.reduce(0) { $0 + ($1 > lower && $1 <= upper ? 1 : 0) }
    }
}
