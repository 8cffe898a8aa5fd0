public import HeartlineCore
import Synchronization

/// What the daemon knows, published after every batch for `/healthz`, `/metrics`, `/api/v1/jobs`
/// and `heartline status` (SPEC §4). A value: readers get a consistent copy.
public struct DaemonStatus: Sendable, Codable, Hashable {
    /// One job instance.
    public struct Job: Sendable, Codable, Hashable {
        /// The service name.
        public var service: String
        /// The job instance name.
        public var job: String
        /// The last success line's instant, if any.
        public var lastSuccess: Instant?
        /// Conditions firing, with the instant each began.
        public var firing: [Condition: Instant]
        /// The conditions the job's rules watch for, in ``Condition`` order.
        public var watched: [Condition]
        /// Success lines counted since the daemon started.
        public var successes: Int
        /// Failure lines counted since the daemon started.
        public var failures: Int
        /// The run closed last (by a success or failure line, or as stuck at `max_runtime`), if any.
        public var lastRun: ClosedRun?
        /// How many runs are open now.
        public var openRuns: Int
        /// When a success is next due by the job's schedule, before grace; while `missing` fires, the
        /// due instant that was missed. Nil for a job without a schedule.
        public var nextDue: Instant?
        /// Durations of the runs closed by a success or failure line since the daemon started, by
        /// outcome.
        public var runDurations: [ClosedRun.Outcome: RunDurationHistogram]
        /// Open runs dropped at ``HeartlineCore/Evaluator/openRunLimit`` since the daemon started.
        public var runsDropped: Int
        /// For a job of a service `discover:` found, the timer unit or crontab line it watches.
        public var discoveredFrom: String? = nil

        /// Creates a job's status.
        public init(
            service: String, job: String, lastSuccess: Instant?, firing: [Condition: Instant],
            watched: [Condition], successes: Int, failures: Int, lastRun: ClosedRun? = nil, openRuns: Int = 0,
            nextDue: Instant? = nil, runDurations: [ClosedRun.Outcome: RunDurationHistogram] = [:],
            runsDropped: Int = 0
        ) {
            self.service = service
            self.job = job
            self.lastSuccess = lastSuccess
            self.firing = firing
            self.watched = watched
            self.successes = successes
            self.failures = failures
            self.lastRun = lastRun
            self.openRuns = openRuns
            self.nextDue = nextDue
            self.runDurations = runDurations
            self.runsDropped = runsDropped
        }
    }

    /// One source: a followed file (its path) or `journal`.
    public struct Source: Sendable, Codable, Hashable {
        /// The file path, or `journal`.
        public var key: String
        /// Lines (or journal entries) read since the daemon started.
        public var linesRead: Int
        /// Of those, lines that meant something to a job.
        public var linesMatched: Int
        /// Bytes of those lines (with their newlines; a journal entry's MESSAGE), since the daemon started.
        public var bytesRead: Int
        /// Seconds between the last line's own time and the moment it was read: how far the source
        /// lags behind its writer.
        public var lagSeconds: Double
        /// Lines longer than the follower's limit (1 MiB), cut to it, since the daemon started.
        public var linesCut: Int
        /// Matching lines without a readable stamp (they took the time they were read).
        public var linesUnstamped: Int
        /// Matching lines whose stamp went back in time (they took their file's latest time).
        public var linesBackward: Int

        /// Creates a source's status.
        public init(
            key: String, linesRead: Int, linesMatched: Int, bytesRead: Int = 0, lagSeconds: Double = 0,
            linesCut: Int = 0, linesUnstamped: Int = 0, linesBackward: Int = 0
        ) {
            self.linesUnstamped = linesUnstamped
            self.linesBackward = linesBackward
            self.key = key
            self.linesRead = linesRead
            self.linesMatched = linesMatched
            self.bytesRead = bytesRead
            self.lagSeconds = lagSeconds
            self.linesCut = linesCut
        }
    }

    /// One pattern whose matching was abandoned at the PCRE2 match limit at least once.
    public struct MatchLimitHits: Sendable, Codable, Hashable {
        /// The service name.
        public var service: String
        /// The job's name as written (a dynamic job's template).
        public var job: String
        /// Where the pattern is written, `FILE:LINE:COLUMN`.
        public var pattern: String
        /// Match attempts abandoned since the daemon started; each counted as no match.
        public var hits: Int

        /// Creates a pattern's count.
        public init(service: String, job: String, pattern: String, hits: Int) {
            self.service = service
            self.job = job
            self.pattern = pattern
            self.hits = hits
        }
    }

