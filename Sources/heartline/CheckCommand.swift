import ArgumentParser
import HeartlineCore
import HeartlineReplay

/// `heartline check`: validate pattern files (SPEC §5).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate pattern files; print every error as FILE:LINE:COLUMN: message.",
        discussion: "Exit status: 0 when valid, 1 when any error was found."
    )

    @Option(name: .long, help: "Directory of pattern files (or one pattern file).")
    var patterns: String = "/etc/heartline/patterns.d"

    func run() throws {
        do {
            let services = try ServiceLoader.load([patterns])
            let jobs = services.reduce(0) { $0 + $1.jobs.count }
            print("\(patterns): \(services.count) services, \(jobs) jobs, no errors")
        } catch {
            StandardError.write("\(error)")
            throw ExitCode(1)
        }
    }
}
