public import HeartlineRegex

/// The daemon's ingest path, without I/O or a real clock: each live line or journal entry is
/// routed to its services (``RecordRouter``), given its time (``StampReader``), matched
/// (``LineMatcher``) and applied (``Evaluator/ingest(_:at:)``), the same steps and the same
/// evaluator replay drives. The daemon feeds it from its sources on the wall clock; tests feed it
/// records from memory on a test clock.
///
/// Routing (SPEC §1, §4): a file line goes to the services whose `source.files` globs match the
/// file's path; a journal entry to the services whose `source.journal` it satisfies.
///
/// Event time (SPEC §4): a journal entry's `__REALTIME_TIMESTAMP`; a file line's own stamp, read with
/// its services' `timestamp:` settings, never later than the moment it was read; otherwise the
/// moment it was read; and never earlier than the latest time of its file (a line that goes back
/// in time takes that latest time, as replay's do). Year-less syslog stamps take the year that puts
/// them nearest to the moment they were read, at most a day ahead.
///
/// Not thread-safe: the daemon's processing task owns it.
public final class LiveEvaluation {
    /// The services evaluated.
    public let services: [ServiceSpec]
    /// The router; its journal routing (``RecordRouter/journal``) is what the journal source must
    /// read with, so that batches carry the fields the services' field patterns read.
    public let router: RecordRouter
    /// The evaluator; exposed for snapshots and status.
    public private(set) var evaluator: Evaluator
    /// Lines and entries taken, per source key (a file path, or `journal`).
    public var linesRead: [String: Int] { counts(\.linesRead) }
    /// Lines and entries that produced at least one job event, per source key.
    public var linesMatched: [String: Int] { counts(\.linesMatched, nonZero: true) }
    /// Bytes taken per source key.
    public var bytesRead: [String: Int] { counts(\.bytesRead) }
    /// Lines cut at the follower's length limit, per source key (a file path); only those with any.
    public var linesCut: [String: Int] { counts(\.linesCut, nonZero: true) }
    /// Matching lines without a readable stamp, per file path (only those with any): they took the
    /// time they were read (or their file's latest time), as replay's take the time of the line
    /// before them.
    public var linesUnstamped: [String: Int] { counts(\.linesUnstamped, nonZero: true) }
    /// Matching lines whose stamp went back in time against their file's latest one, per file path
    /// (only those with any): they took that latest time.
    public var linesBackward: [String: Int] { counts(\.linesBackward, nonZero: true) }
    /// Seconds between the last line's own time and its reading, per source key.
    public var lagSeconds: [String: Double] {
        Dictionary(uniqueKeysWithValues: sources.map { ($0.key, $0.counts.lagSeconds) })
    }

    /// The counts of one source.
    struct SourceCounts {
        var linesRead = 0
        var linesMatched = 0
        var bytesRead = 0
        var linesCut = 0
        var linesUnstamped = 0
        var linesBackward = 0
        var lagSeconds = 0.0
    }

    /// One source (a file path, or `journal`): its counts and, for a file, where its lines go.
    /// Kept in an array and found by index, so that a line costs no hashing of its path (a batch of
    /// a file's lines looks the path up once).
    private struct Source {
        let key: String
        var counts = SourceCounts()
        /// Where a file's lines go; nil for the journal, and until the first line of a file.
        var route: Route?
    }

    private var sources: [Source] = []
    private var sourceIndices: [String: Int] = [:]
    /// The file source of the last line taken, so that the next line of the same file finds it at once.
    private var lastFileSource: (path: String, index: Int)?

    private func counts(_ value: KeyPath<SourceCounts, Int>, nonZero: Bool = false) -> [String: Int] {
        var out: [String: Int] = [:]
        for source in sources where !nonZero || source.counts[keyPath: value] > 0 {
            out[source.key] = source.counts[keyPath: value]
        }
        return out
    }

    /// The index of the source `key`, made on first use.
    private func sourceIndex(_ key: String) -> Int {
        if let index = sourceIndices[key] { return index }
        sources.append(Source(key: key))
        sourceIndices[key] = sources.count - 1
        return sources.count - 1
    }
    /// Success and failure lines counted per job instance.
    public private(set) var lineCounts: [InstanceKey: (successes: Int, failures: Int)] = [:]
    /// Durations of the runs each job instance closed by a success or failure line, by outcome
    /// (runs closed as stuck have no measured duration and are not counted).
    public private(set) var runDurations: [InstanceKey: [ClosedRun.Outcome: RunDurationHistogram]] = [:]
    /// Nanoseconds spent matching (stamps, prefilter, PCRE2) and evaluating, by the monotonic clock
    /// given at creation; zero without one.
    public private(set) var stageNanoseconds: (match: Int64, evaluate: Int64) = (0, 0)

