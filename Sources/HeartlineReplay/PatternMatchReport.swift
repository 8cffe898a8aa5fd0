public import HeartlineCore

/// What `heartline match` found (SPEC §5, in the manner of fail2ban-regex): for every service, job
/// and pattern of some pattern files, how many lines of some logs it matched.
///
/// Every line is tried against every pattern of every service, whatever the services' `source:`
/// says, since the user named the logs to try. Each pattern is counted on its own, so a line that
/// matches a success and a failure pattern counts for both patterns; the job's counts say what the
/// line means for the job under SPEC §1 precedence, as replay would take it. A journal export
/// entry is one line: its `MESSAGE`. Built by ``PatternMatchCounter``.
public struct PatternMatchReport: Sendable, Hashable {
    /// The kinds of pattern a job has (SPEC §1).
    public enum PatternKind: String, Sendable, Hashable, CaseIterable {
        /// A heartbeat.
        case success
        /// A failure line.
        case failure
        /// A start line.
        case start
        /// A line that counts for nothing for the job.
        case ignore
        /// A watchdog line with a number in its group `value`.
        case measure
    }

    /// One input read.
    public struct Input: Sendable, Hashable {
        /// The name messages use: the path, `standard input`, or a test's name for inline lines.
        public var name: String
        /// Lines (or journal export entries) read from it.
        public var lines = 0
        /// Whether it was a journal export stream.
        public var isJournal = false
    }

    /// One pattern and the lines it matched.
    public struct Pattern: Sendable, Hashable {
        /// Which list of its job the pattern is in.
        public var kind: PatternKind
        /// The regex as written.
        public var source: String
        /// Where it is written.
        public var location: SourceLocation
        /// Lines it matched.
        public var matched = 0
        /// The first few lines it matched, as ``PatternMatchCounter/sample(_:)`` cuts them; not escaped.
        public var samples: [String] = []
        /// For a pattern that reads fields, what each sample decoded to, parallel to ``samples``:
        /// `path=value` pairs, or why the line did not decode (see ``PatternMatchCounter``). Empty for a
        /// plain regex.
        public var sampleFields: [String] = []
        /// Lines on which PCRE2 gave up at its match limit; they count as not matched.
        public var limitHits = 0
    }

    /// One job and what the lines meant for it.
    public struct Job: Sendable, Hashable {
        /// The name as written, possibly a template such as `queue-{class}`.
        public var name: String
        /// Where the job's entry is.
        public var location: SourceLocation
        /// Its patterns, in the order success, failure, start, ignore, measure, each list in file order.
        public var patterns: [Pattern]
        /// Lines the job takes as each kind, after SPEC §1 precedence and `ignore` (never `.ignore`).
        public var counted: [PatternKind: Int] = [:]
        /// Lines another pattern of the job matched that an `ignore` pattern dropped.
        public var ignored = 0
        /// Measure lines whose `value` group did not hold a number.
        public var unreadableMeasures = 0
        /// For a dynamic job, the lines counted for each instance name.
        public var instances: [String: Int] = [:]
    }

    /// One service: its timestamp reading and its jobs.
    public struct Service: Sendable, Hashable {
        /// The service name.
        public var name: String
        /// Where its pattern file starts.
        public var location: SourceLocation
        /// How it reads a plain line's time.
        public var timestamp: TimestampSpec
        /// Lines whose time it could not read (journal entries without `__REALTIME_TIMESTAMP`).
        public var untimed = 0
        /// The earliest time read.
        public var earliest: Instant?
        /// The latest time read.
        public var latest: Instant?
        /// Its jobs, in file order.
        public var jobs: [Job]
    }

    /// The inputs, in the order read.
    public var inputs: [Input] = []
    /// Lines and journal entries read, all inputs together.
    public var lines = 0
    /// Lines that count for at least one job.
    public var matched = 0
    /// Lines some pattern matched that count for no job: dropped by `ignore`, matched by an
    /// `ignore` pattern alone, or a measure line without a number.
    public var ignored = 0
    /// Lines no pattern matched.
    public var missed = 0
    /// Lines cut at the line-length limit.
    public var truncated = 0
    /// The services, in the order of their files.
    public var services: [Service]

    /// Creates an empty report for `services`.
    ///
    /// - Parameter services: The services whose patterns are counted.
    public init(services: [ServiceSpec]) {
        self.services = services.map { service in
            Service(
                name: service.name, location: service.location, timestamp: service.timestamp,
                jobs: service.jobs.map { job in
                    let patterns = Self.patterns(of: job).map { kind, spec in
                        Pattern(kind: kind, source: spec.source, location: spec.location)
                    }
                    return Job(name: job.name.template, location: job.location, patterns: patterns)
                })
        }
    }

    /// A job's patterns in the order the report lists them: success, failure, start, ignore,
    /// measure, each list in file order.
    static func patterns(of job: JobSpec) -> [(kind: PatternKind, spec: PatternSpec)] {
        let lists: [(PatternKind, [PatternSpec])] = [
            (.success, job.success), (.failure, job.failure), (.start, job.start), (.ignore, job.ignore),
            (.measure, job.measure.map { [$0] } ?? []),
        ]
        return lists.flatMap { kind, specs in specs.map { (kind, $0) } }
    }
}
