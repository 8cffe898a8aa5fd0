import AsyncAlgorithms
import Foundation
import HeartlineCore
import HeartlineSinks
import HeartlineSources
import HeartlineState
import HeartlineSystemd
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The daemon's evaluation loop: the one task that owns all evaluation (SPEC §4).
///
/// Sources (each on its own thread) and the clock feed it through one stream. After a batch of
/// lines it commits a checkpoint (evaluator state, source positions, new alerts into the outbox)
/// in one transaction when the lines caused alerts, and on the next clock tick otherwise; then the
/// sink workers deliver the outbox. So after a crash the daemon resumes from the last checkpoint:
/// lines after it are read again and counted once, and alerts not yet acknowledged are sent again.
///
/// Start-up compiles the patterns here, on a thread of its own, so that `/healthz` can answer
/// `starting` meanwhile. `READY=1` goes out once per process, when every source of the first
/// configuration has fixed where it reads from (the files their start offsets, the journal its
/// place, or its absence reported), so that a line written after it is read; the start positions
/// are committed first. Until then the status board says the daemon is not ready.
///
/// The sources are this service's own children, one set per configuration: a reload replaces them.
/// SIGHUP reads and compiles the new configuration on a thread of its own while the old rules keep
/// running (a bad one is logged and the old one kept; job states carry over). Graceful shutdown
/// commits a last checkpoint and returns; the group then stops the other services.
struct EvaluationLoop: Service {
    private let initial: DaemonConfiguration
    private let store: StateStore
    private let checkpoint: Checkpoint?
    private let workers: [SinkWorker]
    private let forwarders: [HeartbeatForwarder]
    private let board: StatusBoard
    private let options: Daemon.Options
    private let logger: Logger

    init(
        initial: DaemonConfiguration, store: StateStore, checkpoint: Checkpoint?, workers: [SinkWorker],
        forwarders: [HeartbeatForwarder], board: StatusBoard, options: Daemon.Options, logger: Logger
    ) {
        self.initial = initial
        self.store = store
        self.checkpoint = checkpoint
        self.workers = workers
        self.forwarders = forwarders
        self.board = board
        self.options = options
        self.logger = logger
    }

    func run() async throws {
        let inbox = Inbox()
        try await withGracefulShutdownHandler {
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
                // A SIGHUP or shutdown meanwhile waits in the inbox for the first generation.
                let prepared = try await PreparedConfiguration.prepare(initial)
                var state = LoopState(
                    configuration: prepared.configuration, store: store, logger: logger,
                    live: LiveEvaluation(
                        matcher: prepared.matcher, restoring: checkpoint?.evaluator, now: options.clock(),
                        monotonic: LoopState.monotonicNanoseconds),
                    positions: SourcePositions(saved: checkpoint?.positions ?? [:]), workers: workers,
                    forwarders: forwarders, board: board)
                while true {
                    let outcome = try await runGeneration(&state, inbox: inbox)
                    guard case .reload(let next) = outcome else { break }
                    state.reconfigure(next, now: options.clock())
                }
                try await state.commit(flushing: true)
                for (key, read) in state.live.linesRead.sorted(by: { $0.key < $1.key }) {
                    logger.info("source \(key): \(read) lines read, \(state.live.linesMatched[key] ?? 0) matched")
                }
                state.publishStatus(now: options.clock())
                let stages = board.status.stages
                let (read, match, evaluate) = (
                    Self.seconds(stages.read), Self.seconds(stages.match), Self.seconds(stages.evaluate)
                )
                logger.info(
                    "time per stage: read \(read), match \(match), evaluate \(evaluate), commit \(Self.seconds(stages.commit)) in \(stages.checkpoints) checkpoints"
                )
                _ = SystemdNotifier.stopping()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            inbox.send(.shutdown)
        }
    }

    /// Sends `READY=1` and marks the status ready, once per process, as soon as every source has
    /// fixed where it reads from.
    ///
    /// The start positions are committed first, so that a restart after a crash just after READY
    /// resumes there rather than starting the files from their end again.
    private func announceReadyIfPositioned(_ state: inout LoopState) async throws {
        guard !state.isReady, state.positioning.isEmpty else { return }
        try await state.commit(flushing: false)
        _ = SystemdNotifier.ready()
        // After READY=1, so that a /healthz 200 never comes before it.
        state.isReady = true
        state.publishStatus(now: options.clock())
        logger.info("ready: every source is positioned")
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
        case reload(PreparedConfiguration)
        case shutdown
    }

