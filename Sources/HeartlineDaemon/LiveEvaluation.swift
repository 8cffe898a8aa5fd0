import Glibc
public import HeartlineCore
public import HeartlineRegex
public import HeartlineSystemd

/// The daemon's per-record work, without I/O: route each live line or journal entry to its
/// services, read its time, match it, and feed the evaluator (the same one replay drives).
///
/// Routing (SPEC §1, §4): a file line goes to the services whose `source.files` globs match the
/// file's path (`fnmatch` with `FNM_PATHNAME`: `*` does not cross `/`); a journal entry to the
/// services whose `source.journal` it matches (journalctl -u rules for `unit`).
///
/// Event time (SPEC §4): a journal entry's `__REALTIME_TIMESTAMP`; a file line's own stamp, read with
/// its services' `timestamp:` settings, never later than the moment it was read; otherwise the
/// moment it was read. Year-less syslog stamps take the year that puts them nearest to now.
///
/// Not thread-safe: the daemon's processing task owns it.
public final class LiveEvaluation {
    /// The services evaluated.
    public let services: [ServiceSpec]
    /// The evaluator; exposed for snapshots and status.
    public private(set) var evaluator: Evaluator
    /// Lines and entries taken, per source key (a file path, or `journal`).
    public private(set) var linesRead: [String: Int] = [:]
    /// Lines and entries that produced at least one job event, per source key.
    public private(set) var linesMatched: [String: Int] = [:]
    /// Bytes taken per source key.
    private var bytesRead: [String: Int] = [:]
    /// Seconds between the last line's own time and its reading, per source key.
    private var lag: [String: Double] = [:]
    /// Success and failure lines counted per job instance (service name, instance name).
    public private(set) var lineCounts: [InstanceKey: (successes: Int, failures: Int)] = [:]

    /// A job instance by service name and instance name.
    public struct InstanceKey: Hashable, Sendable {
        /// The service name.
        public var service: String
        /// The job instance name.
        public var job: String
    }

    /// Each job instance's last matching line and last failure line, for alert context.
    private var lastLines: [InstanceKey: (any: String, failure: String?)] = [:]
    /// Lines longer than this are cut in alert context (bytes of UTF-8).
    private static let contextLimit = 1000
    /// Heartbeats of jobs with a `ping_url`, waiting for ``takeHeartbeats()``.
    private var heartbeats: [Heartbeat] = []
    private let matcher: LineMatcher
    /// The conditions each job watches for, by service name and job name as written (the key
    /// snapshot instances carry).
    private let watched: [InstanceKey: [Condition]]
    private var routes: [String: Route] = [:]
    private var events: [JobEvent] = []
    /// Nanoseconds spent matching (stamps, prefilter, PCRE2) and evaluating, since the daemon started.
    private var stageNanoseconds: (match: Int64, evaluate: Int64) = (0, 0)
    /// The services that read the journal, indexed like ``journalMatches``.
    private let journalServices: [Int]
    /// The services one journal entry goes to; kept to reuse its storage.
    private var journalTargets: [Int] = []

    /// The journal matches of the services that read the journal, in service order: what the
    /// ``JournalSource`` whose batches ``take(journal:receivedAt:)`` routes should be created with.
    public let journalMatches: [JournalMatch]

    /// Prepares evaluation, restoring job states from `snapshot` when there is one.
    ///
    /// - Parameters:
    ///   - services: The loaded services.
    ///   - snapshot: Saved evaluator state (after a restart or for a reload), or nil.
    ///   - now: The current time: T0 for a first start.
    ///   - prefilterCache: Where the compiled prefilter is kept between starts; nil compiles it.
    public init(
        services: [ServiceSpec], restoring snapshot: EvaluatorSnapshot?, now: Instant,
        prefilterCache: (any PrefilterCache)? = nil
    ) {
        self.services = services
        self.matcher = LineMatcher(services: services, prefilterCache: prefilterCache)
        self.journalServices = services.indices.filter { services[$0].source.journal != nil }
        self.journalMatches = journalServices.map { services[$0].source.journal! }
        var watched: [InstanceKey: [Condition]] = [:]
        for service in services {
            for job in service.jobs {
                watched[InstanceKey(service: service.name, job: job.name.template)] = job.watchedConditions
            }
        }
        self.watched = watched
        if let snapshot {
            evaluator = Evaluator(services: services, restoring: snapshot)
        } else {
            evaluator = Evaluator(services: services)
        }
        evaluator.start(at: now)
    }

    /// Takes one line of a plain file.
    ///
    /// - Parameters:
    ///   - line: The line's bytes without its newline.
    ///   - path: The file it came from (its path when read).
    ///   - readAt: When it was read.
    public func take(line: UnsafeRawBufferPointer, path: String, readAt: Instant) {
        var route = routes[path] ?? makeRoute(path)
        linesRead[path, default: 0] += 1
        guard !route.services.isEmpty else { return }
        let started = Self.monotonicNanoseconds()
        var time = readAt
        for index in route.parsers.indices {
            if let stamp = route.parsers[index].parse(line) {
                time = min(stamp, readAt)
                break
            }
        }
        routes[path] = route
        bytesRead[path, default: 0] += line.count + 1
        lag[path] = Double(readAt.nanoseconds - time.nanoseconds) / 1e9
        events.removeAll(keepingCapacity: true)
        matcher.match(line, services: route.services, into: &events)
        let matched = Self.monotonicNanoseconds()
        remember(line)
        apply(at: time, source: path)
        route.advanceYearRule(to: readAt)
        routes[path] = route
        stageNanoseconds.match += matched - started
        stageNanoseconds.evaluate += Self.monotonicNanoseconds() - matched
    }

