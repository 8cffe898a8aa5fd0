import Foundation
import Glibc
import HeartlineCore
import HeartlineInput
import HeartlineSinks
import HeartlineSources
import HeartlineState
import HeartlineSystemd
import Logging

/// The daemon loop's state, owned by its one task: evaluation, positions, the store and the sinks.
struct LoopState {
    var configuration: DaemonConfiguration
    let store: StateStore
    let logger: Logger
    var live: LiveEvaluation
    var positions: SourcePositions
    /// One delivery worker per configured sink, keyed by the sink's key.
    let workers: [String: SinkWorker]
    /// The `healthchecks` sinks.
    let forwarders: [HeartbeatForwarder]
    let board: StatusBoard
    /// This machine's name, for the alerts' `host`.
    private let host = AlertmanagerSink.localHostname()
    /// The running sources' reading time in seconds, read when the status is published.
    var readGauges: [@Sendable () -> Double] = []
    /// Reading time of the sources of earlier configurations (before reloads), in seconds.
    private var retiredReadSeconds = 0.0
    /// The running file follower's counts, read when the status is published.
    var followerGauges: [@Sendable () -> FollowerCounts] = []
    /// Binary files refused and saved positions discarded by the followers of earlier configurations.
    private var retiredFollowerCounts = FollowerCounts()

    /// What a file follower counts: binary files refused and stale saved positions discarded (both
    /// since it started), and directories polled now because inotify cannot watch them.
    struct FollowerCounts {
        var binaryFilesRefused = 0
        var positionsDiscarded = 0
        var directoriesPolled = 0

        /// The counts of a running follower.
        init(_ follower: FileFollower) {
            binaryFilesRefused = follower.binaryFilesRefused
            positionsDiscarded = follower.positionsDiscarded
            directoriesPolled = follower.directoriesPolled
        }

        init() {}
    }

    /// The followers' counts: retired ones' totals plus the running ones' counts and gauge.
    private var followerCounts: FollowerCounts {
        var counts = retiredFollowerCounts
        for gauge in followerGauges {
            let running = gauge()
            counts.binaryFilesRefused += running.binaryFilesRefused
            counts.positionsDiscarded += running.positionsDiscarded
            counts.directoriesPolled += running.directoriesPolled
        }
        return counts
    }
    /// Whether `READY=1` has been sent: once per process, when the first sources were positioned.
    var isReady = false
    /// The sources (`files`, `journal`) that have not fixed their start yet, while not ready.
    var positioning: Set<String> = []
    /// When cut lines were last reported, per source.
    private var cutWarnings = SkipWarnings<String>()
    /// When match-limit hits were last reported, per pattern.
    private var limitWarnings = SkipWarnings<LiveEvaluation.PatternKey>()
    /// Rate limit of the warnings of undecodable lines, per service.
    private var undecodableWarnings = SkipWarnings<String>()
    /// Rate limits of the warnings of matching lines without a stamp, or with one that went back.
    private var unstampedWarnings = SkipWarnings<String>()
    private var backwardWarnings = SkipWarnings<String>()
    /// Alerts routed to their sinks whose commit failed: they go with the next checkpoint, and
    /// reach the sinks only once saved, so that none is sent twice after a restart.
    private var heldAlerts: [(sink: String, alert: Alert)] = []
    /// While the state store fails: since when, why, and when to try again and to warn again.
    private(set) var storeFailure: StoreFailure?
    /// Held alerts dropped at ``heldAlertLimit`` since the daemon started.
    private(set) var heldAlertsDropped = 0
    /// When the job list was last rebuilt for the status board, and what that took: it costs time
    /// in proportion to the job instances, so with many of them it is rebuilt less often (at most a
    /// twentieth of the loop's time), while the rest of the status stays fresh at every tick.
    private var jobsPublishedAt: ContinuousClock.Instant?
    private var jobsPublishCost = Duration.zero
    /// Whether alerts went out since the job list was last published: it is then rebuilt as soon
    /// as its cost allows, so that the status agrees with the alerts just sent.
    private(set) var alertedSincePublish = false
    /// The instances the published job list holds (alive, and forgotten so far): when either
    /// changes, the list is rebuilt as soon as its cost allows, like after alerts.
    private var publishedInstances = (alive: -1, forgotten: -1)
    /// Time spent saving checkpoints, and how many were saved.
    private var commitTime = Duration.zero
    private var checkpointsSaved = 0
    /// ``LiveEvaluation/instancesForgotten`` at the last commit: instances dropped since then must
    /// leave the saved state too, though no line moved a position.
    private var forgottenAtCommit = 0

