public import HeartlineCore
public import HeartlineDaemon

/// The daemon's status as Prometheus metrics, in the text exposition format 0.0.4
/// (prometheus.io, "Exposition formats").
///
/// Every family has `# HELP` and `# TYPE` lines, even when it has no samples yet. Per job:
/// the last success time (absent until the job has one), one 0/1 series per condition the job is
/// watched for (and any other that is firing), counts of success and failure lines, and its runs
/// (``renderRuns(_:into:)``: the last run's duration, a histogram of run durations, the next due
/// time, open runs dropped at the limit). Per source
/// (a file path, or `journal`): lines read and matched, and lines cut at the 1 MiB limit. Per
/// pattern that hit the PCRE2 match limit (labelled by service, job and the pattern's
/// `FILE:LINE:COLUMN`): attempts abandoned. Per sink (its key, such as `0:stdout`, which
/// carries no URL or header): alerts delivered, failed attempts, alerts queued. Followed files
/// refused unread, by reason (`binary`). Counters count since the daemon started; times are in
/// seconds since the Unix epoch, as the `_timestamp_seconds` names say.
public enum MetricsText {
    /// The media type of the format, for `Content-Type`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Renders `status` as exposition text, samples in the order of `status`'s lists.
    ///
    /// - Parameter status: The daemon's status.
    /// - Returns: The text, ending with a newline.
    public static func render(_ status: DaemonStatus) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            Self.family(name, type, help, samples.map { ("", $0.labels, $0.value) }, into: &out)
        }
        family(
            "heartline_daemon_start_timestamp_seconds", "gauge", "When the daemon started.",
            [("", seconds(status.startedAt))])
        family(
            "heartline_status_updated_timestamp_seconds", "gauge", "When the daemon last published its status.",
            [("", seconds(status.updatedAt))])
        family(
            "heartline_job_last_success_timestamp_seconds", "gauge", "When the job last logged a success line.",
            status.jobs.compactMap { item in item.lastSuccess.map { (job(item), seconds($0)) } })
        family(
            "heartline_job_condition_firing", "gauge", "1 while the condition fires for the job, else 0.",
            status.jobs.flatMap { item in
                Set(item.watched).union(item.firing.keys).sorted().map { condition in
                    (job(item) + ",condition=\(quoted(condition.rawValue))", item.firing[condition] == nil ? "0" : "1")
                }
            })
        family(
            "heartline_job_successes_total", "counter", "Success lines of the job since the daemon started.",
            status.jobs.map { (job($0), String($0.successes)) })
        family(
            "heartline_job_failures_total", "counter", "Failure lines of the job since the daemon started.",
            status.jobs.map { (job($0), String($0.failures)) })
        renderRuns(status, into: &out)
        family(
            "heartline_source_lines_read_total", "counter", "Lines or journal entries read since the daemon started.",
            status.sources.map { ("source=\(quoted($0.key))", String($0.linesRead)) })
        family(
            "heartline_source_lines_matched_total", "counter",
            "Lines or journal entries that meant something to a job.",
            status.sources.map { ("source=\(quoted($0.key))", String($0.linesMatched)) })
        family(
            "heartline_source_bytes_read_total", "counter", "Bytes of the lines read since the daemon started.",
            status.sources.map { ("source=\(quoted($0.key))", String($0.bytesRead)) })
        family(
            "heartline_lines_cut_total", "counter",
            "Lines longer than the 1 MiB limit, cut to it, since the daemon started.",
            status.sources.map { ("source=\(quoted($0.key))", String($0.linesCut)) })
        family(
            "heartline_lines_unstamped_total", "counter",
            "Matching lines without a readable timestamp; they took the time they were read.",
            status.sources.filter { $0.key != "journal" }.map {
                ("source=\(quoted($0.key))", String($0.linesUnstamped))
            })
        family(
            "heartline_lines_backward_total", "counter",
            "Matching lines whose timestamp went back in time; they took their file's latest time.",
            status.sources.filter { $0.key != "journal" }.map { ("source=\(quoted($0.key))", String($0.linesBackward)) }
        )
        family(
            "heartline_lines_undecodable_total", "counter",
            "Lines a field pattern needed that the service's format could not decode; its field patterns saw no fields.",
            status.undecodableLines.sorted { $0.key < $1.key }.map { ("service=\(quoted($0.key))", String($0.value)) })
        family(
            "heartline_match_limit_hits_total", "counter",
            "Attempts abandoned at the PCRE2 match limit, counted as no match.",
            status.matchLimitHits.map { hits in
                (
                    "service=\(quoted(hits.service)),job=\(quoted(hits.job)),pattern=\(quoted(hits.pattern))",
                    String(hits.hits)
                )
            })
        family(
            "heartline_source_lag_seconds", "gauge",
            "Seconds between the last line's own time and the moment it was read.",
            status.sources.map { ("source=\(quoted($0.key))", String($0.lagSeconds)) })
        family(
            "heartline_files_refused_total", "counter",
            "Followed files refused unread, by reason (binary).",
            [("reason=\"binary\"", String(status.binaryFilesRefused))])
        family(
            "heartline_positions_discarded_total", "counter",
            "Saved file positions discarded at start: the file was truncated or rewritten while the daemon was stopped.",
            [("", String(status.positionsDiscarded))])
        family(
            "heartline_directories_polled", "gauge",
            "Directories polled because inotify cannot watch them (the per-user watch limit).",
            [("", String(status.directoriesPolled))])
        family(
            "heartline_stage_seconds_total", "counter",
            "Seconds spent per stage of the line path (read, match, evaluate) since the daemon started.",
            [
                ("stage=\"read\"", String(status.stages.read)), ("stage=\"match\"", String(status.stages.match)),
                ("stage=\"evaluate\"", String(status.stages.evaluate)),
            ])
        family(
            "heartline_instances_forgotten_total", "counter",
            "Dynamic job instances dropped by forget_after: idle that long with nothing firing.",
            [("", String(status.instancesForgotten))])
        family(
            "heartline_state_store_failing", "gauge",
            "1 while the state store fails to save checkpoints (alerts are then held in memory), else 0.",
            [("", status.stateStoreProblem == nil ? "0" : "1")])
        family(
            "heartline_alerts_held", "gauge", "Alerts held in memory until the state store saves them.",
            [("", String(status.alertsHeld))])
        family(
            "heartline_alerts_held_dropped_total", "counter",
            "Held alerts dropped because more than 10,000 waited for the state store.",
            [("", String(status.alertsHeldDropped))])
        family(
            "heartline_sink_delivered_total", "counter", "Alerts the sink acknowledged since the daemon started.",
            status.sinks.map { ("sink=\(quoted($0.key))", String($0.delivered)) })
        family(
            "heartline_sink_failed_total", "counter", "Failed delivery attempts to the sink since the daemon started.",
            status.sinks.map { ("sink=\(quoted($0.key))", String($0.failed)) })
        family(
            "heartline_sink_queued", "gauge", "Alerts waiting in the outbox for the sink.",
            status.sinks.map { ("sink=\(quoted($0.key))", String($0.queued)) })
        return out
    }

    /// One metric family: its `# HELP` and `# TYPE` lines, then each sample, named the family's
    /// name plus the sample's suffix (`_bucket`, `_sum`, `_count` of a histogram; empty otherwise).
    static func family(
        _ name: String, _ type: String, _ help: String, _ samples: [(suffix: String, labels: String, value: String)],
        into out: inout String
    ) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for sample in samples {
            out += sample.labels.isEmpty ? name + sample.suffix : "\(name)\(sample.suffix){\(sample.labels)}"
            out += " \(sample.value)\n"
        }
    }

    /// The labels of a job's samples: `service` and `job` (the instance name).
    static func job(_ job: DaemonStatus.Job) -> String {
        "service=\(quoted(job.service)),job=\(quoted(job.job))"
    }

    /// A label value in double quotes, with backslash, double quote and line feed escaped as the
    /// format requires (`\\`, `\"`, `\n`).
    ///
    /// - Parameter value: The raw label value.
    /// - Returns: The quoted value.
    public static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An instant as decimal seconds since the epoch, exact: whole seconds, then the fraction
    /// without trailing zeros (`1718500000`, `1718500000.25`).
    ///
    /// - Parameter instant: The instant.
    /// - Returns: The number as text.
    public static func seconds(_ instant: Instant) -> String {
        let magnitude = instant.nanoseconds.magnitude
        var text = (instant.nanoseconds < 0 ? "-" : "") + String(magnitude / 1_000_000_000)
        var fraction = magnitude % 1_000_000_000
        if fraction != 0 {
            var digits = 9
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let written = String(fraction)
            text += "." + String(repeating: "0", count: digits - written.count) + written
        }
        return text
    }
}
