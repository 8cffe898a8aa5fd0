import ArgumentParser
import Foundation
import HeartlineInput
import HeartlineReplay

/// `heartline match`: which lines of some logs each pattern matches (SPEC §5), like fail2ban-regex.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Show how many lines of some logs each job and pattern matches, with sample lines.",
        discussion: """
            Every line of every FILE is tried against every pattern of every service, whatever the \
            services' 'source:' says; nothing is evaluated and no alert is raised. Per job, the counts \
            say what the lines mean under the precedence ignore, failure, success, start, measure; per \
            pattern, how many lines it matches on its own, with the first \
            \(PatternMatchCounter.sampleCount) as samples. Exit status: 0, or 2 on bad input or \
            configuration.
            """
    )

    @Option(name: .long, help: "Directory of pattern files (or one pattern file).")
    var patterns: String

    @OptionGroup var library: LibraryOptions

    @Option(name: .long, help: "Year of the first year-less syslog stamp of each file. Default: the current year.")
    var year: Int?

    @Argument(help: "Log files, .gz files, journal export streams, or - for standard input.")
    var files: [String]

    func run() throws {
        do {
            let services = try ServiceLoader.load([patterns], library: library.searchPath)
            try NoPatternFiles.check(services, in: patterns)
            let counter = PatternMatchCounter(
                services: services, year: year ?? Calendar(identifier: .gregorian).component(.year, from: Date()))
            for file in files {
                try counter.count(.path(file))
            }
            print(counter.report.text, terminator: "")
        } catch {
            StandardError.write("\(error)")
            throw ExitCode(2)
        }
    }
}
