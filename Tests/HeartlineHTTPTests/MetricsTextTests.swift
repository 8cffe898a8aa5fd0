import HeartlineCore
import HeartlineDaemon
import HeartlineHTTP
import Testing

/// `/metrics` text: Prometheus exposition format 0.0.4, exact.
struct MetricsTextTests {
    /// A status with every kind of sample: a job with a last success and nothing firing, one firing
    /// with a name that needs escaping, one firing a condition its rules no longer watch (after a
    /// reload), two sources (one with cut lines), a pattern that hit the PCRE2 match limit, two sinks;
    /// of runs, a scheduled job with run durations of both outcomes, and one that dropped open runs
    /// and whose last run was stuck.
    static let status: DaemonStatus = {
        var durations: [ClosedRun.Outcome: RunDurationHistogram] = [.success: .init(), .failure: .init()]
        for seconds in [0.5, 700, 4000.25] { durations[.success]?.record(seconds: seconds) }
        durations[.failure]?.record(seconds: 60)
        var status = DaemonStatus(startedAt: Instant(seconds: 1_718_500_000))
        status.updatedAt = Instant(nanoseconds: 1_718_500_060_250_000_000)
        status.jobs = [
            DaemonStatus.Job(
                service: "backup", job: "nightly", lastSuccess: Instant(seconds: 1_718_496_000), firing: [:],
                watched: [.missing], successes: 3, failures: 0,
                lastRun: ClosedRun(
                    key: nil, started: Instant(seconds: 1_718_491_999), ended: Instant(seconds: 1_718_496_000),
                    outcome: .success),
                nextDue: Instant(seconds: 1_718_582_400), runDurations: durations),
            DaemonStatus.Job(
                service: "mailer", job: "say \"hi\" C:\\q\nx", lastSuccess: nil,
                firing: [.failing: Instant(nanoseconds: 1_718_499_000_500_000_000)], watched: [.failing, .missing],
                successes: 0, failures: 4),
            DaemonStatus.Job(
                service: "mailer", job: "flush", lastSuccess: Instant(nanoseconds: 1_718_499_999_000_000_001),
                firing: [.stuck: Instant(seconds: 1_718_499_000)], watched: [], successes: 1, failures: 0,
                lastRun: ClosedRun(
                    key: "q1", started: Instant(nanoseconds: 1_718_495_399_500_000_000),
                    ended: Instant(seconds: 1_718_499_000), outcome: .stuck),
                openRuns: 2, runsDropped: 7),
        ]
        status.sources = [
            DaemonStatus.Source(
                key: "/var/log/backup.log", linesRead: 120, linesMatched: 4, bytesRead: 9600, lagSeconds: 0.25,
                linesCut: 2, linesUnstamped: 3, linesBackward: 1),
            DaemonStatus.Source(key: "journal", linesRead: 5000, linesMatched: 17, bytesRead: 400_000, lagSeconds: 1.5),
        ]
        status.matchLimitHits = [
            DaemonStatus.MatchLimitHits(service: "mailer", job: "flush", pattern: "mailer.yaml:7:14", hits: 3)
        ]
        status.undecodableLines = ["mailer": 4, "backup": 1]
        status.stages.read = 1.25
        status.stages.match = 0.5
        status.stages.evaluate = 0.125
        status.binaryFilesRefused = 2
        // A store failure in the past dropped one held alert; the store works now.
        status.alertsHeldDropped = 1
        status.instancesForgotten = 5
        status.sinks = [
            DaemonStatus.Sink(key: "0:stdout", delivered: 2, failed: 0, queued: 0),
            DaemonStatus.Sink(key: "1:webhook", delivered: 5, failed: 3, queued: 2),
        ]
        return status
    }()