    /// One sink.
    public struct Sink: Sendable, Codable, Hashable {
        /// The sink's key (`0:stdout`).
        public var key: String
        /// Alerts delivered since the daemon started.
        public var delivered: Int
        /// Delivery attempts that failed since the daemon started.
        public var failed: Int
        /// Alerts waiting in the outbox.
        public var queued: Int

        /// Creates a sink's status.
        public init(key: String, delivered: Int, failed: Int, queued: Int) {
            self.key = key
            self.delivered = delivered
            self.failed = failed
            self.queued = queued
        }
    }

    /// Where the daemon's time has gone since it started, per stage of the line path, in seconds
    /// of wall-clock time spent in each (so that the next bottleneck is visible, as replay's
    /// `--stats` shows it).
    public struct Stages: Sendable, Codable, Hashable {
        /// Reading and splitting: files read and split into lines, journal entries fetched and
        /// their fields copied, on the sources' threads.
        public var read: Double = 0
        /// The prefilter scan and PCRE2 confirmation, and reading each line's stamp.
        public var match: Double = 0
        /// The evaluator, alert context and counters.
        public var evaluate: Double = 0
        /// Saving checkpoints: encoding what changed and the SQLite transaction, fsync included.
        public var commit: Double = 0
        /// Checkpoints saved since the daemon started.
        public var checkpoints = 0

        /// Creates zero times.
        public init() {}
    }

    /// When the daemon started.
    public var startedAt: Instant
    /// When this status was published.
    public var updatedAt: Instant
    /// Every job instance, by service then job.
    public var jobs: [Job]
    /// Every source.
    public var sources: [Source]
    /// Every sink.
    public var sinks: [Sink]
    /// The patterns that hit the match limit, by service, job, then pattern.
    public var matchLimitHits: [MatchLimitHits] = []
    /// Per service name that had any, the lines its field patterns could not decode (not JSON
    /// under `format: json`, an unterminated logfmt quote, too deep or too long), by service.
    public var undecodableLines: [String: Int] = [:]
    /// Time per stage since the daemon started.
    public var stages = Stages()
    /// While the state store fails to save checkpoints (a full disk, a read-only filesystem): what
    /// it said and since when; nil while it works.
    public var stateStoreProblem: String?
    /// Alerts held in memory because the state store failed; they go to the sinks once saved.
    public var alertsHeld = 0
    /// Held alerts dropped at the limit of alerts held, since the daemon started.
    public var alertsHeldDropped = 0
    /// Followed files not read because their first bytes are binary (by the rule replay uses), since
    /// the daemon started; a reload's new follower examines and counts each such file again.
    public var binaryFilesRefused = 0
    /// Saved file positions discarded at start because the file had been truncated or rewritten
    /// while the daemon was stopped (it is then read from byte 0), since the daemon started.
    public var positionsDiscarded = 0
    /// Directories polled now because inotify cannot watch them (the per-user watch limit).
    public var directoriesPolled = 0
    /// Dynamic job instances dropped by `forget_after` since the daemon started.
    public var instancesForgotten = 0
    /// Whether start-up is over: the patterns are compiled and every source has fixed where it
    /// reads from, so a line written from now on is read (the daemon has sent `READY=1`).
    ///
    /// It stays true through reloads: while a reload's new sources start, the running state is
    /// still valid, and they resume from the positions already saved.
    public var ready = false
    /// What start-up is doing while not ``ready``: `compiling patterns`, then `positioning sources
    /// (files, journal)` with those still to be positioned; empty once ready.
    public var startingUp = "compiling patterns"

    /// Creates an empty status.
    public init(startedAt: Instant) {
        self.startedAt = startedAt
        self.updatedAt = startedAt
        self.jobs = []
        self.sources = []
        self.sinks = []
    }
}

/// The latest ``DaemonStatus``, shared between the daemon's loop (which writes it) and the HTTP
/// handlers (which read it). A Mutex, since readers only copy a value out.
public final class StatusBoard: Sendable {
    private let current: Mutex<DaemonStatus>

    /// Creates a board holding an empty status.
    public init(startedAt: Instant) {
        current = Mutex(DaemonStatus(startedAt: startedAt))
    }

    /// The latest status.
    public var status: DaemonStatus { current.withLock { $0 } }

    /// Replaces the status.
    public func publish(_ status: DaemonStatus) {
        current.withLock { $0 = status }
    }
}
