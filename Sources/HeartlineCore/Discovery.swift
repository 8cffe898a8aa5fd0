import Foundation

/// Turns what a machine already schedules — systemd timers, crontab entries, anacron jobs — into
/// pattern files that watch each job (issue 12, `heartline discover`).
///
/// Pure: ``DiscoveryInput`` holds the files as read by the edge, and the result is text. Each job
/// becomes a file that extends a shipped pattern file — `systemd` for a timer's service, `cron` for
/// a crontab entry, `anacron` for an anacrontab job — with the schedule copied from its source; the
/// rules of each mapping are in `Discovery+Timers`, `Discovery+Crontabs` and
/// `Discovery+Anacrontab`, and in README, "Monitor every timer on this machine".
public struct Discovery: Sendable {
    /// The names of the jobs of each shipped file the generated files extend (`systemd`, `cron`,
    /// `anacron`), by file name. A cron or anacron file disables the base's jobs it does not
    /// change, so that each generated file watches its own entry only.
    public var baseJobs: [String: [String]]

    /// How long a timer's run may take beyond its elapse window before `missing` fires: 1 hour.
    /// `systemd.yaml` counts a run's success when it ends ("Finished"), and the shipped `stuck`
    /// (2h) catches a run that does not end.
    public static let timerRunAllowance: Int64 = 3600
    /// The grace of a crontab entry: 5 minutes. cron logs the `CMD` line as it starts the entry,
    /// within seconds of the minute.
    public static let cronGrace: Int64 = 300
    /// The grace of an anacron job beyond its delay, as the shipped `anacron.yaml` has it: 2 hours
    /// (anacron runs hourly from 07:30 on Debian), a day for `@monthly`.
    public static let anacronGrace: Int64 = 7200

    /// Creates a discovery.
    ///
    /// - Parameter baseJobs: The job names of the shipped files, by file name.
    public init(baseJobs: [String: [String]]) {
        self.baseJobs = baseJobs
    }

    /// Every job of `input`: timers first (enabled ones first, as the input orders them), then
    /// crontab entries and lines, then anacron jobs. Service names are unique across the result.
    ///
    /// - Parameter input: What the edge read.
    /// - Returns: The jobs, each with its pattern file or why it has none.
    public func jobs(from input: DiscoveryInput) -> [DiscoveredJob] {
        var names = ServiceNames()
        var jobs: [DiscoveredJob] = []
        for timer in input.timers { jobs.append(job(for: timer, zone: input.timezone, names: &names)) }
        for crontab in input.crontabs { jobs += self.jobs(for: crontab, zone: input.timezone, names: &names) }
        if let anacrontab = input.anacrontab { jobs += self.jobs(for: anacrontab, names: &names) }
        return jobs
    }

    /// Service names handed out so far; a repeat gets `-2`, `-3`, ...
    struct ServiceNames {
        private var used: Set<String> = []

        mutating func claim(_ wanted: String) -> String {
            var name = wanted
            var counter = 2
            while used.contains(name) {
                name = "\(wanted)-\(counter)"
                counter += 1
            }
            used.insert(name)
            return name
        }
    }

    /// `text` as a single-quoted YAML scalar (quotes doubled), which holds any text without line
    /// ends exactly.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A duration in Heartline's syntax (`1h5m`), at least one second.
    static func duration(_ seconds: Int64) -> String {
        var rest = max(seconds, 1)
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    /// A name made of the lower-case letters, digits, `.` and `_` of `text`, other runs as `-`, at
    /// most `limit` characters: a longer one keeps its start and its end, where commands differ
    /// (`...-run-parts-report-etc-cron.daily`).
    static func slug(_ text: String, limit: Int = 48) -> String {
        var out = ""
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ".") {
                out.append(character)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
        }
        while out.hasSuffix("-") || out.hasSuffix(".") { out.removeLast() }
        if out.count > limit {
            var head = out.prefix(limit / 3)
            while head.hasSuffix("-") { head.removeLast() }
            let tail = out.suffix(limit - limit / 3 - 1).drop { $0 == "-" || $0 == "." }
            out = head + "-" + tail
        }
        return out.isEmpty ? "job" : out
    }

    /// `job` with the reason it gets no pattern file.
    func skipping(_ job: DiscoveredJob, _ reason: String) -> DiscoveredJob {
        var job = job
        job.skipped = reason
        return job
    }

    /// `disable: true` entries for the base's jobs other than `keep`.
    func disabling(_ base: String, except keep: Set<String> = []) -> String {
        (baseJobs[base] ?? []).filter { !keep.contains($0) }.map {
            "  - { name: \(Self.quoted($0)), disable: true }\n"
        }.joined()
    }
}

extension Discovery {
    /// The shipped files generated files extend.
    public static let baseNames = ["systemd", "cron", "anacron"]

    /// A discovery whose bases are read from `library`: each of ``baseNames`` that the library has
    /// and that parses; one it lacks leaves its kind of job without a file (the table says why).
    ///
    /// - Parameter library: The pattern library, as `extends:` searches it.
    public init(library: PatternLibrary) {
        var jobs: [String: [String]] = [:]
        for name in Self.baseNames where library.names.contains(name) {
            if let service = try? PatternFileParser.parse("extends: \(name)\n", path: "\(name).yaml", library: library)
            {
                jobs[name] = service.jobs.map(\.name.template)
            }
        }
        self.init(baseJobs: jobs)
    }
}
