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
    /// A missing main file means the SPEC §4 defaults. Sinks this build cannot deliver to yet are
    /// an error, so that alerts are never silently dropped. `extends:` finds its files as the
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
        let unsupported = main.sinks.filter { $0.kind != .stdout }
        if !unsupported.isEmpty {
            throw ConfigErrors(
                errors: unsupported.map { sink in
                    ConfigError(
                        location: sink.location ?? SourceLocation(file: path, line: 1, column: 1),
                        message: "sink type '\(sink.typeName)' is not implemented in this build yet; use 'stdout'")
                })
        }
        let library = LibrarySearchPath.standard(
            named: [], environment: environment, executablePath: Bundle.main.executablePath)
        return DaemonConfiguration(main: main, services: try ServiceLoader.load([main.patterns], library: library))
    }

    /// Every `source.files` glob of every service, without repeats.
    public var fileGlobs: [String] {
        var globs: [String] = []
        for glob in services.flatMap(\.source.files) where !globs.contains(glob) { globs.append(glob) }
        return globs
    }

    /// Every service's journal match.
    public var journalMatches: [JournalMatch] {
        services.compactMap(\.source.journal)
    }
}
