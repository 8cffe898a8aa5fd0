/// One job of a service (SPEC §1, an entry of `jobs:`) and the conditions it is watched for.
public struct JobSpec: Sendable {
    /// The name, possibly a template with `{capture}` placeholders for dynamic jobs.
    public var name: JobName
    /// Success patterns: any one matching makes the line a heartbeat.
    public var success: [PatternSpec]
    /// Failure patterns.
    public var failure: [PatternSpec]
    /// Start patterns (a start line is never a heartbeat).
    public var start: [PatternSpec]
    /// Ignore patterns: a matching line counts for nothing for this job.
    public var ignore: [PatternSpec]
    /// A measure pattern with a named group `value`, for `breach`.
    public var measure: PatternSpec?
    /// The schedule for `missing`, or nil for none.
    public var schedule: Schedule?
    /// `max_runtime` in seconds, for `stuck`: how long one run may stay open.
    public var maxRuntime: Int64?
    /// `min_runtime` in seconds, for `too_fast`: a success closing a shorter run fires it.
    public var minRuntime: Int64?
    /// `run_key`: the capture group or field whose value pairs a start with its own end; nil pairs
    /// a start with the next success or failure of the instance (SPEC §7, runs).
    public var runKey: String?
    /// `failure_burst`, for `failing`.
    public var failureBurst: RateWindow?
    /// `min_count`, for `slow`.
    public var minCount: RateWindow?
    /// `threshold`, for `breach`.
    public var threshold: Threshold?
    /// `ping_url` for the healthchecks sink.
    public var pingURL: String?
    /// `forget_after` in seconds, as written: a dynamic instance with no line for this long and
    /// nothing firing is dropped (SPEC §7); nil takes ``forgetAfter``'s default.
    public var forgetAfterSetting: Int64?
    /// `quiet_until_first_line`: the job sends nothing until its first matching line (SPEC §7).
    public var quietUntilFirstLine = false
    /// `instances:` — for a dynamic job, the instance names watched from the monitoring start, as
    /// a static job is, so that one that never writes a line is `missing` (a dynamic instance
    /// otherwise exists from its first line on).
    public var instances: [String] = []
    /// Where the job's entry starts; for a job changed through `extends`, the entry that changed it.
    public var location: SourceLocation

    /// Creates a job; only the name and location are required.
    public init(
        name: JobName, success: [PatternSpec] = [], failure: [PatternSpec] = [], start: [PatternSpec] = [],
        ignore: [PatternSpec] = [], measure: PatternSpec? = nil, schedule: Schedule? = nil,
        maxRuntime: Int64? = nil, minRuntime: Int64? = nil, runKey: String? = nil, failureBurst: RateWindow? = nil, minCount: RateWindow? = nil,
        threshold: Threshold? = nil, pingURL: String? = nil, location: SourceLocation
    ) {
        self.name = name
        self.success = success
        self.failure = failure
        self.start = start
        self.ignore = ignore
        self.measure = measure
        self.schedule = schedule
        self.maxRuntime = maxRuntime
        self.minRuntime = minRuntime
        self.runKey = runKey
        self.failureBurst = failureBurst
        self.minCount = minCount
        self.threshold = threshold
        self.pingURL = pingURL
        self.location = location
    }
}

/// `{count: N, within: W}` for `failure_burst` and `min_count`.
public struct RateWindow: Sendable, Hashable {
    /// N, at least 1.
    public var count: Int
    /// W in seconds, at least 1.
    public var within: Int64

    /// Creates a window.
    public init(count: Int, within: Int64) {
        self.count = count
        self.within = within
    }
}

/// A bound on a measured value (`threshold:`); `breach` fires when the value is strictly beyond it.
public enum Threshold: Sendable, Hashable {
    /// Breach when the value is strictly above.
    case above(Double)
    /// Breach when the value is strictly below.
    case below(Double)
}
