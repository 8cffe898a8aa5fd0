/// What must be saved of one job instance to carry it across a restart or a reload.
///
/// Only facts, never deadlines: deadlines are derived again from the facts under the job's
/// current spec (``Evaluator/init(services:restoring:)``).
public struct JobFacts: Codable, Hashable, Sendable {
    /// The instance name (a dynamic job's filled-in name).
    public var instance: String
    /// T0 of this instance.
    public var monitoringStart: Instant
    /// Conditions firing, with the instant each began.
    public var firing: [Condition: Instant]
    /// The last success line's instant.
    public var lastSuccess: Instant?
    /// The start line of a run that has not yet ended.
    public var startedAt: Instant?
    /// The most recent failures (at most `failure_burst.count`), oldest first.
    public var recentFailures: [Instant]
    /// The most recent successes (at most `min_count.count`), oldest first.
    public var recentSuccesses: [Instant]

    /// Creates facts.
    public init(
        instance: String, monitoringStart: Instant, firing: [Condition: Instant], lastSuccess: Instant?,
        startedAt: Instant?, recentFailures: [Instant], recentSuccesses: [Instant]
    ) {
        self.instance = instance
        self.monitoringStart = monitoringStart
        self.firing = firing
        self.lastSuccess = lastSuccess
        self.startedAt = startedAt
        self.recentFailures = recentFailures
        self.recentSuccesses = recentSuccesses
    }
}