    /// Runs the sources of one configuration until a reload is ready or shutdown comes.
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
            // A reload's sources resume from the saved positions; the daemon stays ready meanwhile.
            if !state.isReady { state.positioning = [] }
            if !configuration.fileGlobs.isEmpty {
                if !state.isReady { state.positioning.insert("files") }
                let follower = FileFollower(
                    globs: configuration.fileGlobs, resumeFrom: Array(state.positions.files.values),
                    options: options.follow, now: options.clock)
                state.readGauges.append { follower.readSeconds }
                state.followerGauges.append { LoopState.FollowerCounts(follower) }
                group.addTask {
                    for await event in follower.events() { await data.send(.file(event)) }
                }
            }
            let readsJournal = state.live.router.readsJournal
            if readsJournal {
                if !state.isReady { state.positioning.insert("journal") }
                let journal = JournalSource(
                    routing: state.live.router.journal, resumeCursor: state.positions.journal?.cursor,
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
            if configuration.services.isEmpty {
                logger.warning(
                    "\(configuration.main.patterns): no pattern files (*.yaml); nothing is watched until one is added and Heartline reloaded (SIGHUP)"
                )
            }
            for service in configuration.services {
                let found = service.discoveredFrom.map { "; discovered from \($0)" } ?? ""
                logger.info("  \(service.name): \(service.jobs.count) jobs; \(Self.describe(service.source))\(found)")
            }
            for note in configuration.discoveryNotes { logger.info("\(note)") }
            _ = SystemdNotifier.status("watching \(watching)")
            state.publishStatus(now: options.clock())
            try await announceReadyIfPositioned(&state)
            let watchdog = SystemdNotifier.watchdogInterval()
            var lastInput = ContinuousClock.now
            var lastWatchdog = ContinuousClock.now
            var reloading = false

            defer { group.cancelAll() }
            for await input in merge(data, control) {
                switch input {
                case .file(let event):
                    lastInput = .now
                    try await state.take(event)
                    try await announceReadyIfPositioned(&state)
                    // Alerts just sent: the status answers with their state, not a tick later.
                    if state.alertedSincePublish { state.publishStatus(now: options.clock()) }
                case .journal(let event):
                    lastInput = .now
                    try await state.take(event, now: options.clock())
                    try await announceReadyIfPositioned(&state)
                    if state.alertedSincePublish { state.publishStatus(now: options.clock()) }
                case .tick:
                    // Let time pass only while the sources are quiet: a backlog being caught up
                    // carries older stamps, which must be taken before their deadlines. Time
                    // passes up to `settle` before now: entries still on their way keep their time.
                    let idle = ContinuousClock.now - lastInput >= .milliseconds(200)
                    if idle {
                        let now = options.clock()
                        let (seconds, attoseconds) = options.settle.components
                        let settle = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
                        state.live.advance(to: Instant(nanoseconds: now.nanoseconds - settle))
                    }
                    try await state.commit(flushing: idle)
                    state.publishStatus(now: options.clock())
                    if let watchdog, ContinuousClock.now - lastWatchdog >= watchdog / 2 {
                        _ = SystemdNotifier.watchdog()
                        lastWatchdog = .now
                    }
                case .reload:
                    // One reload at a time; a SIGHUP during one is covered by it.
                    guard !reloading else { continue }
                    reloading = true
                    group.addTask { [options] in
                        do {
                            let next = try await PreparedConfiguration.prepare(
                                path: options.configPath, environment: options.environment)
                            inbox.send(.reloaded(next))
                        } catch {
                            inbox.send(.reloadFailed("\(error)"))
                        }
                    }
                case .reloaded(let next):
                    logger.info("reloaded \(options.configPath): \(next.configuration.services.count) services")
                    try await state.commit(flushing: false)
                    return .reload(next)
                case .reloadFailed(let message):
                    reloading = false
                    logger.error("reload failed; keeping the running configuration:\n\(message)")
                case .shutdown:
                    return .shutdown
                }
            }
            return .shutdown
        }
    }
}

extension EvaluationLoop {
    /// Routes inputs from long-lived tasks (clock, signals, shutdown, reloads) to the current
    /// generation's stream.
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
