extension Evaluator {
    /// Takes one record at instant `t`: the batch-apply both drivers use.
    ///
    /// Starts monitoring at `t` when nothing did yet (replay's T0 is its first input event, SPEC
    /// §2), applies every deadline strictly before `t` (an input line at `t` is taken before the
    /// deadlines at `t`), then each of the record's events in order. A record that means nothing
    /// to any job (no events) still moves time up to it.
    ///
    /// - Parameters:
    ///   - events: What the record means for jobs, from ``LineMatcher``; may be empty.
    ///   - t: The record's event time.
    public mutating func ingest(_ events: [JobEvent], at t: Instant) {
        start(at: t)
        advance(before: t)
        guard !events.isEmpty else {
            // Time reached `t`: the alerts of earlier instants are settled (deadlines at `t` wait,
            // as a later record at `t` comes before them).
            moveTime(to: t)
            return
        }
        for event in events { apply(event, at: t) }
    }
}
