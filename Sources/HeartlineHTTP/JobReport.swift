public import HeartlineCore
public import HeartlineDaemon

/// One job instance as `/api/v1/jobs` gives it (SPEC §4) and `heartline status` reads it.
///
/// JSON keys in snake case, like the configuration's: `service`, `job`, `state` (`ok` or
/// `firing`), `last_success` (RFC 3339 in UTC, or null), `firing` (a list of `condition` and
/// `since`, by condition name), `watched` (condition names), `successes`, `failures`.
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

    enum CodingKeys: String, CodingKey {
        case service, job, state, firing, watched, successes, failures
        case lastSuccess = "last_success"
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
    }

    /// Writes every key, `last_success` as null when there is none, so that clients see the
    /// full shape.
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
    }
}
