/// What one line means for one job instance: the matcher's output and the evaluator's input.
public struct JobEvent: Hashable, Sendable {
    /// The kinds of line (SPEC §1 precedence: ignore, failure, success, start, measure).
    public enum Kind: Hashable, Sendable {
        /// A success line: the heartbeat.
        case success
        /// A failure line.
        case failure
        /// A start line (never a heartbeat).
        case start
        /// A measure line with the number read from its `value` group.
        case measure(Double)
    }

    /// Index of the service in the evaluator's service list.
    public var service: Int
    /// Index of the job in its service's `jobs`.
    public var job: Int
    /// The instance name: the job's name, with placeholders filled for a dynamic job.
    public var instance: String
    /// What the line was for this job.
    public var kind: Kind
    /// The value of the job's `run_key` on this line, or nil (no key configured, or the line lacks
    /// it): a start opens the run of this key, a success or failure closes it.
    public var runKey: String?

    /// Creates an event.
    public init(service: Int, job: Int, instance: String, kind: Kind, runKey: String? = nil) {
        self.service = service
        self.job = job
        self.instance = instance
        self.kind = kind
        self.runKey = runKey
    }
}
