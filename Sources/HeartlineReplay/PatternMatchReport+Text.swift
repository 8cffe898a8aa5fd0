import Foundation
import HeartlineCore

extension PatternMatchReport {
    /// How many instances of a dynamic job the text names; the rest are counted.
    static let shownInstances = 5

    /// The report as `heartline match` prints it: the line counts, then each service's timestamps,
    /// jobs and patterns with their sample lines.
    ///
    /// ```
    /// Lines: 15 lines, 2 ignored, 9 matched, 4 missed
    ///   app.log: 15 lines
    ///
    /// Service backup (patterns/backup.yaml:1:1)
    ///   Timestamps (auto, UTC): 1 of 15 lines without a readable timestamp; from ... to ...
    ///   Job nightly: 3 success, 1 failure, 1 ignored
    ///     [ 3] success  'snapshot [0-9a-f]{8} saved'  patterns/backup.yaml:5:14
    ///          | 2024-05-01T02:00:00Z snapshot 1a2b3c4d saved
    ///     [ 1] failure  {fields: {level: error}}  patterns/backup.yaml:6:14
    ///          | {"level":"error","msg":"upload failed"}
    ///          |   fields: level=error msg="upload failed"
    /// ```
    ///
    /// A field pattern's sample is followed by the fields its line decoded to.
    ///
    /// Match counts are right-aligned to one width throughout, and kinds padded to one width, so
    /// that the patterns line up. Names, paths and sample lines are printed through
    /// ``HeartlineCore/TerminalText/escaped(_:)``, patterns through
    /// ``HeartlineCore/TerminalText/escaped(regex:)``, so that a log line cannot steer the terminal.
    public var text: String {
        let escaped: (String) -> String = TerminalText.escaped(_:)
        let counts = services.flatMap { $0.jobs.flatMap { $0.patterns.map(\.matched) } }
        let width = String(counts.max() ?? 0).count
        var out = "Lines: \(lines) lines, \(ignored) ignored, \(matched) matched, \(missed) missed"
        if truncated > 0 { out += " (\(truncated) cut at the line-length limit)" }
        out += "\n"
        for input in inputs {
            out += "  \(escaped(input.name)): \(input.lines) \(input.isJournal ? "journal entries" : "lines")\n"
        }
        for service in services {
            out += "\nService \(escaped(service.name)) (\(escaped(service.location.description)))\n"
            out +=
                "  Timestamps (\(Self.describe(service.timestamp))): \(service.untimed) of \(lines) lines without"
                + " a readable timestamp"
            if let earliest = service.earliest, let latest = service.latest {
                out += "; from \(earliest.rfc3339) to \(latest.rfc3339)"
            }
            out += "\n"
            for job in service.jobs {
                out += "  Job \(escaped(job.name)): \(Self.summary(of: job))\n"
                for pattern in job.patterns {
                    let count = String(pattern.matched)
                    let padding = String(repeating: " ", count: width - count.count)
                    let kind = pattern.kind.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                    out += "    [\(padding)\(count)] \(kind)  '\(TerminalText.escaped(regex: pattern.source))'  "
                    out += escaped(pattern.location.description)
                    if pattern.limitHits > 0 {
                        out += "; \(pattern.limitHits) lines hit the PCRE2 match limit (counted as no match)"
                    }
                    out += "\n"
                    let indent = String(repeating: " ", count: width + 7)
                    for (index, sample) in pattern.samples.enumerated() {
                        out += "\(indent)| \(escaped(sample))\n"
                        if index < pattern.sampleFields.count {
                            out += "\(indent)|   fields: \(escaped(pattern.sampleFields[index]))\n"
                        }
                    }
                }
            }
        }
        return out
    }

    /// `auto, UTC` or `'%d/%m/%Y %H:%M', Europe/Berlin`.
    private static func describe(_ timestamp: TimestampSpec) -> String {
        let format =
            switch timestamp.format {
            case .auto: "auto"
            case .rfc3339: "rfc3339"
            case .syslog: "syslog"
            case .apache: "apache"
            case .epoch: "epoch"
            case .strftime(let pattern): "'\(TerminalText.escaped(pattern))'"
            }
        // Foundation names the zone `UTC:` makes (and the default) GMT; say it as the file does.
        let zone = timestamp.timezone.identifier == "GMT" ? "UTC" : timestamp.timezone.identifier
        return "\(format), \(zone)"
    }

    /// What the lines meant for a job: a count for each kind it has patterns for, the lines it
    /// ignored, and for a dynamic job its instances, most lines first.
    private static func summary(of job: Job) -> String {
        let kinds = PatternKind.allCases.filter { kind in
            kind != .ignore && job.patterns.contains { $0.kind == kind }
        }
        var parts = kinds.map { "\(job.counted[$0] ?? 0) \($0.rawValue)" }
        if job.patterns.contains(where: { $0.kind == .ignore }) { parts.append("\(job.ignored) ignored") }
        if job.unreadableMeasures > 0 { parts.append("\(job.unreadableMeasures) measure without a number") }
        var text = parts.joined(separator: ", ")
        if !job.instances.isEmpty {
            let ranked = job.instances.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            let shown = ranked.prefix(shownInstances).map { "\(TerminalText.escaped($0.key)) (\($0.value))" }
            let more = ranked.count > shownInstances ? " and \(ranked.count - shownInstances) more" : ""
            text += "; \(ranked.count) instances: \(shown.joined(separator: ", "))\(more)"
        }
        return text
    }
}