    /// The most alerts held in memory while the state store fails (about 1 KB each); beyond it the
    /// oldest are dropped and counted. After a restart they would come again from the saved state.
    static let heldAlertLimit = 10_000
    /// How long to wait before trying a failed store again.
    static let storeRetryInterval = Duration.seconds(1)
    /// How often a store that keeps failing is reported.
    static let storeWarningInterval = Duration.seconds(60)

    /// A state store that stopped taking commits (a full disk, a read-only or failing filesystem).
    struct StoreFailure {
        /// When the first commit failed.
        var since: Instant
        /// The last error, as the store said it.
        var message: String
        var retryAt: ContinuousClock.Instant
        var warnedAt: ContinuousClock.Instant
    }

    init(
        configuration: DaemonConfiguration, store: StateStore, logger: Logger, live: LiveEvaluation,
        positions: SourcePositions, workers: [SinkWorker], forwarders: [HeartbeatForwarder], board: StatusBoard
    ) {
        self.forwarders = forwarders
        self.board = board
        self.workers = Dictionary(uniqueKeysWithValues: workers.map { ($0.sink.key, $0) })
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.live = live
        self.positions = positions
    }

    /// The monotonic clock in nanoseconds, for the cost per stage (a vDSO call, no system call).
    @Sendable static func monotonicNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// Keeps the reading time and refusal counts of the sources about to stop, which their
    /// replacements start again from 0.
    mutating func retireReadGauges() {
        retiredReadSeconds += readGauges.reduce(0) { $0 + $1() }
        readGauges = []
        retiredFollowerCounts = followerCounts
        retiredFollowerCounts.directoriesPolled = 0
        followerGauges = []
    }

    /// Switches to a reloaded configuration, carrying job states over by service and job name.
    /// Sinks stay as they were at start: a changed `sinks:` takes effect at the next restart.
    mutating func reconfigure(_ next: PreparedConfiguration, now: Instant) {
        if next.configuration.main.sinks != configuration.main.sinks {
            logger.warning("the reloaded configuration changes 'sinks'; that takes effect at the next restart")
        }
        let snapshot = live.evaluator.snapshot
        configuration = next.configuration
        let previous = live
        live = LiveEvaluation(
            matcher: next.matcher, restoring: snapshot, now: now, monotonic: Self.monotonicNanoseconds)
        live.adoptCounters(from: previous)
        // The job list changes with the services: publish it at the next status, whatever it cost.
        jobsPublishedAt = nil
    }

    mutating func take(_ event: FileEvent) async throws {
        switch event {
        case .lines(let lines):
            for (index, line) in lines.enumerated() {
                line.bytes.withUnsafeBytes {
                    live.take(line: $0, path: line.path, readAt: line.readAt, cut: line.truncated)
                }
                // The position after the last line of a file's run in the batch is the one to save.
                let next = index + 1
                if next == lines.count || lines[next].position.path != line.position.path
                    || lines[next].position.identity != line.position.identity
                {
                    positions.record(line.position)
                }
            }
            forwardHeartbeats()
            try await commitIfAlerting()
        case .opened(let position):
            logger.info("following \(position.path) from byte \(position.offset)")
            positions.record(position)
        case .closed(let position):
            // A rotated-away file read to its end; its path's saved position now belongs to the
            // file that replaced it, so this one is not recorded.
            logger.info("finished \(position.path) (rotated away) at byte \(position.offset)")
        case .rotated(let path, let kind):
            logger.info("\(path) was rotated (\(kind.rawValue))")
        case .problem(let path, let message):
            logger.warning("\(path): \(message)")
        case .ready:
            positioning.remove("files")
        }
    }

