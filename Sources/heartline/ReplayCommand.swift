import ArgumentParser
import Foundation
import HeartlineCore
import HeartlineInput
import HeartlineReplay

/// `heartline replay`: recorded logs through the evaluator in simulated time (SPEC §3).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run recorded logs through the schedule evaluator and print the alerts.",
        discussion: """
            Inputs are plain logs, .gz files, journal export streams (journalctl -o export), or - for \
            standard input; several are merged by time. Exit status: 0 whether or not alerts fired, \
            2 on bad input or configuration.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, jsonl
    }

    @Option(name: .long, help: "Directory of pattern files (or one pattern file).")
    var patterns: String

    @OptionGroup var library: LibraryOptions

    @Option(name: .long, help: "Monitoring start and first instant replayed (RFC 3339).")
    var from: String?

    @Option(name: .long, help: "Last instant evaluated, inclusive (RFC 3339). Default: the last input event.")
    var until: String?

    @Option(name: .long, help: "Year of the first year-less syslog stamp. Default: the current year.")
    var year: Int?

    @Option(name: .long, help: "Send all input to this service, whatever its source (repeatable).")
    var service: [String] = []

    @Option(name: .long, help: "Output format: text or jsonl.")
    var format: Format = .text

    @Flag(name: .long, help: "Match with PCRE2 alone, without the Vectorscan prefilter (same alerts, slower).")
    var noPrefilter = false

    @Flag(name: .long, help: "Print counts and the time spent per stage (read, match, evaluate) on standard error.")
    var stats = false

    @Argument(help: "Log files, .gz files, journal export streams, or - for standard input.")
    var files: [String]

    func run() throws {
        var options = ReplayOptions(
            from: try from.map { try Self.instant($0, "--from") },
            until: try until.map { try Self.instant($0, "--until") },
            year: year ?? Calendar(identifier: .gregorian).component(.year, from: Date()),
            services: service)
        options.usePrefilter = !noPrefilter
        options.prefilterCache = PrefilterCacheDirectory.standard(environment: ProcessInfo.processInfo.environment)
        options.timeStages = stats
        do {
            let services = try ServiceLoader.load([patterns], library: library.searchPath)
            try NoPatternFiles.check(services, in: patterns)
            let replay = try Replay(services: services, options: options)
            let output = StandardOutput()
            let progressLine = ProgressLine(files: files)
            let progress = { (progress: ReplayProgress) in
                output.flush()
                progressLine?.update(progress)
            }
            let report = try replay.run(inputs: files.map(ReplayInput.path), progress: progress) { alert in
                output.write(format == .jsonl ? AlertFormatter.jsonLine(alert) : AlertFormatter.text(alert))
            }
            output.flush()
            for warning in report.warnings { StandardError.write("heartline: warning: \(warning)") }
            if stats {
                StandardError.write(
                    "heartline: \(report.lines) lines, \(report.journalEntries) journal entries, "
                        + "\(report.matched) matched, \(report.alerts) alerts")
                for line in report.stageTimes.summary { StandardError.write("heartline: stage \(line)") }
            }
        } catch {
            StandardError.write("\(error)")
            throw ExitCode(2)
        }
    }

    static func instant(_ text: String, _ option: String) throws -> Instant {
        switch RFC3339.read(text) {
        case .instant(let instant):
            return instant
        case .afterLatest:
            StandardError.write("\(option) \(text): out of range: Heartline's times end at \(Instant.latest)")
        case .beforeEarliest:
            StandardError.write("\(option) \(text): out of range: Heartline's times begin at \(Instant.earliest)")
        case .notATime:
            StandardError.write("\(option) \(text): expected an RFC 3339 time such as 2005-06-16T04:10:24Z")
        }
        throw ExitCode(2)
    }
}