    /// A job instance by service name and instance name.
    public struct InstanceKey: Hashable, Sendable {
        /// The service name.
        public var service: String
        /// The job instance name.
        public var job: String

        /// Creates a key.
        public init(service: String, job: String) {
            self.service = service
            self.job = job
        }
    }

    /// The conditions each job watches for, by service name and job name as written (the key a
    /// snapshot's instances carry), for status.
    public let watchedConditions: [InstanceKey: [Condition]]

    /// One pattern of a job, for the match-limit counts.
    public struct PatternKey: Hashable, Comparable, Sendable {
        /// The service name.
        public var service: String
        /// The job's name as written (a dynamic job's template).
        public var job: String
        /// Where the pattern is written, `FILE:LINE:COLUMN`.
        public var pattern: String

        /// Creates a key.
        public init(service: String, job: String, pattern: String) {
            self.service = service
            self.job = job
            self.pattern = pattern
        }

        /// By service, job, then pattern.
        public static func < (lhs: PatternKey, rhs: PatternKey) -> Bool {
            (lhs.service, lhs.job, lhs.pattern) < (rhs.service, rhs.job, rhs.pattern)
        }
    }

    /// The source key of journal entries in the counters.
    public static let journalKey = "journal"

    /// Each job instance's last matching line and last failure line, for alert context.
    private var lastLines: [InstanceKey: (any: String, failure: String?)] = [:]
    /// Lines longer than this are cut in alert context (bytes of UTF-8).
    private static let contextLimit = 1000
    /// The lines of open and just-closed runs, for the context of run alerts.
    private var transcripts: RunTranscripts
    /// Closed runs up to this instant (and at it, when set) have had their alerts taken.
    private var alertsTakenThrough: (instant: Instant, including: Bool)?
    /// Heartbeats of jobs with a `ping_url`, waiting for ``takeHeartbeats()``.
    private var heartbeats: [Heartbeat] = []
    private let matcher: LineMatcher
    private let monotonic: (@Sendable () -> Int64)?
    private var events: [JobEvent] = []
    /// The services one journal entry goes to; kept to reuse its storage.
    private var journalTargets: [Int] = []
    /// Match-limit hits of the evaluations a reload replaced.
    private var earlierLimitHits: [PatternKey: Int] = [:]
    /// Open runs dropped by the evaluators a reload replaced.
    private var earlierRunsDropped: [InstanceKey: Int] = [:]
    /// Undecodable lines counted by the evaluations a reload replaced, per service name.
    private var earlierUndecodable: [String: Int] = [:]
    /// Instances forgotten by the evaluations a reload replaced.
    private var earlierForgotten = 0

    /// Prepares evaluation, restoring job states from `snapshot` when there is one.
    ///
    /// - Parameters:
    ///   - services: The loaded services.
    ///   - snapshot: Saved evaluator state (after a restart or for a reload), or nil.
    ///   - now: The current time: T0 for a first start.
    ///   - prefilterCache: Where the compiled prefilter is kept between starts; nil compiles it.
    ///   - monotonic: A monotonic clock in nanoseconds, for the cost per stage; nil measures nothing.
    public convenience init(
        services: [ServiceSpec], restoring snapshot: EvaluatorSnapshot?, now: Instant,
        prefilterCache: (any PrefilterCache)? = nil, monotonic: (@Sendable () -> Int64)? = nil
    ) {
        self.init(
            matcher: LineMatcher(services: services, prefilterCache: prefilterCache), restoring: snapshot, now: now,
            monotonic: monotonic)
    }

