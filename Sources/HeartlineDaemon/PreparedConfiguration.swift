import HeartlineCore
import HeartlineInput

/// A configuration made ready to run off the evaluation loop: its files read and checked, its
/// regexes and prefilter compiled. The loop then only swaps it in, carrying job states over.
final class PreparedConfiguration: @unchecked Sendable {
    // Unchecked: the matcher is not thread-safe, but it is built on the preparing thread and only
    // handed over; nothing touches it there afterwards.
    let configuration: DaemonConfiguration
    let matcher: LineMatcher

    private init(configuration: DaemonConfiguration, matcher: LineMatcher) {
        self.configuration = configuration
        self.matcher = matcher
    }

    /// Reads and compiles the configuration at `path` on a thread of its own.
    ///
    /// - Parameters:
    ///   - path: The main configuration file.
    ///   - environment: Variables for `${VAR}`.
    /// - Throws: What ``DaemonConfiguration/load(path:environment:)`` throws.
    static func prepare(path: String, environment: [String: String]) async throws -> PreparedConfiguration {
        try await BlockingWork.run("heartline-load") {
            let configuration = try DaemonConfiguration.load(path: path, environment: environment)
            return PreparedConfiguration(configuration: configuration, matcher: matcher(for: configuration))
        }
    }

    /// Compiles the matcher of an already loaded configuration on a thread of its own.
    static func prepare(_ configuration: DaemonConfiguration) async throws -> PreparedConfiguration {
        try await BlockingWork.run("heartline-compile") {
            PreparedConfiguration(configuration: configuration, matcher: matcher(for: configuration))
        }
    }

    private static func matcher(for configuration: DaemonConfiguration) -> LineMatcher {
        LineMatcher(services: configuration.services, prefilterCache: configuration.prefilterCache)
    }
}

extension DaemonConfiguration {
    /// Where compiled prefilters are kept: `prefilter-cache` in the state directory.
    var prefilterCache: PrefilterCacheDirectory {
        PrefilterCacheDirectory(path: main.state + "/prefilter-cache")
    }
}
