import Foundation
import HeartlineCore
import HeartlineInput

extension DaemonConfiguration {
    /// The services `discover:` adds to those of the pattern files, and what to log about them.
    ///
    /// The machine is read under the settings' root (``HeartlineInput/DiscoveryReader``) and mapped
    /// as `heartline discover` maps it (``HeartlineCore/Discovery``); each pattern file it would
    /// write is parsed in memory, as if it were `discovered/SERVICE.yaml`, and none is written. A
    /// discovered service whose name a pattern file already uses is left out: the user's file wins.
    ///
    /// - Parameters:
    ///   - settings: What to discover.
    ///   - library: The pattern library the generated files extend.
    ///   - taken: The service names of the pattern files.
    /// - Returns: The services, each marked with what it was found from, and lines for the log.
    static func discovered(
        _ settings: DiscoverSettings, library: PatternLibrary, taken: Set<String>
    ) -> (services: [ServiceSpec], notes: [String]) {
        let input = DiscoveryReader(root: settings.root).read(timers: settings.timers, crontabs: settings.crontabs)
        let jobs = Discovery(library: library).jobs(from: input)
        var notes = input.problems.map { "discover: \($0)" }
        var services: [ServiceSpec] = []
        for job in jobs {
            guard let body = job.patternFile, let name = job.service else {
                notes.append("discover: \(job.title): not watched: \(job.skipped ?? "no pattern file")")
                continue
            }
            if taken.contains(name) {
                notes.append("discover: \(job.title): the pattern file of service '\(name)' is used instead")
                continue
            }
            do {
                var service = try PatternFileParser.parse(body, path: "discovered/\(name).yaml", library: library)
                service.discoveredFrom =
                    "\(job.source.file)" + (job.title.hasSuffix(".timer") ? "" : ":\(job.source.line)")
                services.append(service)
            } catch {
                notes.append("discover: \(job.title): not watched: \(error)")
            }
        }
        return (services, notes)
    }
}