    /// Prepares evaluation with a matcher compiled beforehand (a reload compiles it off the loop).
    ///
    /// - Parameters:
    ///   - matcher: The matcher of the services to evaluate, which it owns from now on.
    ///   - snapshot: Saved evaluator state (after a restart or for a reload), or nil.
    ///   - now: The current time: T0 for a first start.
    ///   - monotonic: A monotonic clock in nanoseconds, for the cost per stage; nil measures nothing.
    public init(
        matcher: LineMatcher, restoring snapshot: EvaluatorSnapshot?, now: Instant,
        monotonic: (@Sendable () -> Int64)? = nil
    ) {
        let services = matcher.services
        self.services = services
        self.router = RecordRouter(services: services, files: .byPath)
        self.matcher = matcher
        self.monotonic = monotonic
        self.transcripts = RunTranscripts(serviceNames: services.map(\.name))
        var watched: [InstanceKey: [Condition]] = [:]
        for service in services {
            for job in service.jobs {
                watched[InstanceKey(service: service.name, job: job.name.template)] = job.watchedConditions
            }
        }
        self.watchedConditions = watched
        if let snapshot {
            evaluator = Evaluator(services: services, restoring: snapshot)
        } else {
            evaluator = Evaluator(services: services)
        }
        evaluator.start(at: now)
    }

    /// Takes one record from memory: a file line read at `readAt`, or a journal entry.
    ///
    /// - Parameters:
    ///   - record: The record.
    ///   - readAt: When it was read (a journal entry's lag is measured from it).
    public func take(_ record: LogRecord, readAt: Instant) {
        switch record {
        case .line(let bytes, let path):
            bytes.withUnsafeBytes { take(line: $0, path: path, readAt: readAt) }
        case .journal(let entry):
            take(journal: JournalEntries([entry], routing: router.journal), receivedAt: readAt)
        }
    }

    /// Takes one line of a plain file.
    ///
    /// - Parameters:
    ///   - line: The line's bytes without its newline.
    ///   - path: The file it came from (its path when read).
    ///   - readAt: When it was read.
    ///   - cut: Whether the follower cut the line at its length limit; it is counted in ``linesCut``.
    public func take(line: UnsafeRawBufferPointer, path: String, readAt: Instant, cut: Bool = false) {
        let index: Int
        if let last = lastFileSource, last.path == path {
            index = last.index
        } else {
            index = sourceIndex(path)
            lastFileSource = (path, index)
        }
        var route = sources[index].route ?? makeRoute(path)
        sources[index].counts.linesRead += 1
        if cut { sources[index].counts.linesCut += 1 }
        guard !route.services.isEmpty else {
            sources[index].route = route
            return
        }
        // Taken out while the line is worked on, so that its stamp reader is not copied.
        sources[index].route = nil
        let started = monotonic?() ?? 0
        // As in replay, time within one file never runs backwards: a stamp earlier than the
        // latest one of its file takes that latest time.
        let stamp = route.stamps.stamp(line)
        let own = stamp.map { min($0, readAt) } ?? readAt
        let time = max(own, route.latest ?? own)
        route.latest = time
        sources[index].counts.bytesRead += line.count + 1
        sources[index].counts.lagSeconds = Double(readAt.nanoseconds - time.nanoseconds) / 1e9
        events.removeAll(keepingCapacity: true)
        matcher.match(line, services: route.services, into: &events)
        if !events.isEmpty {
            if stamp == nil {
                sources[index].counts.linesUnstamped += 1
            } else if own < time {
                sources[index].counts.linesBackward += 1
            }
        }
        let matched = monotonic?() ?? 0
        if !events.isEmpty { remember(line) }
        transcripts.record(line, events: events, services: route.services)
        apply(at: time, source: index)
        route.stamps.advance(now: readAt)
        sources[index].route = route
        stageNanoseconds.match += matched - started
        stageNanoseconds.evaluate += (monotonic?() ?? 0) - matched
    }

