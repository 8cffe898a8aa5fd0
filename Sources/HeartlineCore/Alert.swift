/// A condition of one job instance starting or ending (SPEC §2): `{at, service, job, condition, status}`.
public struct Alert: Codable, Hashable, Sendable {
    /// Whether the condition started or ended.
    public enum Status: String, Codable, Hashable, Sendable {
        /// The condition started.
        case firing
        /// The condition ended.
        case resolved
    }

    /// The exact instant the alert is due (a deadline or the line that caused it), not when a timer woke.
    public var at: Instant
    /// The service name.
    public var service: String
    /// The job instance name (a dynamic job's name with its placeholders filled).
    public var job: String
    /// Which condition.
    public var condition: Condition
    /// Firing or resolved.
    public var status: Status
    /// For a resolved alert, when the condition began firing.
    public var since: Instant?
    /// A human explanation, e.g. what was due and when.
    public var detail: String
    /// The log lines behind the alert, as context, one per line: for a firing `failing`, `stuck` or
    /// `too_fast` alert about a run, the run's last lines (``RunTranscripts``); otherwise for
    /// `failing` the last failure line, else the job's last matching line. Nil when none is known
    /// (replay, or the line came before a restart).
    public var context: String?
    /// The host the daemon runs on. Nil outside the daemon (replay).
    public var host: String?
    /// The daemon's delivery id (its outbox row): the same on every delivery of this alert, so a
    /// receiver can drop the repeat that a crash between delivery and acknowledgement causes.
    /// Nil outside the daemon (replay).
    public var id: Int64?

    /// Creates an alert.
    public init(
        at: Instant, service: String, job: String, condition: Condition, status: Status,
        since: Instant? = nil, detail: String = ""
    ) {
        self.at = at
        self.service = service
        self.job = job
        self.condition = condition
        self.status = status
        self.since = since
        self.detail = detail
    }

    /// SPEC §2's order among alerts at one instant: resolved before firing, then service, job, condition.
    public static func precedes(_ lhs: Alert, _ rhs: Alert) -> Bool {
        if lhs.at != rhs.at { return lhs.at < rhs.at }
        if lhs.status != rhs.status { return lhs.status == .resolved }
        if lhs.service != rhs.service { return lhs.service < rhs.service }
        if lhs.job != rhs.job { return lhs.job < rhs.job }
        return lhs.condition < rhs.condition
    }
}
