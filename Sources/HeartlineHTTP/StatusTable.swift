public import HeartlineCore

/// The jobs table `heartline status` prints.
///
/// Columns SERVICE, JOB, STATE (`ok`, or `firing:` and the conditions), LAST SUCCESS (RFC 3339 in
/// UTC to the second, and how long ago; `-` before the first), LAST RUN (the last closed run's
/// duration in whole units rounded down to the second, and its outcome: `12m success`; `-` before
/// the first), NEXT DUE (when the schedule next expects a success, before grace: `in 5m`, or `3m
/// ago` once past; `-` without a schedule), SUCCESSES and FAILURES; a job whose service
/// `discover:` found has ` (discovered)` after its service name; rows by
/// service, then job. Columns are separated by two spaces and padded to their widest cell; counts
/// are right-aligned. Names come from log lines (a dynamic job's captures) and are printed through
/// ``HeartlineCore/TerminalText/escaped(_:)``, so that a row stays one line and no escape sequence
/// reaches the terminal; widths are those of the escaped cells.
public enum StatusTable {
    /// Renders the table.
    ///
    /// - Parameters:
    ///   - jobs: The jobs, as `/api/v1/jobs` gives them.
    ///   - now: The current time, for "ago".
    /// - Returns: The table, one line per job after the header, each ending with a newline; a
    ///   single line saying so when there are no jobs.
    public static func render(_ jobs: [JobReport], now: Instant) -> String {
        guard !jobs.isEmpty else { return "no jobs are watched yet\n" }
        let header = ["SERVICE", "JOB", "STATE", "LAST SUCCESS", "LAST RUN", "NEXT DUE", "SUCCESSES", "FAILURES"]
        let rightAligned: Set = [6, 7]
        let rows = jobs.sorted { ($0.service, $0.job) < ($1.service, $1.job) }.map { job in
            [
                TerminalText.escaped(job.service) + (job.discovered ? " (discovered)" : ""),
                TerminalText.escaped(job.job), state(job),
                lastSuccess(job, now: now), lastRun(job), nextDue(job, now: now),
                String(job.successes), String(job.failures),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { cells in
            let padded = cells.indices.map { column in
                let fill = String(repeating: " ", count: widths[column] - cells[column].count)
                return rightAligned.contains(column) ? fill + cells[column] : cells[column] + fill
            }
            return padded.joined(separator: "  ") + "\n"
        }.joined()
    }

    /// How long ago an instant was, in its largest whole unit: `42s ago`, `5m ago`, `3h ago`,
    /// `2d ago`; `in 5m` for an instant ahead of `now` (a clock out of step).
    ///
    /// - Parameters:
    ///   - instant: The past instant.
    ///   - now: The current time.
    /// - Returns: The phrase.
    public static func ago(_ instant: Instant, now: Instant) -> String {
        let elapsed = (now.nanoseconds - instant.nanoseconds) / 1_000_000_000
        let size = abs(elapsed)
        let (unit, length): (String, Int64) =
            switch size {
            case ..<60: ("s", 1)
            case ..<3600: ("m", 60)
            case ..<86_400: ("h", 3600)
            default: ("d", 86_400)
            }
        let amount = "\(size / length)\(unit)"
        return elapsed < 0 ? "in \(amount)" : "\(amount) ago"
    }

    private static func state(_ job: JobReport) -> String {
        job.firing.isEmpty ? "ok" : "firing: " + job.firing.map(\.condition.rawValue).joined(separator: ",")
    }

    private static func lastRun(_ job: JobReport) -> String {
        guard let duration = job.lastRunDuration, let outcome = job.lastRunOutcome else { return "-" }
        // Clamped: the number comes over the wire.
        let seconds = Int64(max(0, min(duration, 1e15)).rounded(.down))
        return "\(DurationFormatter.string(seconds: seconds)) \(outcome.rawValue)"
    }

    private static func nextDue(_ job: JobReport, now: Instant) -> String {
        guard let text = job.nextDue else { return "-" }
        guard let instant = RFC3339.parse(text) else { return TerminalText.escaped(text) }
        return ago(instant, now: now)
    }

    private static func lastSuccess(_ job: JobReport, now: Instant) -> String {
        guard let text = job.lastSuccess else { return "-" }
        guard let instant = RFC3339.parse(text) else { return TerminalText.escaped(text) }
        return "\(Instant(seconds: instant.seconds).rfc3339) (\(ago(instant, now: now)))"
    }
}
