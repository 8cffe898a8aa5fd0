public import HeartlineCore
public import HeartlineDaemon

/// One job instance as `/api/v1/jobs` gives it (SPEC §4) and `heartline status` reads it.
///
/// JSON keys in snake case, like the configuration's: `service`, `job`, `state` (`ok` or
/// `firing`), `last_success` (RFC 3339 in UTC, or null), `firing` (a list of `condition` and
/// `since`, by condition name), `watched` (condition names), `successes`, `failures`; and of runs
/// (SPEC §7): `last_run_start` (RFC 3339 in UTC, or null before the first closed run),
/// `last_run_duration_seconds` (a number, nanosecond precision; for a stuck run its
/// `max_runtime`), `last_run_outcome` (`success`, `failure` or `stuck`), `open_runs`, and `next_due`
/// (RFC 3339 in UTC: when a success is next due by the schedule, before grace, and while `missing`
/// fires the due time that was missed; null without a schedule); `discovered` (true for a job of a
/// service `discover:` found) and `discovered_from` (the timer unit or crontab line, or null).
/// Every key is written, null when unknown; the run and discovery keys may be absent from an older
/// daemon's answer, and read as unknown (not discovered).
public struct JobReport: Sendable, Codable, Hashable {
    /// A condition firing and when it began.
    public struct Firing: Sendable, Codable, Hashable {
        /// The condition.
        public var condition: Condition
        /// When it began firing, RFC 3339 in UTC.
        public var since: String

        /// Creates a firing entry.
        public init(condition: Condition, since: String) {
            self.condition = condition
            self.since = since
        }
    }

    /// The service name.
    public var service: String
    /// The job instance name.
    public var job: String
    /// `ok`, or `firing` while any condition fires.
    public var state: String
    /// The last success line's time, RFC 3339 in UTC, or nil before the first.
    public var lastSuccess: String?
    /// The conditions firing, by condition name.
    public var firing: [Firing]
    /// The conditions the job's rules watch for.
    public var watched: [Condition]
    /// Success lines counted since the daemon started.
    public var successes: Int
    /// Failure lines counted since the daemon started.
    public var failures: Int
    /// When the last closed run started, RFC 3339 in UTC, or nil before the first.
    public var lastRunStart: String?
    /// How long the last closed run took, in seconds; for a stuck run its `max_runtime`.
    public var lastRunDuration: Double?
    /// How the last closed run ended.
    public var lastRunOutcome: ClosedRun.Outcome?
    /// How many runs are open.
    public var openRuns: Int
    /// When a success is next due by the schedule (before grace), RFC 3339 in UTC; nil without one.
    public var nextDue: String?
    /// Whether the job's service was found by `discover:` rather than read from a pattern file.
    public var discovered: Bool
    /// The timer unit or crontab line a discovered job watches.
    public var discoveredFrom: String?

    enum CodingKeys: String, CodingKey {
        case service, job, state, firing, watched, successes, failures
        case lastSuccess = "last_success"
        case lastRunStart = "last_run_start"
        case lastRunDuration = "last_run_duration_seconds"
        case lastRunOutcome = "last_run_outcome"
        case openRuns = "open_runs"
        case nextDue = "next_due"
        case discovered
        case discoveredFrom = "discovered_from"
    }

    /// The report of one job's status.
    ///
    /// - Parameter job: The job's status as the daemon published it.
    public init(_ job: DaemonStatus.Job) {
        service = job.service
        self.job = job.job
        state = job.firing.isEmpty ? "ok" : "firing"
        lastSuccess = job.lastSuccess?.rfc3339
        firing = job.firing.sorted { $0.key < $1.key }.map { Firing(condition: $0.key, since: $0.value.rfc3339) }
        watched = job.watched
        successes = job.successes
        failures = job.failures
        lastRunStart = job.lastRun?.started.rfc3339
        lastRunDuration = job.lastRun?.durationSeconds
        lastRunOutcome = job.lastRun?.outcome
        openRuns = job.openRuns
        nextDue = job.nextDue?.rfc3339
        discovered = job.discoveredFrom != nil
        discoveredFrom = job.discoveredFrom
    }

    /// Reads a report; the run keys, which daemons before runs did not write, may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        service = try container.decode(String.self, forKey: .service)
        job = try container.decode(String.self, forKey: .job)
        state = try container.decode(String.self, forKey: .state)
        lastSuccess = try container.decodeIfPresent(String.self, forKey: .lastSuccess)
        firing = try container.decode([Firing].self, forKey: .firing)
        watched = try container.decode([Condition].self, forKey: .watched)
        successes = try container.decode(Int.self, forKey: .successes)
        failures = try container.decode(Int.self, forKey: .failures)
        lastRunStart = try container.decodeIfPresent(String.self, forKey: .lastRunStart)
        lastRunDuration = try container.decodeIfPresent(Double.self, forKey: .lastRunDuration)
        lastRunOutcome = try container.decodeIfPresent(ClosedRun.Outcome.self, forKey: .lastRunOutcome)
        openRuns = try container.decodeIfPresent(Int.self, forKey: .openRuns) ?? 0
        nextDue = try container.decodeIfPresent(String.self, forKey: .nextDue)
        discovered = try container.decodeIfPresent(Bool.self, forKey: .discovered) ?? false
        discoveredFrom = try container.decodeIfPresent(String.self, forKey: .discoveredFrom)
    }

    /// Writes every key, those unknown (`last_success`, the last run's, `next_due`) as null, so
    /// that clients see the full shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(service, forKey: .service)
        try container.encode(job, forKey: .job)
        try container.encode(state, forKey: .state)
        try container.encode(lastSuccess, forKey: .lastSuccess)
        try container.encode(firing, forKey: .firing)
        try container.encode(watched, forKey: .watched)
        try container.encode(successes, forKey: .successes)
        try container.encode(failures, forKey: .failures)
        try container.encode(lastRunStart, forKey: .lastRunStart)
        try container.encode(lastRunDuration, forKey: .lastRunDuration)
        try container.encode(lastRunOutcome, forKey: .lastRunOutcome)
        try container.encode(openRuns, forKey: .openRuns)
        try container.encode(nextDue, forKey: .nextDue)
        try container.encode(discovered, forKey: .discovered)
        try container.encode(discoveredFrom, forKey: .discoveredFrom)
    }
}