    mutating func take(_ event: JournalEvent, now: Instant) async throws {
        switch event {
        case .entries(let batch):
            live.take(journal: batch, receivedAt: now)
            positions.record(journalCursor: batch.cursor, realtime: batch.realtime(of: batch.count - 1))
            forwardHeartbeats()
            try await commitIfAlerting()
        case .gap(_, let resumedAfter, let message):
            logger.warning("journal: \(message) (resumed after \(resumedAfter))")
        case .unavailable(let message):
            // Not reading it must not hold READY back: the files are watched meanwhile, and the
            // journal is retried (from its tail on a first start).
            positioning.remove("journal")
            logger.warning("journal unavailable, retrying: \(message)")
        case .available:
            positioning.remove("journal")
            logger.info("journal available")
        }
    }

    private func forwardHeartbeats() {
        let heartbeats = live.takeHeartbeats()
        guard !heartbeats.isEmpty else { return }
        for forwarder in forwarders { forwarder.enqueue(heartbeats) }
    }

    /// Commits at once when the lines produced alerts, so that they go out without waiting; other
    /// progress is committed on the next clock tick. Committing every batch would cost an fsync per
    /// 4096 lines; a later commit only means more lines are read again after a crash, and they are
    /// counted once either way, since the evaluator's state is saved with the positions.
    mutating func commitIfAlerting() async throws {
        if live.evaluator.hasSettledAlerts { try await commit(flushing: false) }
    }

    /// Saves a checkpoint with the alerts it produced, queued for every sink that takes them.
    ///
    /// - Parameter flushing: Also take the alerts of the latest instant (time has moved past it).
    mutating func commit(flushing: Bool) async throws {
        let alerts = (flushing ? live.flushAlerts() : live.takeAlerts()).map { alert in
            var alert = alert
            alert.context = live.context(for: alert)
            alert.host = host
            return alert
        }
        var routed = heldAlerts
        for alert in alerts {
            for worker in workers.values.sorted(by: { $0.sink.key < $1.sink.key })
            where worker.sink.config.accepts(alert) {
                routed.append((worker.sink.key, alert))
            }
        }
        let forgotten = live.instancesForgotten
        guard !routed.isEmpty || positions.hasChanges || forgotten != forgottenAtCommit else { return }
        if let failure = storeFailure, ContinuousClock.now < failure.retryAt {
            hold(routed)
            return
        }
        let started = ContinuousClock.now
        defer { commitTime += ContinuousClock.now - started }
        let checkpoint = Checkpoint(delta: live.takeDelta(), positions: positions.encodedChanges())
        let queued: [OutboxEntry]
        do {
            queued = try await store.commit(checkpoint, alerts: routed)
            checkpointsSaved += 1
        } catch {
            // Nothing of this commit was saved: its positions, instances and alerts go with the next one.
            positions.markAllChanged()
            live.markEverythingChanged()
            hold(routed)
            noteStoreFailure(error)
            return
        }
        heldAlerts = []
        forgottenAtCommit = forgotten
        if !routed.isEmpty { alertedSincePublish = true }
        if let failure = storeFailure {
            logger.notice(
                "state store writable again after failing since \(failure.since); \(routed.count) alerts saved and queued"
            )
            storeFailure = nil
        }
        for (key, entries) in Dictionary(grouping: queued, by: \.sink) {
            workers[key]?.enqueue(entries)
        }
    }

    /// Keeps alerts that could not be saved, the latest ``heldAlertLimit`` of them.
    private mutating func hold(_ routed: [(sink: String, alert: Alert)]) {
        let excess = routed.count - Self.heldAlertLimit
        if excess > 0 {
            heldAlertsDropped += excess
            logger.error(
                "state store failing: \(excess) alerts over the limit of \(Self.heldAlertLimit) held were dropped")
        }
        heldAlerts = Array(routed.suffix(Self.heldAlertLimit))
    }

