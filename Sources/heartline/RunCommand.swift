import ArgumentParser
import CMalloc
import Foundation
import HeartlineCore
import HeartlineDaemon
import HeartlineHTTP
import Logging

/// `heartline run`: the daemon (SPEC §4).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Follow journald and log files live and print alerts as JSON lines.",
        discussion: """
            Alerts go to standard output, one JSON object per line; the daemon's own log goes to \
            standard error. Status is served over HTTP at the configuration's 'http: { listen: ... }' \
            (127.0.0.1:9464 by default): /healthz, /metrics, /api/v1/jobs. SIGHUP reloads the \
            configuration and patterns (not the listen address); SIGTERM saves state and exits 0.
            """
    )

    @Option(name: .long, help: "The main configuration file.")
    var config: String = "/etc/heartline/heartline.yaml"

    func run() async throws {
        // glibc gives each thread that allocates under contention its own heap arena, up to 8 per
        // core, and memory freed into one is rarely returned; the daemon's lines cross threads
        // (reader to loop), so arenas multiply its resident memory. And after a large block is
        // freed glibc raises its mmap and trim thresholds, keeping later frees in the heap. Two
        // arenas and fixed thresholds cost nothing measurable and keep the daemon under the 64 MB
        // target (README, Performance).
        _ = mallopt(M_ARENA_MAX, 2)
        _ = mallopt(M_MMAP_THRESHOLD, 1024 * 1024)
        _ = mallopt(M_TRIM_THRESHOLD, 1024 * 1024)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "heartline")
        let environment = ProcessInfo.processInfo.environment
        // The configuration is read once, here: the listen address and the daemon both come from it.
        let configuration: DaemonConfiguration
        let address: ListenAddress
        do {
            configuration = try await DaemonConfiguration.loading(path: config, environment: environment)
            guard let parsed = ListenAddress(configuration.main.listen) else {
                throw ValidationError("\(config): 'listen' \(configuration.main.listen) is not HOST:PORT")
            }
            address = parsed
        } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
        for warning in configuration.warnings(path: config) { logger.warning("\(warning)") }
        let options = Daemon.Options(configPath: config, environment: environment)
        let daemon = Daemon(configuration: configuration, options: options, logger: logger) {
            [clock = options.clock] board in
            StatusServer(board: board, options: StatusServer.Options(address: address, clock: clock), logger: logger)
        }
        do {
            try await daemon.run()
        } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
    }
}
