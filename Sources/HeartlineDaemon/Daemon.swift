public import Foundation
public import HeartlineCore
import HeartlineSinks
public import HeartlineSources
import HeartlineState
public import HeartlineSystemd
public import Logging
public import ServiceLifecycle
public import UnixSignals

/// `heartline run`: follows journald and plain files live, drives the schedule evaluator on the
/// real clock, saves state durably, and hands alerts to the sinks (SPEC §4).
///
/// The daemon's process shape lives here, in one ``ServiceGroup``: one ``SinkWorker`` per alert
/// sink, one forwarder per `healthchecks` sink, an Alertmanager re-poster per Alertmanager sink,
/// the self-heartbeat, the HTTP server (given by the caller), and last the evaluation loop, which
/// owns the sources. The group stops them in reverse order: the loop saves its last checkpoint
/// first, then HTTP and the heartbeats stop, and the sink workers drain their queues last, all
/// within ``Options/drainTime``; whatever is not delivered by then stays in the outbox.
public struct Daemon: Service {
    /// Knobs for tests and embedding; the defaults are what `heartline run` uses.
    public struct Options: Sendable {
        /// The main configuration file, read again on SIGHUP.
        public var configPath: String
        /// Environment for `${VAR}` in the configuration.
        public var environment: [String: String]
        /// The wall clock.
        public var clock: @Sendable () -> Instant
        /// How often the clock ticks, letting deadlines fall due when the sources are quiet.
        public var tick: Duration
        /// How far the evaluation clock stays behind the wall clock, so that a line written just
        /// before a deadline but handed to the daemon just after it still counts before it, at its
        /// own time. journald makes new entries visible to readers up to 250 ms after it writes them
        /// (its post-change timer), and an entry that arrives after the clock passed its time would
        /// be taken at the clock's time instead. Default 500 ms: alerts go out that much later.
        public var settle: Duration
        /// The file follower's settings.
        public var follow: FollowOptions
        /// The journal source's settings.
        public var journal: JournalSourceOptions
        /// Where the daemon publishes its status after every batch (for the HTTP endpoints).
        public var board: StatusBoard?
        /// Signals that start a graceful shutdown.
        public var shutdownSignals: [UnixSignal]
        /// How long a graceful shutdown may take in all (the last commit, then the sinks draining)
        /// before the group cancels what is still running.
        public var drainTime: Duration

        /// Creates options with the defaults.
        public init(configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
            self.configPath = configPath
            self.environment = environment
            self.clock = { Instant(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9)) }
            self.tick = .milliseconds(250)
            self.settle = .milliseconds(500)
            self.follow = FollowOptions()
            self.journal = JournalSourceOptions()
            self.board = nil
            self.shutdownSignals = [.sigterm, .sigint]
            self.drainTime = .seconds(10)
        }
    }

    private let configuration: DaemonConfiguration
    private let options: Options
    private let logger: Logger
    private let http: (@Sendable (StatusBoard) -> any Service)?

    /// Creates the daemon for a configuration read once by the caller; nothing runs until ``run()``.
    ///
    /// - Parameters:
    ///   - configuration: The main configuration and its services (``DaemonConfiguration/load(path:environment:)``).
    ///   - options: Clock, sources, signals and drain time.
    ///   - logger: The daemon's log (standard error under `heartline run`).
    ///   - http: Makes the HTTP status server on the daemon's status board; nil serves nothing.
    public init(
        configuration: DaemonConfiguration, options: Options, logger: Logger,
        http: (@Sendable (StatusBoard) -> any Service)? = nil
    ) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.http = http
    }

    /// Runs until graceful shutdown.
    ///
    /// - Throws: `StateError` when the state database cannot be opened or written, `SinkError`
    ///   for a sink that cannot work, or what the HTTP server throws (an address in use).
    public func run() async throws {
        let store = try StateStore(directory: configuration.main.state)
        let (checkpoint, outbox) = try await store.load()
        let workers = try SinkFactory.makeSinks(configuration.main.sinks, environment: options.environment).map {
            SinkWorker(sink: $0, store: store, logger: logger)
        }
        try await requeue(outbox, to: workers, store: store)
        let forwarders = configuration.main.sinks.filter { $0.kind == .healthchecks }.map {
            HeartbeatForwarder(config: $0, logger: logger)
        }
        let board = options.board ?? StatusBoard(startedAt: options.clock())
        let loop = EvaluationLoop(
            initial: configuration, store: store, checkpoint: checkpoint,
            workers: workers, forwarders: forwarders, board: board, options: options, logger: logger)

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        services += workers.map {
            ServiceGroupConfiguration.ServiceConfiguration(service: $0, serviceName: $0.sink.key)
        }
        services += forwarders.map { .init(service: $0, serviceName: "healthchecks") }
        for case let sink as AlertmanagerSink in workers.map(\.sink) {
            services.append(
                .init(
                    service: AlertmanagerReposter(sink: sink, board: board, logger: logger),
                    serviceName: "re-post \(sink.key)"))
        }
        if let heartbeat = configuration.main.heartbeat {
            services.append(
                .init(
                    service: SelfHeartbeatPinger(
                        heartbeat: heartbeat, board: board, clock: options.clock, logger: logger),
                    serviceName: "self-heartbeat"))
        }
        if let http { services.append(.init(service: http(board), serviceName: "http")) }
        services.append(
            .init(
                service: loop, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: "evaluation"))
        var group = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: options.shutdownSignals, logger: logger)
        group.maximumGracefulShutdownDuration = options.drainTime
        try await ServiceGroup(configuration: group).run()
    }

    /// Hands the outbox left by the last run to the sinks, in order; alerts for a sink no longer
    /// configured are dropped with a warning.
    private func requeue(_ outbox: [OutboxEntry], to workers: [SinkWorker], store: StateStore) async throws {
        var orphans: [Int64] = []
        for (key, entries) in Dictionary(grouping: outbox, by: \.sink) {
            if let worker = workers.first(where: { $0.sink.key == key }) {
                worker.enqueue(entries.sorted { $0.id < $1.id })
            } else {
                logger.warning("dropping \(entries.count) queued alerts for sink \(key), which is no longer configured")
                orphans += entries.map(\.id)
            }
        }
        try await store.acknowledge(orphans)
    }
}