    /// Records a failed commit, and says so at once and then once a minute while it lasts.
    private mutating func noteStoreFailure(_ error: any Error) {
        let now = ContinuousClock.now
        let message =
            (error as? StateError).map { error in
                error.underlying.map { "\(error.message): \($0)" } ?? error.message
            } ?? "\(error)"
        var failure =
            storeFailure
            ?? StoreFailure(since: board.status.updatedAt, message: message, retryAt: now, warnedAt: now)
        let first = storeFailure == nil
        failure.message = message
        failure.retryAt = now + Self.storeRetryInterval
        if first || now - failure.warnedAt >= Self.storeWarningInterval {
            failure.warnedAt = now
            logger.error(
                "\(message); keeping \(heldAlerts.count) alerts in memory and retrying every second (failing since \(failure.since))"
            )
        }
        storeFailure = failure
    }

    /// Warns of lines cut at the length limit and of match-limit hits, rate-limited per source and
    /// per pattern (see ``SkipWarnings``).
    mutating func warnOfSkips(now: Instant) {
        for (path, added) in cutWarnings.due(live.linesCut, now: now) {
            logger.warning("\(path): \(added) lines over the 1 MiB limit cut to it since the last report")
        }
        for (key, added) in limitWarnings.due(live.matchLimitHits, now: now) {
            let what = "\(key.service)/\(key.job): pattern at \(key.pattern)"
            logger.warning(
                "\(what) gave up at the PCRE2 match limit on \(added) lines since the last report (no match)")
        }
        for (path, added) in unstampedWarnings.due(live.linesUnstamped, now: now) {
            logger.warning(
                "\(path): \(added) matching lines without a readable timestamp since the last report; taken at the time they were read"
            )
        }
        for (path, added) in backwardWarnings.due(live.linesBackward, now: now) {
            logger.warning(
                "\(path): \(added) matching lines went back in time since the last report; taken at the file's latest time"
            )
        }
        for (service, added) in undecodableWarnings.due(live.undecodableLines, now: now) {
            let format = live.services.first { $0.name == service }?.source.format.rawValue ?? "auto"
            let what = "\(service): \(added) lines its field patterns needed were not valid \(format)"
            logger.warning("\(what) since the last report; their field patterns saw no fields")
        }
    }

    /// Publishes what the daemon knows now, for the HTTP status endpoints, and warns of skips.
    mutating func publishStatus(now: Instant) {
        warnOfSkips(now: now)
        var status = board.status
        status.updatedAt = now
        status.ready = isReady
        status.startingUp = isReady ? "" : "positioning sources (\(positioning.sorted().joined(separator: ", ")))"
        let started = ContinuousClock.now
        let instances = (alive: live.evaluator.instanceCount, forgotten: live.instancesForgotten)
        let changed = alertedSincePublish || instances != publishedInstances
        let interval = changed ? jobsPublishCost * 20 : max(.milliseconds(250), jobsPublishCost * 20)
        let includingJobs = jobsPublishedAt.map { started - $0 >= interval } ?? true
        live.status(into: &status, includingJobs: includingJobs)
        if includingJobs {
            jobsPublishedAt = started
            jobsPublishCost = ContinuousClock.now - started
            alertedSincePublish = false
            publishedInstances = instances
        }
        status.stages.read = retiredReadSeconds + readGauges.reduce(0) { $0 + $1() }
        let (seconds, attoseconds) = commitTime.components
        status.stages.commit = Double(seconds) + Double(attoseconds) / 1e18
        status.stages.checkpoints = checkpointsSaved
        let follower = followerCounts
        status.binaryFilesRefused = follower.binaryFilesRefused
        status.positionsDiscarded = follower.positionsDiscarded
        status.directoriesPolled = follower.directoriesPolled
        status.stateStoreProblem = storeFailure.map { "\($0.message) (since \($0.since))" }
        status.alertsHeld = heldAlerts.count
        status.alertsHeldDropped = heldAlertsDropped
        status.sinks = workers.keys.sorted().map { key in
            let counts = workers[key]!.current
            return DaemonStatus.Sink(
                key: key, delivered: counts.delivered, failed: counts.failed, queued: counts.queued)
        }
        board.publish(status)
    }
}
