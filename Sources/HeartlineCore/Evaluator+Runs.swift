extension Evaluator {
    /// The most runs one job instance keeps open: a start line that would open one more drops the
    /// oldest open run, counted in ``InstanceSummary/droppedRuns``. A run key that never meets its
    /// end (a pattern that captures the key differently in start and end lines) so costs bounded
    /// memory.
    public static let openRunLimit = 1000

    /// How many closed runs wait for ``takeClosedRuns()`` before the oldest are dropped: at least
    /// this many of the latest are kept. Replay never takes them.
    public static let closedRunBufferLimit = 1024

    /// Whether ``takeClosedRuns()`` would return anything.
    public var hasClosedRuns: Bool { !closedRuns.isEmpty }

    /// Removes and returns the runs closed since the last call, oldest first: each run ended by a
    /// success or failure line (at its instant) or closed as stuck (at its `max_runtime` deadline),
    /// as it happened; unlike alerts they are not held back to the end of their instant. At least
    /// the latest ``closedRunBufferLimit`` are kept between calls.
    public mutating func takeClosedRuns() -> [RunRecord] {
        guard !closedRuns.isEmpty else { return [] }
        var taken: [RunRecord] = []
        swap(&taken, &closedRuns)
        return taken
    }

    /// What status shows of every job instance, in the order instances were made (static jobs of
    /// each service in order at T0, dynamic ones at their first line).
    public func instanceSummaries() -> [InstanceSummary] {
        states.compactMap { $0 }.map { state in
            InstanceSummary(
                service: services[state.service].name, job: services[state.service].jobs[state.job].name.template,
                instance: state.name, lastSuccess: state.lastSuccess, firing: state.firing, lastRun: state.lastRun,
                openRuns: state.runs.count, oldestOpenRun: state.runs.oldest?.started, nextDue: state.due,
                droppedRuns: state.droppedRuns)
        }
    }

    /// Keeps a closed run for ``takeClosedRuns()``; past twice the limit, drops all but the latest
    /// ``closedRunBufferLimit`` (in one move, so that keeping costs O(1) amortized).
    mutating func keep(_ record: RunRecord) {
        if closedRuns.count >= 2 * Self.closedRunBufferLimit {
            closedRuns.removeFirst(closedRuns.count - Self.closedRunBufferLimit)
        }
        closedRuns.append(record)
    }
}
