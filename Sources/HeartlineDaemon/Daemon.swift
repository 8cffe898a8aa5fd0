import AsyncAlgorithms
public import Foundation
public import HeartlineCore
public import HeartlineSources
import HeartlineState
public import HeartlineSystemd
public import Logging
public import ServiceLifecycle
import Synchronization
import UnixSignals

/// `heartline run`: follows journald and plain files live, drives the schedule evaluator on the
/// real clock, saves state durably, and hands alerts to the sinks (SPEC §4).
///
/// One task owns all evaluation: sources (each on its own thread) and the clock feed it through
/// one stream. After every batch of lines it commits a checkpoint (evaluator state, source
/// positions, new alerts into the outbox) in one transaction, then delivers the outbox. So after a
/// crash the daemon resumes from the last checkpoint: lines after it are read again and counted
/// once, and alerts not yet acknowledged by their sink are sent again.
///
/// SIGHUP reloads the configuration and patterns (a bad new one is logged and the old one kept;
/// job states carry over); SIGTERM saves state and returns.
public struct Daemon: Service {
    /// Knobs for tests and embedding; the defaults are what `heartline run` uses.
    public struct Options: Sendable {
        /// The main configuration file.
        public var configPath: String
        /// Environment for `${VAR}` in the configuration.
        public var environment: [String: String]
        /// The wall clock.
        public var clock: @Sendable () -> Instant
        /// How often the clock ticks, letting deadlines fall due when the sources are quiet.
        public var tick: Duration
        /// The file follower's settings.
        public var follow: FollowOptions
        /// The journal source's settings.
        public var journal: JournalSourceOptions
        /// Where the daemon publishes its status after every batch (for the HTTP endpoints).
        public var board: StatusBoard?

