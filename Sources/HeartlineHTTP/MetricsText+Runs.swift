import HeartlineCore
import HeartlineDaemon

extension MetricsText {
    /// Renders the run families of every job (SPEC §7, runs), in the order of `status.jobs`:
    ///
    /// - `heartline_job_last_duration_seconds{service,job}` (gauge): how long the job's last closed
    ///   run took, in seconds; for a run closed as stuck, its `max_runtime`. Only jobs that have
    ///   closed a run.
    /// - `heartline_job_run_duration_seconds{service,job,outcome}` (histogram, `outcome` `failure` or
    ///   `success`): durations of the runs closed by a failure or success line since the daemon
    ///   started, with buckets `le` 1, 5, 15, 60, 300, 900, 3600, 10800, 21600, 86400 seconds and
    ///   `+Inf`. Stuck runs have no measured end and are not counted. Only outcomes seen.
    /// - `heartline_job_next_due_timestamp_seconds{service,job}` (gauge): when a success is next due
    ///   by the schedule, before grace (`missing` fires at this plus grace); while `missing` fires,
    ///   the due time that was missed. Only jobs with a schedule.
    /// - `heartline_runs_dropped_total{service,job}` (counter): open runs dropped at the limit of
    ///   open runs per job instance since the daemon started. Only jobs that dropped one.
    ///
    /// - Parameters:
    ///   - status: The daemon's status.
    ///   - out: The text to append to.
    static func renderRuns(_ status: DaemonStatus, into out: inout String) {
        family(
            "heartline_job_last_duration_seconds", "gauge",
            "Seconds the job's last closed run took (max_runtime for a stuck one).",
            status.jobs.compactMap { item in item.lastRun.map { ("", job(item), String($0.durationSeconds)) } },
            into: &out)
        family(
            "heartline_job_run_duration_seconds", "histogram",
            "Seconds the job's runs took, from start line to success or failure line, since the daemon started.",
            status.jobs.flatMap { item in
                item.runDurations.sorted { $0.key < $1.key }.flatMap { outcome, histogram in
                    histogramSamples(job(item) + ",outcome=\(quoted(outcome.rawValue))", histogram)
                }
            }, into: &out)
        family(
            "heartline_job_next_due_timestamp_seconds", "gauge",
            "When a success of the job is next due by its schedule, before grace.",
            status.jobs.compactMap { item in item.nextDue.map { ("", job(item), seconds($0)) } }, into: &out)
        family(
            "heartline_runs_dropped_total", "counter",
            "Open runs of the job dropped at the limit of open runs since the daemon started.",
            status.jobs.filter { $0.runsDropped > 0 }.map { ("", job($0), String($0.runsDropped)) }, into: &out)
    }

    /// A histogram's samples under `labels`: the cumulative buckets, then `_sum` and `_count`.
    private static func histogramSamples(_ labels: String, _ histogram: RunDurationHistogram)
        -> [(suffix: String, labels: String, value: String)]
    {
        var samples = zip(RunDurationHistogram.bounds, histogram.cumulative).map { bound, count in
            ("_bucket", labels + ",le=\"\(String(Int64(bound)))\"", String(count))
        }
        samples.append(("_bucket", labels + ",le=\"+Inf\"", String(histogram.count)))
        samples.append(("_sum", labels, String(histogram.sum)))
        samples.append(("_count", labels, String(histogram.count)))
        return samples
    }
}
