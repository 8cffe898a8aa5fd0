/// One job `heartline discover` found: a timer, a crontab entry or an anacrontab job, and the
/// pattern file that watches it or the reason there is none.
public struct DiscoveredJob: Sendable {
    /// Where the job is defined: the timer's unit file, or the crontab line.
    public var source: SourceLocation
    /// What the table shows in its first column: the timer's name, or the line as written.
    public var title: String
    /// The schedule as the source writes it, such as `OnCalendar=weekly` or `17 * * * *`.
    public var scheduleText: String
    /// The schedule Heartline watches, when it has one.
    public var schedule: Schedule?
    /// The service name, when a pattern file is made.
    public var service: String?
    /// The pattern file's YAML, when one is made (without the generated-file header).
    public var patternFile: String?
    /// Why no pattern file is made, when none is.
    public var skipped: String?
    /// Things the operator should know about the mapping (a `CRON_TZ=` cron does not honour, a
    /// monotonic trigger left out, `Persistent=`).
    public var notes: [String]

    /// Creates a job.
    public init(
        source: SourceLocation, title: String, scheduleText: String, schedule: Schedule? = nil, service: String? = nil,
        patternFile: String? = nil, skipped: String? = nil, notes: [String] = []
    ) {
        self.source = source
        self.title = title
        self.scheduleText = scheduleText
        self.schedule = schedule
        self.service = service
        self.patternFile = patternFile
        self.skipped = skipped
        self.notes = notes
    }
}
