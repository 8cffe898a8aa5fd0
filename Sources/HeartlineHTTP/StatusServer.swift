import Foundation
public import HeartlineCore
public import HeartlineDaemon
import Hummingbird
public import Logging
public import ServiceLifecycle

/// The daemon's HTTP status server (SPEC §4): `/healthz`, `/metrics`, `/api/v1/jobs`.
///
/// It serves what the daemon's loop last published on a ``StatusBoard`` and nothing else: no
/// configuration, so no sink URL or header (where secrets live) can leak through it. It binds only
/// the configured address, loopback by default, and stops on the service group's graceful
/// shutdown.
///
/// - `GET /healthz`: 200 `ok` once the daemon is ready and while its status is fresh (see
///   ``HealthCheck``), else 503.
/// - `GET /metrics`: ``MetricsText``, Prometheus text format 0.0.4.
/// - `GET /api/v1/jobs`: a JSON array of ``JobReport``.
public struct StatusServer: Service {
    /// Where and how the server answers.
    public struct Options: Sendable {
        /// The address to bind.
        public var address: ListenAddress
        /// The `/healthz` rule.
        public var health: HealthCheck
        /// The wall clock, for `/healthz`.
        public var clock: @Sendable () -> Instant

        /// Creates options.
        ///
        /// - Parameters:
        ///   - address: The address to bind.
        ///   - health: The `/healthz` rule.
        ///   - clock: The wall clock (the daemon's, `Daemon.Options.clock`).
        public init(
            address: ListenAddress, health: HealthCheck = HealthCheck(), clock: @escaping @Sendable () -> Instant
        ) {
            self.address = address
            self.health = health
            self.clock = clock
        }
    }

    private let board: StatusBoard
    private let options: Options
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    /// Creates the server; nothing is bound until ``run()``.
    ///
    /// - Parameters:
    ///   - board: Where the daemon publishes its status.
    ///   - options: Address, health rule and clock.
    ///   - logger: The daemon's logger.
    ///   - onListening: Called once the socket is bound, with the bound port (the one the system
    ///     chose when the address's port is 0).
    public init(
        board: StatusBoard, options: Options, logger: Logger,
        onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        self.board = board
        self.options = options
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves until graceful shutdown or cancellation.
    ///
    /// - Throws: When the address cannot be bound (in use, or not an address of this machine).
    public func run() async throws {
        let router = Router()
        router.get("healthz") { [board, options] _, _ in
            let (healthy, body) = options.health.evaluate(board.status, now: options.clock())
            return Self.response(healthy ? .ok : .serviceUnavailable, "text/plain; charset=utf-8", body)
        }
        router.get("metrics") { [board] _, _ in
            Self.response(.ok, MetricsText.contentType, MetricsText.render(board.status))
        }
        router.get("api/v1/jobs") { [board] _, _ in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = try encoder.encode(board.status.jobs.map(JobReport.init))
            return Self.response(.ok, "application/json", String(decoding: body, as: UTF8.self))
        }
        // Hummingbird's own lines (one per start and stop) would repeat ours.
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(options.address.host, port: options.address.port), serverName: nil),
            onServerRunning: { [logger, options, onListening] channel in
                let port = channel.localAddress?.port ?? options.address.port
                let bound = ListenAddress(host: options.address.host, port: port)
                logger.info("http: listening on \(bound) (/healthz, /metrics, /api/v1/jobs)")
                await onListening(port)
            },
            logger: quiet)
        try await app.run()
    }

    private static func response(_ status: HTTPResponse.Status, _ type: String, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
