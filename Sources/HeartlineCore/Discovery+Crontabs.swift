import Foundation

/// Crontab entries to files that extend `cron`, one entry each.
///
/// - The schedule is the entry's five fields (or its `@` keyword) as `cron:`, in the machine's
///   zone, with ``Discovery/cronGrace``: Debian's cron reads every entry in its own zone, from
///   `/etc/timezone` (cron(8): "cron will only handle tasks in a single timezone"); a `TZ=` or
///   `CRON_TZ=` line only reaches the commands' environment (FEATURES: "TZ can be set, but cron
///   ignores it other than passing it on"), so it is noted, not followed.
/// - The heartbeat is the `(USER) CMD (COMMAND)` line cron logs as it starts the entry, matched
///   exactly: the command as cron logs it (``loggedCommand(_:)``), escaped for PCRE2, with or
///   without the `[PID] ` that `-L 8` adds.
/// - The base's jobs (one per any entry, cron's own hourly heartbeat, exit statuses, lost output,
///   refused crontabs) are disabled: they belong in one file for the whole of cron, not in each.
/// - `@reboot` runs once per boot: listed, no file. A line cron would refuse: listed with why.
extension Discovery {
    func jobs(for crontab: CrontabFile, zone: TimeZone, names: inout ServiceNames) -> [DiscoveredJob] {
        var jobs: [DiscoveredJob] = []
        let fatal = crontab.problems.first(where: \.ignoresFile)
        for entry in crontab.entries {
            var job = DiscoveredJob(
                source: entry.location, title: entry.line.trimmingCharacters(in: .whitespaces),
                scheduleText: entry.when)
            if let fatal {
                jobs.append(
                    skipping(job, "cron ignores this whole file for line \(fatal.location.line) (syntax error)"))
                continue
            }
            guard entry.when != "@reboot" else {
                jobs.append(skipping(job, "@reboot runs once at boot: there is no schedule to hold it to"))
                continue
            }
            guard baseJobs["cron"] != nil else {
                jobs.append(skipping(job, "the pattern library has no cron.yaml to extend"))
                continue
            }
            guard let cron = try? CronExpression(parsing: entry.when) else {
                jobs.append(skipping(job, "time fields '\(entry.when)' are not a cron expression Heartline reads"))
                continue
            }
            for variable in ["CRON_TZ", "TZ"] {
                guard let value = entry.variables[variable] else { continue }
                job.notes.append(
                    "\(variable)=\(value) is not honoured by Debian's cron, which runs every entry in its own zone"
                        + " (cron(8)): watched in \(zone.identifier)")
            }
            let logged = Self.loggedCommand(entry.command)
            if logged != entry.command, entry.command.contains("%") {
                job.notes.append("cron logs the command up to its first '%' (the rest is its input)")
            }
            var name = "\(entry.user): \(logged)"
            // A `${VAR}` in a command must not become a placeholder of the job name.
            if JobName(name).isDynamic {
                name = name.replacingOccurrences(of: "{", with: "(").replacingOccurrences(of: "}", with: ")")
            }
            let regex =
                "(?:^|: )\\(\(PCRE2Literal.escaped(entry.user))\\) CMD \\((?:\\[\\d+\\] )?"
                + PCRE2Literal.escaped(logged) + "\\)$"
            let service = names.claim("cron-" + Self.slug("\(entry.user) \(logged)"))
            job.service = service
            job.schedule = Schedule(kind: .cron(cron), timezone: zone, grace: Self.cronGrace)
            var yaml = "# \(entry.location): \(Self.commentSafe(entry.line))\n"
            for note in job.notes { yaml += "# \(note)\n" }
            yaml += "extends: cron\n"
            yaml += "service: \(Self.quoted(service))\n"
            yaml += "jobs:\n"
            yaml += disabling("cron")
            yaml += "  - name: \(Self.quoted(name))\n"
            yaml += "    success: \(Self.quoted(regex))\n"
            yaml += "    schedule: { cron: \(Self.quoted(entry.when)), timezone: \(Self.quoted(zone.identifier)),"
            yaml += " grace: \(Self.duration(Self.cronGrace)) }\n"
            job.patternFile = yaml
            jobs.append(job)
        }
        for problem in crontab.problems {
            let job = DiscoveredJob(
                source: problem.location, title: problem.line.trimmingCharacters(in: .whitespaces), scheduleText: "-")
            let why = problem.ignoresFile ? "cron refuses this line, and so the whole file" : "never runs"
            jobs.append(skipping(job, "\(why): \(problem.reason)"))
        }
        return jobs.sorted { $0.source.line < $1.source.line }
    }

    /// The command as Debian's cron writes it in its `CMD` log line (do_command.c): up to the
    /// first `%` not escaped by a backslash, with `\%` read as `%`, then through `mkprints`:
    /// control characters as `^X`, DEL as `^?`, bytes above 0x7F as `\ooo` (octal).
    ///
    /// - Parameter command: The command as written in the crontab.
    /// - Returns: The text cron logs.
    public static func loggedCommand(_ command: String) -> String {
        var bytes: [UInt8] = []
        var escaped = false
        for byte in command.utf8 {
            if escaped {
                escaped = false
                if byte == UInt8(ascii: "%") {
                    bytes[bytes.count - 1] = byte
                    continue
                }
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "%") {
                break
            }
            bytes.append(byte)
        }
        var out = ""
        for byte in bytes {
            switch byte {
            case ..<0x20: out += "^" + String(UnicodeScalar(byte + 0x40))
            case 0x7F: out += "^?"
            case 0x80...: out += "\\" + String(byte, radix: 8)
            default: out.unicodeScalars.append(UnicodeScalar(byte))
            }
        }
        return out
    }

    /// Text for a `#` comment line: one line, control characters shown as `^X`.
    static func commentSafe(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "^" : Character($0) })
    }
}