    /// Takes a batch of journal entries in order; each entry's time is its `__REALTIME_TIMESTAMP`.
    ///
    /// - Parameters:
    ///   - batch: Entries read with ``router``'s journal routing, which copies the fields patterns read.
    ///   - receivedAt: When the batch was taken, for the lag reported per source.
    public func take<Batch: JournalEntryBatch>(journal batch: Batch, receivedAt: Instant) {
        let journal = sourceIndex(Self.journalKey)
        sources[journal].counts.linesRead += batch.count
        var bytes = 0
        var lastRouted: Int?
        for entry in batch.indices {
            journalTargets.removeAll(keepingCapacity: true)
            router.services(forJournal: entry, of: batch, into: &journalTargets)
            guard !journalTargets.isEmpty else { continue }
            lastRouted = entry
            events.removeAll(keepingCapacity: true)
            let started = monotonic?() ?? 0
            var matched: Int64 = 0
            matcher.match(journal: batch, entry: entry, services: journalTargets, into: &events)
            matched = monotonic?() ?? 0
            batch.withMessage(of: entry) { message in
                bytes += message.count
                remember(message)
                transcripts.record(message, events: events, services: journalTargets) { key in
                    batch.routing.fieldNames.indices.contains { slot in
                        slot != JournalRouting.messageSlot
                            && batch.withField(slot, of: entry) { $0.map { $0.elementsEqual(key) } ?? false }
                    }
                }
            }
            apply(at: batch.realtime(of: entry), source: journal)
            stageNanoseconds.match += matched - started
            stageNanoseconds.evaluate += (monotonic?() ?? 0) - matched
        }
        guard let lastRouted else { return }
        sources[journal].counts.bytesRead += bytes
        sources[journal].counts.lagSeconds =
            Double(receivedAt.nanoseconds - batch.realtime(of: lastRouted).nanoseconds) / 1e9
    }

    /// Match attempts abandoned at the PCRE2 match limit (they count as no match), per pattern that
    /// was hit at least once, including those of the evaluations a reload replaced.
    public var matchLimitHits: [PatternKey: Int] {
        var hits = earlierLimitHits
        for (id, count) in matcher.limitExceededByPattern.enumerated() where count > 0 {
            let owner = matcher.owner(ofPattern: id)
            let service = services[owner.service]
            let key = PatternKey(
                service: service.name, job: service.jobs[owner.job].name.template,
                pattern: matcher.patterns[id].location.description)
            hits[key, default: 0] += count
        }
        return hits
    }

    /// Lines or journal messages that a field pattern needed the fields of but that its service's
    /// `source.format` could not decode (see ``LineMatcher/undecodableLines``), per service name
    /// that had any, including those of the evaluations a reload replaced.
    public var undecodableLines: [String: Int] {
        var counts = earlierUndecodable
        for (index, count) in matcher.undecodableLines.enumerated() where count > 0 {
            counts[services[index].name, default: 0] += count
        }
        return counts
    }

    /// The heartbeats of jobs with a `ping_url` since the last call, in order.
    public func takeHeartbeats() -> [Heartbeat] {
        defer { heartbeats.removeAll(keepingCapacity: true) }
        return heartbeats
    }

    /// Lets time pass: every deadline up to `now` falls due.
    public func advance(to now: Instant) {
        evaluator.advance(through: now)
        if evaluator.hasClosedRuns { countClosedRuns() }
        dropForgottenInstances()
    }

    /// What changed in the evaluator since the last call, for a checkpoint (``Evaluator/takeDelta()``).
    public func takeDelta() -> EvaluatorDelta {
        evaluator.takeDelta()
    }

    /// Makes the next ``takeDelta()`` complete: the last one was not saved.
    public func markEverythingChanged() {
        evaluator.markEverythingChanged()
    }

    /// Dynamic instances dropped by `forget_after` since the daemon started (including the
    /// evaluations a reload replaced).
    public var instancesForgotten: Int { earlierForgotten + evaluator.forgottenCount }

    /// Forgets what is kept per instance (line counts, run durations, context) of the instances the
    /// evaluator dropped, so that memory follows the live instances.
    private func dropForgottenInstances() {
        for (service, instance) in evaluator.takeForgotten() {
            let key = InstanceKey(service: service, job: instance)
            lineCounts[key] = nil
            runDurations[key] = nil
            lastLines[key] = nil
            transcripts.forget(service: service, instance: instance)
        }
    }

    /// Open runs dropped at ``Evaluator/openRunLimit`` per job instance that dropped any, since the
    /// daemon started (including the evaluations a reload replaced).
    public var runsDropped: [InstanceKey: Int] {
        var dropped = earlierRunsDropped
        for summary in evaluator.instanceSummaries() where summary.droppedRuns > 0 {
            dropped[InstanceKey(service: summary.service, job: summary.instance), default: 0] += summary.droppedRuns
        }
        return dropped
    }