        /// Creates options with the defaults.
        public init(configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
            self.configPath = configPath
            self.environment = environment
            self.clock = { Instant(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9)) }
            self.tick = .milliseconds(250)
            self.follow = FollowOptions()
            self.journal = JournalSourceOptions()
            self.board = nil
        }
    }

    private let options: Options
    private let logger: Logger

    /// Creates the daemon; nothing happens until ``run()``.
    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Runs until graceful shutdown.
    ///
    /// - Throws: `ConfigErrors` or `InputError` when the configuration cannot be loaded at start,
    ///   `StateError` when the state database cannot be opened or written.
    public func run() async throws {
        var configuration = try DaemonConfiguration.load(path: options.configPath, environment: options.environment)
        let store = try StateStore(directory: configuration.main.state)
        let (checkpoint, outbox) = try store.load()
        let workers = try configuration.makeSinks(environment: options.environment).map {
            SinkWorker(sink: $0, store: store, logger: logger)
        }
        try requeue(outbox, to: workers, store: store)
        let forwarders = configuration.main.sinks.filter { $0.kind == .healthchecks }.map {
            HeartbeatForwarder(config: $0, logger: logger)
        }
        var state = LoopState(
            configuration: configuration, store: store, logger: logger,
            live: LiveEvaluation(
                services: configuration.services, restoring: checkpoint?.evaluator, now: options.clock(),
                prefilterCache: LoopState.prefilterCache(for: configuration), monotonic: LoopState.monotonicNanoseconds),
            positions: SourcePositions(saved: checkpoint?.positions ?? [:]), workers: workers, forwarders: forwarders,
            board: options.board ?? StatusBoard(startedAt: options.clock()))

        let inbox = Inbox()
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Bool.self) { deliveries in
                for worker in workers {
                    deliveries.addTask {
                        await worker.run()
                        return true
                    }
                }
                for forwarder in forwarders {
                    deliveries.addTask {
                        await forwarder.run()
                        return true
                    }
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { [tick = options.tick] in
                        while !Task.isCancelled {
                            try await Task.sleep(for: tick)
                            inbox.send(.tick)
                        }
                    }
                    group.addTask {
                        for await _ in await UnixSignalsSequence(trapping: .sighup) { inbox.send(.reload) }
                    }
                    let board = state.board
                    for case let sink as AlertmanagerSink in workers.map(\.sink) {
                        group.addTask { await Self.repost(to: sink, from: board, logger: logger) }
                    }
                    if let heartbeat = configuration.main.heartbeat {
                        group.addTask { [clock = options.clock] in
                            await Self.ping(heartbeat, while: board, clock: clock, logger: logger)
                        }
                    }
                    while true {
                        let outcome = try await runGeneration(&state, inbox: inbox)
                        guard case .reload(let next) = outcome else { break }
                        configuration = next
                        state.reconfigure(next, now: options.clock())
                    }
                    try state.commit(flushing: true)
                    for (key, read) in state.live.linesRead.sorted(by: { $0.key < $1.key }) {
                        logger.info("source \(key): \(read) lines read, \(state.live.linesMatched[key] ?? 0) matched")
                    }
                    state.publishStatus(now: options.clock())
                    let stages = board.status.stages
                    let (read, match, evaluate) = (
                        Self.seconds(stages.read), Self.seconds(stages.match), Self.seconds(stages.evaluate)
                    )
                    logger.info("time per stage: read \(read), match \(match), evaluate \(evaluate)")
                    _ = SystemdNotifier.stopping()
                    group.cancelAll()
                }
                // Let the sinks take what is queued, for a few seconds at most; the rest stays
                // in the outbox for the next start.
                for worker in workers { worker.finish() }
                for forwarder in forwarders { forwarder.finish() }
                deliveries.addTask {
                    try await Task.sleep(for: .seconds(5))
                    return false
                }
                var running = workers.count + forwarders.count
                while running > 0, let finished = try await deliveries.next() {
                    guard finished else { break }
                    running -= 1
                }
                deliveries.cancelAll()
            }
        } onGracefulShutdown: {
            inbox.send(.shutdown)
        }
    }

    /// Posts every firing alert to an Alertmanager again each ``AlertmanagerSink/repostInterval``,
    /// as Alertmanager expects of a client (it resolves an alert that stops being posted). Best
    /// effort: a re-post that fails waits for the next round; the outbox carries the changes.
    private static func repost(to sink: AlertmanagerSink, from board: StatusBoard, logger: Logger) async {
        while true {
            do { try await Task.sleep(for: sink.repostInterval) } catch { return }
            for job in board.status.jobs {
                for (condition, since) in job.firing.sorted(by: { $0.key < $1.key }) {
                    let alert = Alert(
                        at: since, service: job.service, job: job.job, condition: condition, status: .firing,
                        detail: "still firing")
                    guard sink.config.accepts(alert) else { continue }
                    do {
                        try await sink.deliver(alert)
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.warning("alertmanager re-post: \(error)")
                    }
                }
            }
        }
    }

    /// The daemon's own heartbeat: POSTs to `heartbeat.url` every `heartbeat.every` seconds while
    /// the processing loop is alive (its status was published in the last 10 s), so that a service
    /// such as healthchecks.io notices when Heartline itself stops.
    private static func ping(
        _ heartbeat: SelfHeartbeat, while board: StatusBoard, clock: @Sendable () -> Instant, logger: Logger
    ) async {
        guard let url = URL(string: heartbeat.url) else { return }
        let poster = HTTPPoster(url: url, headers: [:], timeout: .seconds(10), sinkName: "heartbeat")
        while true {
            let age = clock().nanoseconds - board.status.updatedAt.nanoseconds
            if age < 10_000_000_000 {
                do {
                    try await poster.post(Data("{\"heartline\":\"alive\"}".utf8))
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("self-heartbeat: \(error)")
                }
            }
            do { try await Task.sleep(for: .seconds(heartbeat.every)) } catch { return }
        }
    }

    /// Hands the outbox left by the last run to the sinks, in order; alerts for a sink no longer
    /// configured are dropped with a warning.
    private func requeue(_ outbox: [OutboxEntry], to workers: [SinkWorker], store: StateStore) throws {
        var orphans: [Int64] = []
        for (key, entries) in Dictionary(grouping: outbox, by: \.sink) {
            if let worker = workers.first(where: { $0.sink.key == key }) {
                worker.enqueue(entries.sorted { $0.id < $1.id })
            } else {
                logger.warning("dropping \(entries.count) queued alerts for sink \(key), which is no longer configured")
                orphans += entries.map(\.id)
            }
        }
        try store.acknowledge(orphans)
    }

    /// A service's sources in words, for the start-up log.
    private static func describe(_ source: SourceSpec) -> String {
        var parts: [String] = []
        if let journal = source.journal {
            var fields = journal.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            if let identifier = journal.identifier { fields.insert("identifier \(identifier)", at: 0) }
            if let unit = journal.unitName { fields.insert("unit \(unit)", at: 0) }
            parts.append("journal (\(fields.joined(separator: ", ")))")
        }
        if !source.files.isEmpty { parts.append("files \(source.files.joined(separator: ", "))") }
        return parts.isEmpty ? "no source" : parts.joined(separator: "; ")
    }

    /// Seconds with three decimals, for the log.
    private static func seconds(_ value: Double) -> String {
        let milliseconds = Int((value * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }

    private enum Outcome {
        case reload(DaemonConfiguration)
        case shutdown
    }

    /// Runs the sources of one configuration until a reload succeeds or shutdown comes.
    private func runGeneration(_ state: inout LoopState, inbox: Inbox) async throws -> Outcome {
        // Source events go through a channel whose sends wait for the loop to take them, so the
        // sources' own back-pressure reaches all the way here; control inputs come separately.
        let (control, continuation) = AsyncStream.makeStream(of: DaemonInput.self)
        inbox.attach(continuation)
        defer { inbox.detach() }
        let data = AsyncChannel<DaemonInput>()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            defer { state.retireReadGauges() }
            let configuration = state.configuration
            if !configuration.fileGlobs.isEmpty {
                let follower = FileFollower(
                    globs: configuration.fileGlobs, resumeFrom: Array(state.positions.files.values),
                    options: options.follow, now: options.clock)
                state.readGauges.append { follower.readSeconds }
                group.addTask {
                    for await event in follower.events() { await data.send(.file(event)) }
                }
            }
            let readsJournal = state.live.router.readsJournal
            if readsJournal {
                let journal = JournalSource(
                    matches: state.live.journalMatches, resumeCursor: state.positions.journal?.cursor,
                    resumeTime: state.positions.journal?.realtime, options: options.journal)
                state.readGauges.append { journal.readSeconds }
                group.addTask {
                    for await event in journal.events() { await data.send(.journal(event)) }
                }
            }
            let watching =
                "\(configuration.services.count) services, \(configuration.fileGlobs.count) file globs"
                + (readsJournal ? ", the journal" : "")
            logger.info("watching \(watching)")
            for service in configuration.services {
                logger.info("  \(service.name): \(service.jobs.count) jobs; \(Self.describe(service.source))")
            }
            _ = SystemdNotifier.ready()
            _ = SystemdNotifier.status("watching \(watching)")
            let watchdog = SystemdNotifier.watchdogInterval()
            var lastInput = ContinuousClock.now
            var lastWatchdog = ContinuousClock.now

            defer { group.cancelAll() }
            for await input in merge(data, control) {
                switch input {
                case .file(let event):
                    lastInput = .now
                    try state.take(event)
                case .journal(let event):
                    lastInput = .now
                    try state.take(event, now: options.clock())
                case .tick:
                    // Let time pass only while the sources are quiet: a backlog being caught up
                    // carries older stamps, which must be taken before their deadlines.
                    let idle = ContinuousClock.now - lastInput >= .milliseconds(200)
                    if idle { state.live.advance(to: options.clock()) }
                    try state.commit(flushing: idle)
                    state.publishStatus(now: options.clock())
                    if let watchdog, ContinuousClock.now - lastWatchdog >= watchdog / 2 {
                        _ = SystemdNotifier.watchdog()
                        lastWatchdog = .now
                    }
                case .reload:
                    do {
                        let next = try DaemonConfiguration.load(
                            path: options.configPath, environment: options.environment)
                        logger.info("reloaded \(options.configPath): \(next.services.count) services")
                        try state.commit(flushing: false)
                        return .reload(next)
                    } catch {
                        logger.error("reload failed; keeping the running configuration:\n\(error)")
                        continue
                    }
                case .shutdown:
                    return .shutdown
                }
            }
            return .shutdown
        }
    }
}

extension Daemon {
    /// Routes inputs from long-lived tasks (clock, signals, shutdown) to the current generation's stream.
    final class Inbox: Sendable {
        private let current = Mutex<AsyncStream<DaemonInput>.Continuation?>(nil)
        private let early = Mutex<[DaemonInput]>([])

        func attach(_ continuation: AsyncStream<DaemonInput>.Continuation) {
            let waiting = early.withLock { queued in
                defer { queued.removeAll() }
                return queued
            }
            current.withLock { $0 = continuation }
            for input in waiting { continuation.yield(input) }
        }

        func detach() {
            current.withLock { $0 = nil }
        }

        /// Sends to the current stream; a shutdown or reload that comes between generations waits.
        func send(_ input: DaemonInput) {
            let delivered = current.withLock { continuation -> Bool in
                guard let continuation else { return false }
                continuation.yield(input)
                return true
            }
            if !delivered, case .tick = input { return }
            if !delivered { early.withLock { $0.append(input) } }
        }
    }
}
