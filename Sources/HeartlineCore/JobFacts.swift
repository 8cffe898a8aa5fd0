/// What must be saved of one job instance to carry it across a restart or a reload.
///
/// Only facts, never deadlines: deadlines are derived again from the facts under the job's
/// current spec (``Evaluator/init(services:restoring:)``). Fields added after the first release
/// are optional, so that snapshots written before them still decode.
public struct JobFacts: Codable, Hashable, Sendable {
    /// A run that has started and not yet ended.
    public struct OpenRun: Codable, Hashable, Sendable {
        /// The run key's value, or nil for a run opened by a start line without one.
        public var key: String?
        /// The instant of the start line (of the latest one, when the run was restarted).
        public var started: Instant

        /// Creates an open run.
        ///
        /// - Parameters:
        ///   - key: The run key's value, or nil.
        ///   - started: The start line's instant.
        public init(key: String?, started: Instant) {
            self.key = key
            self.started = started
        }
    }

    /// The instance name (a dynamic job's filled-in name).
    public var instance: String
    /// T0 of this instance.
    public var monitoringStart: Instant
    /// Conditions firing, with the instant each began.
    public var firing: [Condition: Instant]
    /// The last success line's instant.
    public var lastSuccess: Instant?
    /// The start line of the open run without a run key, if there is one.
    ///
    /// Snapshots from before run keys hold the open run only here; newer ones write it here too, and
    /// in ``openRuns``, which takes precedence when present.
    public var startedAt: Instant?
    /// The most recent failures (at most `failure_burst.count`), oldest first.
    public var recentFailures: [Instant]
    /// The most recent successes (at most `min_count.count`), oldest first.
    public var recentSuccesses: [Instant]
    /// Every open run, with or without a key, oldest start first; nil when no run with a key is
    /// open, so that ``startedAt`` says all (as in snapshots from before run keys).
    public var openRuns: [OpenRun]?
    /// The run closed last, for status and the `missing` alert's detail; nil before the first.
    public var lastRun: ClosedRun?
    /// The instant of the last line of any kind (for `forget_after` and `quiet_until_first_line`);
    /// nil before the first, and in snapshots from before it was saved.
    public var lastLine: Instant?
    /// When a condition last resolved (for `forget_after`); nil before the first.
    public var lastResolve: Instant?

    /// Creates facts.
    public init(
        instance: String, monitoringStart: Instant, firing: [Condition: Instant], lastSuccess: Instant?,
        startedAt: Instant?, recentFailures: [Instant], recentSuccesses: [Instant], openRuns: [OpenRun]? = nil,
        lastRun: ClosedRun? = nil, lastLine: Instant? = nil, lastResolve: Instant? = nil
    ) {
        self.lastLine = lastLine
        self.lastResolve = lastResolve
        self.instance = instance
        self.monitoringStart = monitoringStart
        self.firing = firing
        self.lastSuccess = lastSuccess
        self.startedAt = startedAt
        self.recentFailures = recentFailures
        self.recentSuccesses = recentSuccesses
        self.openRuns = openRuns
        self.lastRun = lastRun
    }

    /// The open runs these facts describe, oldest first: ``openRuns``, or else the one of
    /// ``startedAt``.
    var allOpenRuns: [OpenRun] {
        openRuns ?? startedAt.map { [OpenRun(key: nil, started: $0)] } ?? []
    }
}
