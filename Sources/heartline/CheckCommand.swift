import ArgumentParser
import Foundation
import HeartlineCore
import HeartlineDaemon
import HeartlineInput
import HeartlineReplay

/// `heartline check`: validate pattern files and the main configuration (SPEC §5).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate pattern files and the main configuration; print every error as FILE:LINE:COLUMN: message.",
        discussion: """
            With --config, checks the main configuration as 'heartline run' loads it: its keys, its \
            sinks, and every pattern file of the directory its 'patterns:' names. With --patterns too, \
            that directory is checked as well. Also says how the Vectorscan prefilter takes each \
            pattern: exactly, approximated (HS_FLAG_PREFILTER, PCRE2 confirms), or not at all (PCRE2 \
            alone on every line). Exit status: 0 when valid, 1 when any error was found.
            """
    )

    @Option(
        name: .long,
        help: "Directory of pattern files (or one pattern file); \(MainConfig.defaultPatterns) without --config.")
    var patterns: String?

    @Option(name: .long, help: "A main configuration file to check, with its sinks and its pattern directory.")
    var config: String?

    @OptionGroup var library: LibraryOptions

    func run() throws {
        var errors: [ConfigError] = []
        var otherErrors: [String] = []
        var checked: [(name: String, services: [ServiceSpec])] = []
        if let config {
            do {
                let loaded = try DaemonConfiguration.load(
                    path: config, environment: ProcessInfo.processInfo.environment, library: library.searchPath,
                    requireFile: true)
                let sinks = loaded.main.sinks.count
                let name = "\(config): \(sinks) sink\(sinks == 1 ? "" : "s"); \(loaded.main.patterns)"
                checked.append((name, loaded.services))
                // Warnings do not fail the check: the set-up works, at a risk the operator may take.
                for warning in loaded.warnings(path: config) { StandardError.write(warning.description) }
            } catch let error as ConfigErrors {
                errors += error.errors
            } catch {
                otherErrors.append("\(error)")
            }
        }
        if patterns != nil || config == nil {
            let directory = patterns ?? MainConfig.defaultPatterns
            do {
                let services = try ServiceLoader.load([directory], library: library.searchPath)
                try NoPatternFiles.check(services, in: directory)
                checked.append((directory, services))
            } catch let error as ConfigErrors {
                errors += error.errors
            } catch {
                otherErrors.append("\(error)")
            }
        }
        guard errors.isEmpty, otherErrors.isEmpty else {
            // --config and --patterns may name the same directory: say each problem once.
            var seen = Set<ConfigError>()
            let unique = errors.filter { seen.insert($0).inserted }
            if !unique.isEmpty { StandardError.write("\(ConfigErrors(errors: unique))") }
            for message in otherErrors { StandardError.write(message) }
            throw ExitCode(1)
        }
        var notes: [(location: SourceLocation, text: String)] = []
        var summaries: [String] = []
        for (name, services) in checked {
            let (serviceNotes, summary) = Self.prefilterReport(services)
            for note in serviceNotes where !notes.contains(where: { $0 == note }) { notes.append(note) }
            summaries.append("\(TerminalText.escaped(name)): \(summary); no errors")
        }
        let ordered = notes.sorted {
            ($0.location.file, $0.location.line, $0.location.column) < (
                $1.location.file, $1.location.line, $1.location.column
            )
        }
        for note in ordered { print("\(TerminalText.escaped(note.location.description)): \(note.text)") }
        for summary in summaries { print(summary) }
    }

    /// How the prefilter takes each pattern of `services`: a note per pattern it does not take
    /// exactly, and the counts.
    private static func prefilterReport(
        _ services: [ServiceSpec]
    ) -> (notes: [(location: SourceLocation, text: String)], summary: String) {
        let jobs = services.reduce(0) { $0 + $1.jobs.count }
        let matcher = LineMatcher(services: services)
        var counts = (exact: 0, approximate: 0, pcre2Only: 0, fieldText: 0, everyLine: 0)
        var notes: [(location: SourceLocation, text: String)] = []
        for (id, pattern) in matcher.patterns.enumerated() {
            switch matcher.prefilterTake(ofPattern: id) {
            case .regex(.exact):
                counts.exact += 1
            case .regex(.approximate):
                counts.approximate += 1
                notes.append((pattern.location, "note: prefilter approximates this pattern; PCRE2 confirms"))
            case .regex(.unsupported(let reason)):
                counts.pcre2Only += 1
                notes.append((pattern.location, "note: PCRE2 alone matches this pattern on every line (\(reason))"))
            case .fieldText:
                counts.fieldText += 1
            case .everyLine:
                counts.everyLine += 1
            case nil:
                break
            }
        }
        var summary =
            "\(services.count) services, \(jobs) jobs, \(matcher.patterns.count) patterns "
            + "(prefilter: \(counts.exact) exact, \(counts.approximate) approximated, "
            + "\(counts.pcre2Only) PCRE2 only"
        if counts.fieldText + counts.everyLine > 0 {
            summary += "; fields: \(counts.fieldText) by text, \(counts.everyLine) on every line"
        }
        summary += ")"
        return (notes, summary)
    }
}
