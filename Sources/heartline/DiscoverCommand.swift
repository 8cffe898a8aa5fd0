import ArgumentParser
import Foundation
import HeartlineCore
import HeartlineInput

/// `heartline discover`: the timers and crontab entries of a machine, as pattern files (issue 12).
struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Find the systemd timers and cron jobs of this machine and write a pattern file for each.",
        discussion: """
            Reads the timer units of /etc/systemd/system, /run/systemd/system, /lib/systemd/system and \
            /usr/lib/systemd/system with their drop-ins (enabled ones first), /etc/crontab, /etc/cron.d/*, \
            /var/spool/cron/crontabs/* and /etc/anacrontab, and prints one row per job: the unit or \
            crontab line, its schedule, when it is next due in the schedule's zone, and the file written \
            or why there is none. With --output DIR, writes one pattern file per job there; a file that \
            was changed since discover wrote it is kept. Without --timers or --crontabs, reads both.
            """
    )

    @Option(name: .long, help: "The root directory to read the machine's files under.")
    var root: String = "/"

    @Option(name: .long, help: "A directory to write the pattern files to (a patterns directory).")
    var output: String?

    @Flag(name: .long, help: "Read systemd timers.")
    var timers = false

    @Flag(name: .long, help: "Read crontabs and /etc/anacrontab.")
    var crontabs = false

    @OptionGroup var library: LibraryOptions

    func run() throws {
        let both = !timers && !crontabs
        let input = DiscoveryReader(root: root).read(timers: timers || both, crontabs: crontabs || both)
        let patternLibrary: PatternLibrary
        do {
            let path = library.searchPath
            patternLibrary = try PatternDirectory.library(path.directories, required: Set(path.named))
        } catch {
            StandardError.write("heartline: \(error)")
            throw ExitCode(2)
        }
        let jobs = Discovery(library: patternLibrary).jobs(from: input)
        for problem in input.problems { StandardError.write(TerminalText.escaped("warning: \(problem)")) }
        if let output {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                StandardError.write("heartline: \(output): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        let now = Instant(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
        var rows: [[String]] = []
        var notes: [String] = []
        for job in jobs {
            let file = try fileCell(job)
            // One space between fields, and a long crontab line cut: its file and line are in the file.
            var title = job.title.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            if title.count > Self.titleWidth { title = title.prefix(Self.titleWidth - 1) + "…" }
            rows.append([title, job.scheduleText, Self.nextDue(job, now: now), file])
            for note in job.notes { notes.append("\(job.service ?? title): \(note)") }
        }
        print(Self.table(header: ["UNIT OR LINE", "SCHEDULE", "NEXT DUE", "FILE"], rows: rows), terminator: "")
        print(TerminalText.escaped("zone: \(input.timezone.identifier) (from \(input.timezoneSource))"))
        for note in notes { print(TerminalText.escaped("note: \(note)")) }
        if output == nil, jobs.contains(where: { $0.patternFile != nil }) {
            print("nothing written: name a directory with --output DIR")
        }
    }

    /// The widest first column: a longer crontab line is cut.
    static let titleWidth = 64

    /// What the FILE column says, writing the file when --output is given.
    private func fileCell(_ job: DiscoveredJob) throws -> String {
        guard let body = job.patternFile, let service = job.service else {
            return "skipped: \(job.skipped ?? "no file")"
        }
        let name = service + ".yaml"
        guard let output else { return name }
        let path = (output as NSString).appendingPathComponent(name)
        let text = GeneratedPatternFile.text(body: body, source: job.source.file)
        let existing = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        switch GeneratedPatternFile.decide(existing: existing, new: text) {
        case .keep:
            return "\(path) kept (changed by you)"
        case .unchanged:
            return "\(path) unchanged"
        case .create, .replace:
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                StandardError.write("heartline: \(path): \(error.localizedDescription)")
                throw ExitCode(2)
            }
            return "\(path) written"
        }
    }

    /// The schedule's next due instant after now, in the schedule's zone; for `every`, the period.
    static func nextDue(_ job: DiscoveredJob, now: Instant) -> String {
        guard let schedule = job.schedule else { return "-" }
        if case .every(let period) = schedule.kind {
            return "\(DurationFormatter.string(seconds: period)) after the last run"
        }
        guard let due = schedule.due(after: now) else { return "never" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = schedule.timezone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let date = Date(timeIntervalSince1970: Double(due.nanoseconds) / 1e9)
        return formatter.string(from: date) + " " + schedule.timezone.identifier
    }

    /// Columns padded to their widest cell, two spaces apart; cells escaped for the terminal.
    static func table(header: [String], rows: [[String]]) -> String {
        let escaped: [[String]] = rows.map { row in row.map { TerminalText.escaped($0) } }
        let cells: [[String]] = [header] + escaped
        var widths: [Int] = []
        for column in header.indices { widths.append(cells.map { $0[column].count }.max() ?? 0) }
        var text = ""
        for row in cells {
            var line: [String] = []
            for (column, cell) in row.enumerated() {
                let fill = column == row.count - 1 ? "" : String(repeating: " ", count: widths[column] - cell.count)
                line.append(cell + fill)
            }
            text += line.joined(separator: "  ") + "\n"
        }
        return text
    }
}