    @Test func handMadeStatusRendersExactly() {
        let expected = #"""
            # HELP heartline_daemon_start_timestamp_seconds When the daemon started.
            # TYPE heartline_daemon_start_timestamp_seconds gauge
            heartline_daemon_start_timestamp_seconds 1718500000
            # HELP heartline_status_updated_timestamp_seconds When the daemon last published its status.
            # TYPE heartline_status_updated_timestamp_seconds gauge
            heartline_status_updated_timestamp_seconds 1718500060.25
            # HELP heartline_job_last_success_timestamp_seconds When the job last logged a success line.
            # TYPE heartline_job_last_success_timestamp_seconds gauge
            heartline_job_last_success_timestamp_seconds{service="backup",job="nightly"} 1718496000
            heartline_job_last_success_timestamp_seconds{service="mailer",job="flush"} 1718499999.000000001
            # HELP heartline_job_condition_firing 1 while the condition fires for the job, else 0.
            # TYPE heartline_job_condition_firing gauge
            heartline_job_condition_firing{service="backup",job="nightly",condition="missing"} 0
            heartline_job_condition_firing{service="mailer",job="say \"hi\" C:\\q\nx",condition="failing"} 1
            heartline_job_condition_firing{service="mailer",job="say \"hi\" C:\\q\nx",condition="missing"} 0
            heartline_job_condition_firing{service="mailer",job="flush",condition="stuck"} 1
            # HELP heartline_job_successes_total Success lines of the job since the daemon started.
            # TYPE heartline_job_successes_total counter
            heartline_job_successes_total{service="backup",job="nightly"} 3
            heartline_job_successes_total{service="mailer",job="say \"hi\" C:\\q\nx"} 0
            heartline_job_successes_total{service="mailer",job="flush"} 1
            # HELP heartline_job_failures_total Failure lines of the job since the daemon started.
            # TYPE heartline_job_failures_total counter
            heartline_job_failures_total{service="backup",job="nightly"} 0
            heartline_job_failures_total{service="mailer",job="say \"hi\" C:\\q\nx"} 4
            heartline_job_failures_total{service="mailer",job="flush"} 0
            # HELP heartline_job_last_duration_seconds Seconds the job's last closed run took (max_runtime for a stuck one).
            # TYPE heartline_job_last_duration_seconds gauge
            heartline_job_last_duration_seconds{service="backup",job="nightly"} 4001.0
            heartline_job_last_duration_seconds{service="mailer",job="flush"} 3600.5
            # HELP heartline_job_run_duration_seconds Seconds the job's runs took, from start line to success or failure line, since the daemon started.
            # TYPE heartline_job_run_duration_seconds histogram
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="1"} 0
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="5"} 0
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="15"} 0
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="60"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="300"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="900"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="3600"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="10800"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="21600"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="86400"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="failure",le="+Inf"} 1
            heartline_job_run_duration_seconds_sum{service="backup",job="nightly",outcome="failure"} 60.0
            heartline_job_run_duration_seconds_count{service="backup",job="nightly",outcome="failure"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="1"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="5"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="15"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="60"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="300"} 1
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="900"} 2
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="3600"} 2
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="10800"} 3
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="21600"} 3
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="86400"} 3
            heartline_job_run_duration_seconds_bucket{service="backup",job="nightly",outcome="success",le="+Inf"} 3
            heartline_job_run_duration_seconds_sum{service="backup",job="nightly",outcome="success"} 4700.75
            heartline_job_run_duration_seconds_count{service="backup",job="nightly",outcome="success"} 3
            # HELP heartline_job_next_due_timestamp_seconds When a success of the job is next due by its schedule, before grace.
            # TYPE heartline_job_next_due_timestamp_seconds gauge
            heartline_job_next_due_timestamp_seconds{service="backup",job="nightly"} 1718582400
            # HELP heartline_runs_dropped_total Open runs of the job dropped at the limit of open runs since the daemon started.
            # TYPE heartline_runs_dropped_total counter
            heartline_runs_dropped_total{service="mailer",job="flush"} 7
            # HELP heartline_source_lines_read_total Lines or journal entries read since the daemon started.
            # TYPE heartline_source_lines_read_total counter
            heartline_source_lines_read_total{source="/var/log/backup.log"} 120
            heartline_source_lines_read_total{source="journal"} 5000
            # HELP heartline_source_lines_matched_total Lines or journal entries that meant something to a job.
            # TYPE heartline_source_lines_matched_total counter
            heartline_source_lines_matched_total{source="/var/log/backup.log"} 4
            heartline_source_lines_matched_total{source="journal"} 17
            # HELP heartline_source_bytes_read_total Bytes of the lines read since the daemon started.
            # TYPE heartline_source_bytes_read_total counter
            heartline_source_bytes_read_total{source="/var/log/backup.log"} 9600
            heartline_source_bytes_read_total{source="journal"} 400000
            # HELP heartline_lines_cut_total Lines longer than the 1 MiB limit, cut to it, since the daemon started.
            # TYPE heartline_lines_cut_total counter
            heartline_lines_cut_total{source="/var/log/backup.log"} 2
            heartline_lines_cut_total{source="journal"} 0
            # HELP heartline_lines_unstamped_total Matching lines without a readable timestamp; they took the time they were read.
            # TYPE heartline_lines_unstamped_total counter
            heartline_lines_unstamped_total{source="/var/log/backup.log"} 3
            # HELP heartline_lines_backward_total Matching lines whose timestamp went back in time; they took their file's latest time.
            # TYPE heartline_lines_backward_total counter
            heartline_lines_backward_total{source="/var/log/backup.log"} 1
            # HELP heartline_lines_undecodable_total Lines a field pattern needed that the service's format could not decode; its field patterns saw no fields.
            # TYPE heartline_lines_undecodable_total counter
            heartline_lines_undecodable_total{service="backup"} 1
            heartline_lines_undecodable_total{service="mailer"} 4
            # HELP heartline_match_limit_hits_total Attempts abandoned at the PCRE2 match limit, counted as no match.
            # TYPE heartline_match_limit_hits_total counter
            heartline_match_limit_hits_total{service="mailer",job="flush",pattern="mailer.yaml:7:14"} 3
            # HELP heartline_source_lag_seconds Seconds between the last line's own time and the moment it was read.
            # TYPE heartline_source_lag_seconds gauge
            heartline_source_lag_seconds{source="/var/log/backup.log"} 0.25
            heartline_source_lag_seconds{source="journal"} 1.5
            # HELP heartline_files_refused_total Followed files refused unread, by reason (binary).
            # TYPE heartline_files_refused_total counter
            heartline_files_refused_total{reason="binary"} 2
            # HELP heartline_positions_discarded_total Saved file positions discarded at start: the file was truncated or rewritten while the daemon was stopped.
            # TYPE heartline_positions_discarded_total counter
            heartline_positions_discarded_total 0
            # HELP heartline_directories_polled Directories polled because inotify cannot watch them (the per-user watch limit).
            # TYPE heartline_directories_polled gauge
            heartline_directories_polled 0
            # HELP heartline_stage_seconds_total Seconds spent per stage of the line path (read, match, evaluate) since the daemon started.
            # TYPE heartline_stage_seconds_total counter
            heartline_stage_seconds_total{stage="read"} 1.25
            heartline_stage_seconds_total{stage="match"} 0.5
            heartline_stage_seconds_total{stage="evaluate"} 0.125
            # HELP heartline_instances_forgotten_total Dynamic job instances dropped by forget_after: idle that long with nothing firing.
            # TYPE heartline_instances_forgotten_total counter
            heartline_instances_forgotten_total 5
            # HELP heartline_state_store_failing 1 while the state store fails to save checkpoints (alerts are then held in memory), else 0.
            # TYPE heartline_state_store_failing gauge
            heartline_state_store_failing 0
            # HELP heartline_alerts_held Alerts held in memory until the state store saves them.
            # TYPE heartline_alerts_held gauge
            heartline_alerts_held 0
            # HELP heartline_alerts_held_dropped_total Held alerts dropped because more than 10,000 waited for the state store.
            # TYPE heartline_alerts_held_dropped_total counter
            heartline_alerts_held_dropped_total 1
            # HELP heartline_sink_delivered_total Alerts the sink acknowledged since the daemon started.
            # TYPE heartline_sink_delivered_total counter
            heartline_sink_delivered_total{sink="0:stdout"} 2
            heartline_sink_delivered_total{sink="1:webhook"} 5
            # HELP heartline_sink_failed_total Failed delivery attempts to the sink since the daemon started.
            # TYPE heartline_sink_failed_total counter
            heartline_sink_failed_total{sink="0:stdout"} 0
            heartline_sink_failed_total{sink="1:webhook"} 3
            # HELP heartline_sink_queued Alerts waiting in the outbox for the sink.
            # TYPE heartline_sink_queued gauge
            heartline_sink_queued{sink="0:stdout"} 0
            heartline_sink_queued{sink="1:webhook"} 2

            """#
        #expect(MetricsText.render(Self.status) == expected)
    }

    @Test func emptyStatusStillHasEveryFamilysHelpAndType() {
        let text = MetricsText.render(DaemonStatus(startedAt: Instant(seconds: 5)))
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("# HELP ") }.count == 30)
        #expect(lines.filter { $0.hasPrefix("# TYPE ") }.count == 30)
        #expect(
            lines.filter { !$0.hasPrefix("#") } == [
                "heartline_daemon_start_timestamp_seconds 5",
                "heartline_status_updated_timestamp_seconds 5",
                #"heartline_files_refused_total{reason="binary"} 0"#,
                "heartline_positions_discarded_total 0",
                "heartline_directories_polled 0",
                #"heartline_stage_seconds_total{stage="read"} 0.0"#,
                #"heartline_stage_seconds_total{stage="match"} 0.0"#,
                #"heartline_stage_seconds_total{stage="evaluate"} 0.0"#,
                "heartline_instances_forgotten_total 0",
                "heartline_state_store_failing 0",
                "heartline_alerts_held 0",
                "heartline_alerts_held_dropped_total 0",
            ])
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        (#"a"b"#, #""a\"b""#),
        (#"C:\dir"#, #""C:\\dir""#),
        ("two\nlines", #""two\nlines""#),
        ("tab\tand é", "\"tab\tand é\""),
    ])
    func labelValuesEscapeBackslashQuoteAndLineFeedOnly(raw: String, quoted: String) {
        #expect(MetricsText.quoted(raw) == quoted)
    }

    @Test(
        arguments: [
            (0, "0"),
            (1_500_000_000, "1.5"),
            (1_718_500_000_250_000_000, "1718500000.25"),
            (1, "0.000000001"),
            (-500_000_000, "-0.5"),
            (-1_000_000_000, "-1"),
        ] as [(Int64, String)])
    func timestampsAreExactDecimalSeconds(nanoseconds: Int64, text: String) {
        #expect(MetricsText.seconds(Instant(nanoseconds: nanoseconds)) == text)
    }
}
