import ArgumentParser
import HeartlineCore
import HeartlineInput
import HeartlineReplay

/// `heartline check`: validate pattern files (SPEC §5).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate pattern files; print every error as FILE:LINE:COLUMN: message.",
        discussion: """
            Also says how the Vectorscan prefilter takes each pattern: exactly, approximated \
            (HS_FLAG_PREFILTER, PCRE2 confirms), or not at all (PCRE2 alone on every line). \
            Exit status: 0 when valid, 1 when any error was found.
            """
    )

    @Option(name: .long, help: "Directory of pattern files (or one pattern file).")
    var patterns: String = "/etc/heartline/patterns.d"

    @OptionGroup var library: LibraryOptions

    func run() throws {
        let services: [ServiceSpec]
        do {
            services = try ServiceLoader.load([patterns], library: library.searchPath)
        } catch {
            StandardError.write("\(error)")
            throw ExitCode(1)
        }
        let jobs = services.reduce(0) { $0 + $1.jobs.count }
        let matcher = LineMatcher(services: services)
        var counts = (exact: 0, approximate: 0, pcre2Only: 0)
        var notes: [(location: SourceLocation, text: String)] = []
        for (pattern, mode) in zip(matcher.patterns, matcher.prefilter?.modes ?? []) {
            switch mode {
            case .exact:
                counts.exact += 1
            case .approximate:
                counts.approximate += 1
                notes.append((pattern.location, "note: prefilter approximates this pattern; PCRE2 confirms"))
            case .unsupported(let reason):
                counts.pcre2Only += 1
                notes.append((pattern.location, "note: PCRE2 alone matches this pattern on every line (\(reason))"))
            }
        }
        let ordered = notes.sorted {
            ($0.location.file, $0.location.line, $0.location.column) < (
                $1.location.file, $1.location.line, $1.location.column
            )
        }
        for note in ordered { print("\(note.location): \(note.text)") }
        print(
            "\(patterns): \(services.count) services, \(jobs) jobs, \(matcher.patterns.count) patterns "
                + "(prefilter: \(counts.exact) exact, \(counts.approximate) approximated, "
                + "\(counts.pcre2Only) PCRE2 only); no errors")
    }
}
