/// The open runs of one job instance by run key (nil is the key of a run without one), with the
/// oldest at hand.
///
/// Runs open in time order, since the evaluator's time never runs backwards: the oldest run is the
/// one with the earliest start, and so the earliest `max_runtime` deadline. A restarted run moves
/// to the end. Opening, closing, and finding or removing the oldest run cost O(1) amortized: a
/// closed or restarted run leaves a stale entry in the order, dropped when it reaches the front,
/// and the order is rebuilt once stale entries outnumber live ones.
struct OpenRuns {
    private struct Entry {
        var key: String?
        var started: Instant
        var serial: Int
    }

    /// Each open run's start and the serial number of its live entry in `order`.
    private var runs: [String?: (started: Instant, serial: Int)] = [:]
    /// Entries in start order from `head` on; an entry is live while `runs` holds its serial.
    private var order: [Entry] = []
    private var head = 0
    private var nextSerial = 0

    /// Opens runs in the given order (oldest first), as saved.
    init(_ saved: [JobFacts.OpenRun] = []) {
        for run in saved { open(run.key, at: run.started) }
    }

    /// How many runs are open.
    var count: Int { runs.count }

    /// The oldest open run (earliest start), or nil when none is open.
    var oldest: JobFacts.OpenRun? {
        head < order.count ? JobFacts.OpenRun(key: order[head].key, started: order[head].started) : nil
    }

    /// Every open run, oldest first.
    var inOrder: [JobFacts.OpenRun] {
        order[head...].filter(isLive).map { JobFacts.OpenRun(key: $0.key, started: $0.started) }
    }

    /// The start of the open run of `key`, if any.
    func started(_ key: String?) -> Instant? {
        runs[key]?.started
    }

    /// Opens the run of `key` at `t`, or restarts it there if it is open.
    mutating func open(_ key: String?, at t: Instant) {
        runs[key] = (t, nextSerial)
        order.append(Entry(key: key, started: t, serial: nextSerial))
        nextSerial += 1
        tidy()
    }

    /// Closes the run of `key`.
    ///
    /// - Returns: Its start, or nil when no run of `key` was open.
    mutating func close(_ key: String?) -> Instant? {
        guard let run = runs.removeValue(forKey: key) else { return nil }
        tidy()
        return run.started
    }

    /// Closes the oldest run.
    ///
    /// - Returns: It, or nil when none was open.
    mutating func removeOldest() -> JobFacts.OpenRun? {
        guard let run = oldest else { return nil }
        _ = close(run.key)
        return run
    }

    private func isLive(_ entry: Entry) -> Bool {
        runs[entry.key]?.serial == entry.serial
    }

    /// Keeps a live entry (or nothing) at the front, and stale entries fewer than live ones plus a few.
    private mutating func tidy() {
        while head < order.count, !isLive(order[head]) { head += 1 }
        if order.count - head > 2 * runs.count + 16 || head > 64 && head > order.count / 2 {
            order = order[head...].filter(isLive)
            head = 0
        }
    }
}