    /// Takes the evaluator's closed runs into ``runDurations``.
    private func countClosedRuns() {
        for record in evaluator.takeClosedRuns() {
            transcripts.close(record)
            guard record.run.outcome != .stuck else { continue }
            let key = InstanceKey(service: record.service, job: record.job)
            runDurations[key, default: [:]][record.run.outcome, default: RunDurationHistogram()]
                .record(seconds: record.run.durationSeconds)
        }
    }

    /// The alerts of settled instants, in SPEC §2 order.
    public func takeAlerts() -> [Alert] {
        forgetTakenRuns()
        defer { alertsTakenThrough = evaluator.now.map { ($0, false) } }
        return evaluator.takeAlerts()
    }

    /// Every alert, including those of the latest instant: call once time has moved past it.
    public func flushAlerts() -> [Alert] {
        forgetTakenRuns()
        defer { alertsTakenThrough = evaluator.now.map { ($0, true) } }
        return evaluator.flush()
    }

    /// Forgets the transcripts of runs whose alerts an earlier take returned: ``context(for:)`` is
    /// asked right after the take, before the next.
    private func forgetTakenRuns() {
        guard let taken = alertsTakenThrough else { return }
        transcripts.forgetClosed(before: taken.instant, including: taken.including)
    }

    private func apply(at time: Instant, source: Int) {
        evaluator.ingest(events, at: time)
        if evaluator.hasClosedRuns { countClosedRuns() }
        dropForgottenInstances()
        guard !events.isEmpty else { return }
        sources[source].counts.linesMatched += 1
        for event in events {
            let key = InstanceKey(service: services[event.service].name, job: event.instance)
            switch event.kind {
            case .success: lineCounts[key, default: (0, 0)].successes += 1
            case .failure: lineCounts[key, default: (0, 0)].failures += 1
            case .start, .measure: break
            }
            if let url = services[event.service].jobs[event.job].pingURL,
                let heartbeat = Heartbeat(
                    url: url, service: services[event.service].name, job: event.instance, kind: event.kind, at: time)
            {
                heartbeats.append(heartbeat)
            }
        }
    }

    /// The context for an alert, asked after the take that returned it and before the next: for a
    /// firing `failing`, `stuck` or `too_fast` alert about a run, that run's lines, one per line
    /// (see ``RunTranscripts``); otherwise for `failing` the job's last failure line, and for any
    /// other its last matching line.
    public func context(for alert: Alert) -> String? {
        if let run = transcripts.lines(for: alert) { return run.joined(separator: "\n") }
        let lines = lastLines[InstanceKey(service: alert.service, job: alert.job)]
        return alert.condition == .failing ? lines?.failure : lines?.any
    }

    /// Keeps the line as context for every job instance it meant something to.
    private func remember(_ line: UnsafeRawBufferPointer) {
        guard !events.isEmpty else { return }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: line.prefix(Self.contextLimit)), as: UTF8.self)
        for event in events {
            let key = InstanceKey(service: services[event.service].name, job: event.instance)
            let failure = event.kind == .failure ? text : lastLines[key]?.failure
            lastLines[key] = (text, failure)
        }
    }

    /// Carries the line counters over from the evaluation a reload replaces.
    public func adoptCounters(from previous: LiveEvaluation) {
        // Counts carry over by source key; routes are made again for the new services.
        for source in previous.sources {
            sources[sourceIndex(source.key)].counts = source.counts
        }
        lineCounts = previous.lineCounts
        lastLines = previous.lastLines
        transcripts.adopt(previous.transcripts)
        earlierLimitHits = previous.matchLimitHits
        earlierRunsDropped = previous.runsDropped
        earlierUndecodable = previous.undecodableLines
        earlierForgotten = previous.instancesForgotten
        runDurations = previous.runDurations
        stageNanoseconds = previous.stageNanoseconds
    }

    private func makeRoute(_ path: String) -> Route {
        let targets = router.services(forFile: path)
        let now = evaluator.now ?? Instant(nanoseconds: 0)
        // Pattern files are checked when loaded, so their settings always make parsers.
        let stamps =
            (try? StampReader(specs: router.stampSpecs(for: targets), yearRule: .nearest(now: now))) ?? StampReader()
        return Route(services: targets, stamps: stamps)
    }

    /// Where one file's lines go and how their stamps are read.
    private struct Route {
        var services: [Int]
        var stamps: StampReader
        /// The latest time a line of this file took.
        var latest: Instant?
    }
}