    /// The monotonic clock in nanoseconds, for the cost per stage (a vDSO call, no system call).
    private static func monotonicNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// Takes a batch of journal entries in order; each entry's time is its `__REALTIME_TIMESTAMP`.
    ///
    /// - Parameters:
    ///   - batch: Entries from a ``JournalSource`` created with ``journalMatches``.
    ///   - receivedAt: When the batch was taken, for the lag reported per source.
    public func take(journal batch: JournalBatch, receivedAt: Instant) {
        linesRead["journal", default: 0] += batch.count
        var bytes = 0
        var lastRouted: Int?
        // A batch read with other matches (one in flight across a reload) is routed entry by
        // entry on its fields, more slowly but to the same services.
        let routedBySlot = batch.matches == journalMatches
        for entry in batch.indices {
            journalTargets.removeAll(keepingCapacity: true)
            if routedBySlot {
                for (match, service) in journalServices.enumerated() where batch.satisfies(match: match, entry: entry) {
                    journalTargets.append(service)
                }
            } else {
                let fields = batch.entry(at: entry)
                for service in journalServices where services[service].source.journal!.matches({ fields.field($0) }) {
                    journalTargets.append(service)
                }
            }
            guard !journalTargets.isEmpty else { continue }
            lastRouted = entry
            events.removeAll(keepingCapacity: true)
            let started = Self.monotonicNanoseconds()
            var matched: Int64 = 0
            batch.withMessage(of: entry) { message in
                bytes += message.count
                matcher.match(message, services: journalTargets, into: &events)
                matched = Self.monotonicNanoseconds()
                remember(message)
            }
            apply(at: batch.realtime(of: entry), source: "journal")
            stageNanoseconds.match += matched - started
            stageNanoseconds.evaluate += Self.monotonicNanoseconds() - matched
        }
        guard let lastRouted else { return }
        bytesRead["journal", default: 0] += bytes
        lag["journal"] = Double(receivedAt.nanoseconds - batch.realtime(of: lastRouted).nanoseconds) / 1e9
    }

    /// The heartbeats of jobs with a `ping_url` since the last call, in order.
    public func takeHeartbeats() -> [Heartbeat] {
        defer { heartbeats.removeAll(keepingCapacity: true) }
        return heartbeats
    }

    /// Lets time pass: every deadline up to `now` falls due.
    public func advance(to now: Instant) {
        evaluator.advance(through: now)
    }

    /// The alerts of settled instants, in SPEC §2 order.
    public func takeAlerts() -> [Alert] {
        evaluator.takeAlerts()
    }

    /// Every alert, including those of the latest instant: call once time has moved past it.
    public func flushAlerts() -> [Alert] {
        evaluator.flush()
    }

    private func apply(at time: Instant, source: String) {
        guard !events.isEmpty else {
            evaluator.advance(before: time)
            return
        }
        linesMatched[source, default: 0] += 1
        for event in events {
            evaluator.apply(event, at: time)
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

    /// The context for an alert: for `failing` the job's last failure line, otherwise its last
    /// matching line.
    public func context(for alert: Alert) -> String? {
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
        linesRead = previous.linesRead
        linesMatched = previous.linesMatched
        lineCounts = previous.lineCounts
        lastLines = previous.lastLines
        bytesRead = previous.bytesRead
        lag = previous.lag
        stageNanoseconds = previous.stageNanoseconds
    }

    /// The status of every job instance and source, for ``DaemonStatus``.
    public func status(into status: inout DaemonStatus) {
        status.jobs = evaluator.snapshot.instances.map { instance in
            let counts = lineCounts[InstanceKey(service: instance.service, job: instance.facts.instance)] ?? (0, 0)
            return DaemonStatus.Job(
                service: instance.service, job: instance.facts.instance, lastSuccess: instance.facts.lastSuccess,
                firing: instance.facts.firing,
                watched: watched[InstanceKey(service: instance.service, job: instance.job)] ?? [],
                successes: counts.successes, failures: counts.failures)
        }
        status.stages.match = Double(stageNanoseconds.match) / 1e9
        status.stages.evaluate = Double(stageNanoseconds.evaluate) / 1e9
        status.sources = linesRead.keys.sorted().map { key in
            DaemonStatus.Source(
                key: key, linesRead: linesRead[key] ?? 0, linesMatched: linesMatched[key] ?? 0,
                bytesRead: bytesRead[key] ?? 0, lagSeconds: lag[key] ?? 0)
        }
    }

    private func makeRoute(_ path: String) -> Route {
        let targets = services.indices.filter { index in
            services[index].source.files.contains { fnmatch($0, path, FNM_PATHNAME) == 0 }
        }
        var specs: [TimestampSpec] = []
        for index in targets where !specs.contains(services[index].timestamp) {
            specs.append(services[index].timestamp)
        }
        let now = evaluator.now ?? Instant(nanoseconds: 0)
        let parsers = specs.compactMap { try? TimestampParser(spec: $0, yearRule: .nearest(now: now)) }
        let route = Route(services: targets, parsers: parsers)
        routes[path] = route
        return route
    }

    /// Where one file's lines go and how their stamps are read.
    private struct Route {
        var services: [Int]
        var parsers: [TimestampParser]

        mutating func advanceYearRule(to now: Instant) {
            for index in parsers.indices { parsers[index].advance(now: now) }
        }
    }
}
