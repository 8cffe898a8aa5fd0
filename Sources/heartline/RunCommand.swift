import ArgumentParser
import HeartlineDaemon
import Logging
import ServiceLifecycle

/// `heartline run`: the daemon (SPEC §4).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Follow journald and log files live and print alerts as JSON lines.",
        discussion: """
            Alerts go to standard output, one JSON object per line; the daemon's own log goes to \
            standard error. SIGHUP reloads the configuration and patterns; SIGTERM saves state and exits 0.
            """
    )

    @Option(name: .long, help: "The main configuration file.")
    var config: String = "/etc/heartline/heartline.yaml"

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "heartline")
        let daemon = Daemon(options: Daemon.Options(configPath: config), logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: daemon)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
    }
}
