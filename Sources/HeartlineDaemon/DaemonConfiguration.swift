import Foundation
public import HeartlineCore
public import HeartlineInput
import HeartlineSinks

/// Everything the daemon runs from: the main configuration and the services it names.
public struct DaemonConfiguration: Sendable {
    /// The main configuration file's contents.
    public var main: MainConfig
    /// The services from the pattern directory, then those `discover:` found.
    public var services: [ServiceSpec]
    /// What `discover:` has to say: jobs it left out and why, names a pattern file took.
    public var discoveryNotes: [String] = []

    /// Reads the main configuration file and its pattern directory, and reports every error of both.
    ///
    /// A missing main file means the SPEC §4 defaults, unless `requireFile` says it must exist. A
    /// sink whose settings cannot work is an error, so that alerts are never silently dropped. The
    /// errors of the main file, of its sinks and of every pattern file come together, each at the
    /// key or value at fault; the pattern directory is read even when the main file has errors,
    /// unless its `patterns` value is itself wrong. No message repeats a value expanded from
    /// `${VAR}`. The daemon starts and reloads with this, and `heartline check --config` runs it.
    ///
    /// - Parameters:
    ///   - path: The main configuration file.
    ///   - environment: Variables for `${VAR}` in the file.
    ///   - library: Where `extends:` finds its files; nil for the command-line tools' search path
    ///     (`$HEARTLINE_LIBRARY`, the source tree's `Patterns/`, `/usr/share/heartline/patterns`).
    ///   - requireFile: Whether a missing main file is an error rather than every default.
    /// - Returns: The configuration, when nothing is wrong.
    /// - Throws: `ConfigErrors` (`FILE:LINE:COLUMN: message`) with every error; `InputError` when
    ///   there is no main file and the default pattern directory cannot be read.
    public static func load(
        path: String, environment: [String: String], library: LibrarySearchPath? = nil, requireFile: Bool = false
    ) throws -> DaemonConfiguration {
        let start = SourceLocation(file: path, line: 1, column: 1)
        var outcome = MainConfigParser.Outcome(config: MainConfig(), errors: [], patternsKnown: true)
        var hasFile = false
        if FileManager.default.fileExists(atPath: path) {
            hasFile = true
            do {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                outcome = MainConfigParser.parsePartially(text, path: path, environment: environment)
            } catch {
                let reason = error.localizedDescription
                outcome.errors = [
                    ConfigError(location: start, message: "cannot read the main configuration: \(reason)")
                ]
                outcome.patternsKnown = false
            }
        } else if requireFile {
            let message = "no such file; name an existing main configuration, such as /etc/heartline/heartline.yaml"
            outcome.errors = [ConfigError(location: start, message: message)]
            outcome.patternsKnown = false
        }
        let main = outcome.config
        var errors = outcome.errors
        for (index, sink) in main.sinks.enumerated() {
            do throws(SinkError) {
                _ = try SinkFactory.makeSink(index: index, config: sink, environment: environment)
            } catch {
                let at = error.setting.flatMap { sink.valueLocations[$0] } ?? sink.location ?? start
                errors.append(ConfigError(location: at, message: error.message))
            }
        }
        if let heartbeat = main.heartbeat {
            do throws(SinkError) {
                _ = try WebhookSink.httpURL(
                    heartbeat.url, sink: "heartbeat", what: "heartbeat 'url'", example: "https://hc-ping.com/UUID")
            } catch {
                let at = main.valueLocations["heartbeat.url"] ?? start
                errors.append(ConfigError(location: at, message: error.message))
            }
        }
        var services: [ServiceSpec] = []
        let library =
            library
            ?? LibrarySearchPath.standard(
                named: [], environment: environment, executablePath: Bundle.main.executablePath)
        if outcome.patternsKnown {
            do {
                services = try ServiceLoader.load([main.patterns], library: library)
            } catch let error as ConfigErrors {
                errors += error.errors
            } catch let error as InputError where hasFile {
                errors.append(patternsError(error, main: main, start: start))
            }
        }
        var notes: [String] = []
        if let settings = main.discover, settings.timers || settings.crontabs {
            do {
                let patternLibrary = try PatternDirectory.library(library.directories, required: Set(library.named))
                let found = discovered(settings, library: patternLibrary, taken: Set(services.map(\.name)))
                services += found.services
                notes = found.notes
            } catch {
                errors.append(ConfigError(location: start, message: "discover: \(error)"))
            }
        }
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
        var configuration = DaemonConfiguration(main: main, services: services)
        configuration.discoveryNotes = notes
        return configuration
    }

    /// A pattern directory or file that cannot be read, as a configuration error: at the
    /// `patterns` value for the directory itself, at the start of a file inside it.
    private static func patternsError(_ error: InputError, main: MainConfig, start: SourceLocation) -> ConfigError {
        guard error.path == main.patterns else {
            return ConfigError(location: SourceLocation(file: error.path, line: 1, column: 1), message: error.message)
        }
        guard let at = main.valueLocations["patterns"] else {
            return ConfigError(
                location: start,
                message: "the default pattern directory \(error.path): \(error.message); "
                    + "create it or name another with 'patterns:'")
        }
        return ConfigError(
            location: at,
            message: "pattern directory \(error.path): \(error.message); "
                + "'patterns' names the directory of service files")
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
