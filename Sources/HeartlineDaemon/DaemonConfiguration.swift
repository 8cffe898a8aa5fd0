import Foundation
public import HeartlineCore
import HeartlineInput

/// Everything the daemon runs from: the main configuration and the services it names.
public struct DaemonConfiguration: Sendable {
    /// The main configuration file's contents.
    public var main: MainConfig
    /// The services from the pattern directory.
    public var services: [ServiceSpec]

    /// Reads the main configuration file and its pattern directory.
    ///
    /// A missing main file means the SPEC §4 defaults. A sink whose settings cannot work is an
    /// error, so that alerts are never silently dropped. `extends:` finds its files as the
    /// command-line tools do (`$HEARTLINE_LIBRARY`, the source tree's `Patterns/`,
    /// `/usr/share/heartline/patterns`).
    ///
    /// - Parameters:
    ///   - path: The main configuration file.
    ///   - environment: Variables for `${VAR}` in the file.
    /// - Throws: `ConfigErrors` (`FILE:LINE:COLUMN: message`) or `InputError` for files that cannot be read.
    public static func load(path: String, environment: [String: String]) throws -> DaemonConfiguration {
        var main = MainConfig()
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            main = try MainConfigParser.parse(text, path: path, environment: environment)
        }
        var errors: [ConfigError] = []
        for (index, sink) in main.sinks.enumerated() {
            let location = sink.location ?? SourceLocation(file: path, line: 1, column: 1)
            do {
                _ = try makeSink(index: index, config: sink, environment: environment)
            } catch {
                errors.append(ConfigError(location: location, message: error.message))
            }
        }
        if let heartbeat = main.heartbeat {
            do {
                _ = try WebhookSink.httpURL(heartbeat.url, sink: "heartbeat", what: "heartbeat 'url'")
            } catch {
                errors.append(
                    ConfigError(location: SourceLocation(file: path, line: 1, column: 1), message: error.message))
            }
        }
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
        let library = LibrarySearchPath.standard(
            named: [], environment: environment, executablePath: Bundle.main.executablePath)
        return DaemonConfiguration(main: main, services: try ServiceLoader.load([main.patterns], library: library))
    }

    /// The alert sinks of the configuration, in order (`healthchecks` forwards heartbeats, not
    /// alerts: see ``HeartbeatForwarder``).
    ///
    /// - Throws: ``SinkError`` for a sink whose settings cannot work (a bad URL, an empty command).
    public func makeSinks(environment: [String: String]) throws(SinkError) -> [any AlertSink] {
        var sinks: [any AlertSink] = []
        for (index, config) in main.sinks.enumerated() {
            if let sink = try Self.makeSink(index: index, config: config, environment: environment) {
                sinks.append(sink)
            }
        }
        return sinks
    }

    private static func makeSink(
        index: Int, config: SinkConfig, environment: [String: String]
    ) throws(SinkError) -> (any AlertSink)? {
        switch config.kind {
        case .stdout: StandardOutputSink(index: index, config: config)
        case .webhook: try WebhookSink(index: index, config: config)
        case .exec: try ExecSink(index: index, config: config, environment: environment)
        case .alertmanager:
            try AlertmanagerSink(
                index: index, config: config,
                repostInterval: .seconds(
                    config.repostInterval ?? Int64(AlertmanagerSink.defaultRepostInterval.components.seconds)))
        case .healthchecks: nil
        }
    }

    /// Every `source.files` glob of every service, without repeats.
    public var fileGlobs: [String] {
        var globs: [String] = []
        for glob in services.flatMap(\.source.files) where !globs.contains(glob) { globs.append(glob) }
        return globs
    }
}

extension DaemonConfiguration {
    /// ``load(path:environment:)`` on a thread of its own, off the cooperative pool.
    ///
    /// - Throws: What ``load(path:environment:)`` throws.
    public static func loading(path: String, environment: [String: String]) async throws -> DaemonConfiguration {
        try await BlockingWork.run("heartline-load") { try load(path: path, environment: environment) }
    }
}
