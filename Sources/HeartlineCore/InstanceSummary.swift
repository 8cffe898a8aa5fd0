/// One job instance as the evaluator knows it now, for status (``Evaluator/instanceSummaries()``).
public struct InstanceSummary: Hashable, Sendable {
    /// The service name.
    public var service: String
    /// The job's name as written in the pattern file (a template for a dynamic job).
    public var job: String
    /// The instance name (a dynamic job's filled-in name).
    public var instance: String
    /// The last success line's instant, if any.
    public var lastSuccess: Instant?
    /// Conditions firing, with the instant each began.
    public var firing: [Condition: Instant]
    /// The run closed last (by a success or failure line, or as stuck), if any.
    public var lastRun: ClosedRun?
    /// How many runs are open.
    public var openRuns: Int
    /// The start of the oldest open run, if any is open.
    public var oldestOpenRun: Instant?
    /// When the job is next due by its `every`, `cron` or `calendar` schedule: the instant a success
    /// is expected by, before grace (`missing` fires at this plus grace). While `missing` fires, the
    /// due instant that was missed. Nil for a job without a schedule, or when the due time lies past
    /// ``Instant/latest`` (or, for a calendar, when systemd finds no elapse).
    public var nextDue: Instant?
    /// Open runs dropped at ``Evaluator/openRunLimit`` since this evaluator was made (a restart or
    /// reload makes a new one).
    public var droppedRuns: Int

    /// Creates a summary.
    public init(
        service: String, job: String, instance: String, lastSuccess: Instant?, firing: [Condition: Instant],
        lastRun: ClosedRun?, openRuns: Int, oldestOpenRun: Instant?, nextDue: Instant?, droppedRuns: Int
    ) {
        self.service = service
        self.job = job
        self.instance = instance
        self.lastSuccess = lastSuccess
        self.firing = firing
        self.lastRun = lastRun
        self.openRuns = openRuns
        self.oldestOpenRun = oldestOpenRun
        self.nextDue = nextDue
        self.droppedRuns = droppedRuns
    }
}
