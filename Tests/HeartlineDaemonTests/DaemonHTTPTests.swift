import Foundation
import HeartlineCore
import HeartlineDaemon
import HeartlineHTTP
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The status endpoints and `heartline status`, against `heartline run` as an operator runs it, with
/// `/metrics` read by prometheus-client's parser.
@Suite(.serialized)
struct DaemonHTTPTests {
    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let (data, response) = try await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: 5))
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// The samples of `/metrics` as a map from `name{label=value,...}` (labels sorted) to value.
    static func values(_ samples: [PrometheusTextParser.Sample]) -> [String: Double] {
        Dictionary(
            samples.map { sample in
                let labels = sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                return ("\(sample.name){\(labels.joined(separator: ","))}", sample.value)
            },
            uniquingKeysWith: { first, _ in first })
    }

    /// Label values with a quote, a backslash and a line feed come back from the parser as written,
    /// and every family keeps its type and help.
    @Test func metricsOfAHandMadeStatusParseWithPrometheusClient() throws {
        var status = DaemonStatus(startedAt: Instant(seconds: 1_718_500_000))
        status.updatedAt = Instant(nanoseconds: 1_718_500_001_500_000_000)
        status.jobs = [
            DaemonStatus.Job(
                service: "db", job: "dump \"main\" C:\\x\ny", lastSuccess: Instant(seconds: 1_718_496_000),
                firing: [.failing: Instant(seconds: 1_718_499_000)], watched: [.failing, .missing], successes: 3,
                failures: 2)
        ]
        status.sources = [
            DaemonStatus.Source(
                key: "/var/log/db.log", linesRead: 10, linesMatched: 5, bytesRead: 800, lagSeconds: 0.5, linesCut: 1)
        ]
        status.matchLimitHits = [
            DaemonStatus.MatchLimitHits(service: "db", job: "dump", pattern: "db.yaml:4:14", hits: 6)
        ]
        status.sinks = [DaemonStatus.Sink(key: "0:stdout", delivered: 1, failed: 4, queued: 2)]
        status.stages.read = 2.5
        status.stages.match = 0.75
        var durations = RunDurationHistogram()
        for seconds in [3.5, 120, 100_000] { durations.record(seconds: seconds) }
        status.jobs[0].lastRun = ClosedRun(
            key: "r1", started: Instant(seconds: 1_718_495_880), ended: Instant(seconds: 1_718_496_000),
            outcome: .success)
        status.jobs[0].runDurations = [.success: durations]
        status.jobs[0].nextDue = Instant(nanoseconds: 1_718_582_400_500_000_000)
        status.jobs[0].runsDropped = 4
        status.binaryFilesRefused = 1
        status.positionsDiscarded = 3
        status.directoriesPolled = 1
        status.stateStoreProblem = "disk full"
        status.alertsHeld = 2
        let samples = try PrometheusTextParser.parse(MetricsText.render(status))
        let job = "job=dump \"main\" C:\\x\ny,service=db"
        // The histogram's labels sort `le` and `outcome` between `job` and `service`.
        let runs = "job=dump \"main\" C:\\x\ny"
        var histogram = [
            "heartline_job_run_duration_seconds_sum{\(runs),outcome=success,service=db}": 100_123.5,
            "heartline_job_run_duration_seconds_count{\(runs),outcome=success,service=db}": 3,
        ]
        for (le, count) in [
            ("1", 0), ("5", 1), ("15", 1), ("60", 1), ("300", 2), ("900", 2), ("3600", 2), ("10800", 2),
            ("21600", 2), ("86400", 2), ("+Inf", 3),
        ] as [(String, Double)] {
            histogram["heartline_job_run_duration_seconds_bucket{\(runs),le=\(le),outcome=success,service=db}"] = count
        }
        #expect(
            Self.values(samples).filter { $0.key.hasPrefix("heartline_job_run_duration_seconds") } == histogram)
        #expect(
            Self.values(samples).filter { !$0.key.hasPrefix("heartline_job_run_duration_seconds") } == [
                "heartline_daemon_start_timestamp_seconds{}": 1_718_500_000,
                "heartline_status_updated_timestamp_seconds{}": 1_718_500_001.5,
                "heartline_job_last_success_timestamp_seconds{\(job)}": 1_718_496_000,
                "heartline_job_condition_firing{condition=failing,\(job)}": 1,
                "heartline_job_condition_firing{condition=missing,\(job)}": 0,
                "heartline_job_successes_total{\(job)}": 3,
                "heartline_job_failures_total{\(job)}": 2,
                "heartline_source_lines_read_total{source=/var/log/db.log}": 10,
                "heartline_source_lines_matched_total{source=/var/log/db.log}": 5,
                "heartline_source_bytes_read_total{source=/var/log/db.log}": 800,
                "heartline_source_lag_seconds{source=/var/log/db.log}": 0.5,
                "heartline_lines_cut_total{source=/var/log/db.log}": 1,
                "heartline_match_limit_hits_total{job=dump,pattern=db.yaml:4:14,service=db}": 6,
                "heartline_files_refused_total{reason=binary}": 1,
                "heartline_positions_discarded_total{}": 3,
                "heartline_instances_forgotten_total{}": 0,
                "heartline_directories_polled{}": 1,
                "heartline_lines_unstamped_total{source=/var/log/db.log}": 0,
                "heartline_lines_backward_total{source=/var/log/db.log}": 0,
                "heartline_stage_seconds_total{stage=read}": 2.5,
                "heartline_stage_seconds_total{stage=match}": 0.75,
                "heartline_stage_seconds_total{stage=evaluate}": 0,
                "heartline_sink_delivered_total{sink=0:stdout}": 1,
                "heartline_state_store_failing{}": 1,
                "heartline_alerts_held{}": 2,
                "heartline_alerts_held_dropped_total{}": 0,
                "heartline_sink_failed_total{sink=0:stdout}": 4,
                "heartline_sink_queued{sink=0:stdout}": 2,
                "heartline_job_last_duration_seconds{\(job)}": 120,
                "heartline_job_next_due_timestamp_seconds{\(job)}": 1_718_582_400.5,
                "heartline_runs_dropped_total{\(job)}": 4,
            ])
        #expect(samples.count == 28 + 3 + 13)
        let types = Dictionary(samples.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        #expect(types["heartline_job_successes_total"] == "counter")
        #expect(types["heartline_sink_queued"] == "gauge")
        #expect(types["heartline_lines_cut_total"] == "counter")
        #expect(types["heartline_match_limit_hits_total"] == "counter")
        #expect(types["heartline_job_condition_firing"] == "gauge")
        #expect(types["heartline_job_run_duration_seconds_bucket"] == "histogram")
        #expect(types["heartline_runs_dropped_total"] == "counter")
        #expect(types["heartline_job_next_due_timestamp_seconds"] == "gauge")
        #expect(samples.allSatisfy { !$0.help.isEmpty })
    }

    /// Issue 4, "must show" 5: a live daemon's `/metrics` parses, and its values are the jobs'
    /// states: a job firing `failing` after a burst, one gone `missing`, line counts per job and
    /// source, alerts delivered per sink. `/api/v1/jobs` and `heartline status` say the same, and
    /// none of them shows the webhook sink's URL or its secret header.
    @Test func metricsOfALiveDaemonParseAndMatchTheJobsStates() async throws {
        let receiver = try LoopbackReceiver(limit: 10, lifetime: 60)
        defer { receiver.stop() }
        let secretPath = "/hook/s3cret-path-token"
        let port = DaemonProcess.freePort()
        let directory = try DaemonProcess.makeDirectory(
            patterns: [
                "app.yaml": """
                source: { files: ["LOGS/*.log"] }
                jobs:
                  - name: worker
                    success: 'worker done'
                    failure: 'worker failed'
                    failure_burst: { count: 2, within: 1h }
                    schedule: { every: 1h, grace: 5m }
                  - name: backup
                    start: 'backup started'
                    success: 'backup ok'
                    schedule: { every: 2s, grace: 1s }
                """
            ])
        try """
        patterns: patterns
        state: state
        http: { listen: "127.0.0.1:\(port)" }
        sinks:
          - type: stdout
          - type: webhook
            url: \(receiver.url(secretPath))
            headers: { Authorization: "Bearer ${HL_TEST_STATUS_TOKEN}" }
        """.write(to: directory.appendingPathComponent("heartline.yaml"), atomically: true, encoding: .utf8)
        setenv("HL_TEST_STATUS_TOKEN", "s3cret-header-token", 1)
        let log = directory.appendingPathComponent("logs/app.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("http: listening on 127.0.0.1:\(port)"))
        #expect(await daemon.waitForLog("following \(log.path)"))
        #expect(await daemon.waitForLog("ready: every source is positioned"))
        let health = try await Self.get(port, "/healthz")
        #expect(health.status == 200 && health.body == "ok\n")

        let stamp = DaemonFileTests.stamp()
        let before = Date().timeIntervalSince1970
        try DaemonProcess.append(
            [
                "worker done", "noise", "worker done", "backup started", "backup ok", "worker done",
                "worker failed", "noise", "worker failed",
            ].map { "\(stamp) \($0)\n" }.joined(),
            to: log)
        let after = Date().timeIntervalSince1970
        // failing at the second failure; backup missing 3 s after its success.
        #expect(await daemon.wait { $0.count >= 2 })
        #expect(daemon.alerts.contains { $0.contains("\"job\":\"worker\",\"condition\":\"failing\"") })
        #expect(daemon.alerts.contains { $0.contains("\"job\":\"backup\",\"condition\":\"missing\"") })

        // The loop publishes right after delivering, so the status catches up within a tick.
        var metrics = ""
        var values: [String: Double] = [:]
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            metrics = try await Self.get(port, "/metrics").body
            values = Self.values(try PrometheusTextParser.parse(metrics))
            if values["heartline_sink_delivered_total{sink=0:stdout}"] == 2,
                values["heartline_sink_delivered_total{sink=1:webhook}"] == 2
            {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let worker = "job=worker,service=app"
        let backup = "job=backup,service=app"
        let source = "source=\(log.path)"
        #expect(values["heartline_job_condition_firing{condition=failing,\(worker)}"] == 1)
        #expect(values["heartline_job_condition_firing{condition=missing,\(worker)}"] == 0)
        #expect(values["heartline_job_condition_firing{condition=missing,\(backup)}"] == 1)
        #expect(values["heartline_job_successes_total{\(worker)}"] == 3)
        #expect(values["heartline_job_failures_total{\(worker)}"] == 2)
        #expect(values["heartline_job_successes_total{\(backup)}"] == 1)
        #expect(values["heartline_job_failures_total{\(backup)}"] == 0)
        #expect(values["heartline_source_lines_read_total{\(source)}"] == 9)
        #expect(values["heartline_source_lines_matched_total{\(source)}"] == 7)
        // Runs: backup's start and success carry one stamp, so its run took no time; worker has
        // no start pattern, so no run. Both are scheduled.
        #expect(values["heartline_job_last_duration_seconds{\(backup)}"] == 0)
        #expect(values["heartline_job_last_duration_seconds{\(worker)}"] == nil)
        let backupRuns = "heartline_job_run_duration_seconds"
        #expect(values["\(backupRuns)_bucket{job=backup,le=1,outcome=success,service=app}"] == 1)
        #expect(values["\(backupRuns)_count{job=backup,outcome=success,service=app}"] == 1)
        let workerDue = try #require(values["heartline_job_next_due_timestamp_seconds{\(worker)}"])
        let backupDue = try #require(values["heartline_job_next_due_timestamp_seconds{\(backup)}"])
        #expect(values["heartline_sink_delivered_total{sink=0:stdout}"] == 2)
        #expect(values["heartline_sink_failed_total{sink=0:stdout}"] == 0)
        #expect(values["heartline_sink_queued{sink=0:stdout}"] == 0)
        #expect(values["heartline_sink_delivered_total{sink=1:webhook}"] == 2)
        #expect(values["heartline_sink_failed_total{sink=1:webhook}"] == 0)
        #expect(values["heartline_sink_queued{sink=1:webhook}"] == 0)
        // Issue 6: the daemon's cost per stage. Each stage has run; eight lines cost far under a second.
        for stage in ["read", "match", "evaluate"] {
            let spent = try #require(values["heartline_stage_seconds_total{stage=\(stage)}"])
            #expect(spent > 0 && spent < 1, "\(stage): \(spent)")
        }
        // The compiled prefilter was saved in the state directory for the next start.
        let cached = try FileManager.default.contentsOfDirectory(
            atPath: directory.appendingPathComponent("state/prefilter-cache").path)
        #expect(cached.filter { $0.hasSuffix(".hsdb") }.count == 1)
        let lastSuccess = try #require(values["heartline_job_last_success_timestamp_seconds{\(worker)}"])
        // The line's whole-second stamp, or the moment it was read if that is earlier.
        #expect(lastSuccess >= before.rounded(.down) - 1 && lastSuccess <= after + 1)
        // Due a period after the last success, before grace.
        #expect(workerDue == lastSuccess + 3600)
        #expect(backupDue == lastSuccess + 2)

        let api = try await Self.get(port, "/api/v1/jobs").body
        let jobs = try JSONDecoder().decode([JobReport].self, from: Data(api.utf8))
        let byName = Dictionary(jobs.map { ($0.job, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["worker"]?.state == "firing")
        #expect(byName["worker"]?.firing.map(\.condition) == [.failing])
        #expect(byName["worker"]?.watched == [.failing, .missing])
        #expect(byName["backup"]?.firing.map(\.condition) == [.missing])
        #expect(byName["backup"]?.lastRunOutcome == .success && byName["backup"]?.lastRunDuration == 0)
        #expect(byName["backup"]?.lastRunStart == byName["backup"]?.lastSuccess)
        #expect(byName["backup"]?.openRuns == 0 && byName["worker"]?.lastRunStart == nil)
        #expect(byName["worker"]?.nextDue.flatMap(RFC3339.parse).map { Double($0.nanoseconds) / 1e9 } == workerDue)
        let reported = try #require(byName["worker"]?.lastSuccess.flatMap(RFC3339.parse))
        #expect(abs(Double(reported.nanoseconds) / 1e9 - lastSuccess) < 1e-6)

        let status = try DaemonProcess.run(["status", "--url", "http://127.0.0.1:\(port)"])
        #expect(status.status == 0, "\(status.stderr)")
        let rows = status.stdout.split(separator: "\n").map { line in
            line.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(
            rows.first == [
                "SERVICE", "JOB", "STATE", "LAST SUCCESS", "LAST RUN", "NEXT DUE", "SUCCESSES", "FAILURES",
            ])
        #expect(rows.count == 3)
        let backupRow = try #require(rows.first { $0.count > 1 && $0[1] == "backup" })
        let workerRow = try #require(rows.first { $0.count > 1 && $0[1] == "worker" })
        #expect(backupRow.count == 8 && workerRow.count == 8)
        #expect(Array(backupRow[0...2]) == ["app", "backup", "firing: missing"])
        #expect(backupRow[4] == "0s success" && backupRow[5].hasSuffix("s ago"))
        #expect(Array(backupRow[6...7]) == ["1", "0"])
        #expect(Array(workerRow[0...2]) == ["app", "worker", "firing: failing"])
        #expect(workerRow[4] == "-" && ["in 59m", "in 1h"].contains(workerRow[5]))
        #expect(Array(workerRow[6...7]) == ["3", "2"])
        #expect(workerRow[3].hasPrefix(Instant(seconds: Int64(lastSuccess.rounded(.down))).rfc3339 + " ("))
        #expect(workerRow[3].hasSuffix("s ago)"))
        for (name, output) in [("/metrics", metrics), ("/api/v1/jobs", api), ("heartline status", status.stdout)] {
            for secret in ["s3cret", "Bearer", "/hook", "127.0.0.1:\(receiver.port)"] {
                #expect(!output.contains(secret), "\(name) shows \(secret)")
            }
        }

        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        #expect(daemon.log.contains("time per stage: read "))
    }

    /// Issue 17, item 4: skipped text is said. A 2 MiB line is cut at 1 MiB and counted for its
    /// file; a pattern that backtracks past the PCRE2 match limit is counted for its service, job
    /// and place; each is logged once as a warning naming what it concerns, however many follow
    /// within the minute.
    @Test func cutLinesAndMatchLimitHitsShowInMetricsAndTheLog() async throws {
        let directory = try DaemonProcess.makeDirectory(
            patterns: [
                "app.yaml": """
                source: { files: ["LOGS/*.log"] }
                jobs:
                  - name: evil
                    success: '(a+)+b'
                """
            ])
        let log = directory.appendingPathComponent("logs/app.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("ready: every source is positioned"))
        let long = String(repeating: "x", count: 2 << 20)
        let evil = String(repeating: "a", count: 40) + "c ab"
        try DaemonProcess.append("\(long)\n\(evil)\n", to: log)
        let pattern = directory.appendingPathComponent("patterns/app.yaml").path + ":4:14"
        let cut = "heartline_lines_cut_total{source=\"\(log.path)\"}"
        let hits = "heartline_match_limit_hits_total{service=\"app\",job=\"evil\",pattern=\"\(pattern)\"}"
        try await daemon.waitForMetrics("the first lines", [DaemonProcess.linesRead(log.path): { $0 == 2 }])
        try await daemon.waitForMetrics("the first counts", [cut: { $0 == 1 }, hits: { $0 == 1 }])
        #expect(await daemon.waitForLog("\(log.path): 1 lines over the 1 MiB limit cut to it since the last report"))
        #expect(await daemon.waitForLog("app/evil: pattern at \(pattern) gave up at the PCRE2 match limit on 1 lines"))
        try DaemonProcess.append("\(long)\n\(evil)\n", to: log)
        try await daemon.waitForMetrics("the second lines", [DaemonProcess.linesRead(log.path): { $0 == 4 }])
        try await daemon.waitForMetrics("the second counts", [cut: { $0 == 2 }, hits: { $0 == 2 }])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        // Within the minute: no second warning of either.
        #expect(daemon.log.components(separatedBy: "cut to it since the last report").count == 2)
        #expect(daemon.log.components(separatedBy: "gave up at the PCRE2 match limit").count == 2)
    }

    /// `heartline status` with nothing listening: exit 1 and a message that says what to check.
    @Test func statusExitsOneWithAClearMessageWhenNoDaemonAnswers() throws {
        let port = DaemonProcess.freePort()
        let result = try DaemonProcess.run(["status", "--url", "http://127.0.0.1:\(port)"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("heartline: no answer from http://127.0.0.1:\(port)/api/v1/jobs ("))
        #expect(result.stderr.contains("is 'heartline run' running, and does --url match"))
    }

    /// A second daemon configured for a port already served does not run half-blind: it says the
    /// address is in use and exits 2, and the first keeps serving.
    @Test func aDaemonWhosePortIsTakenExitsTwo() async throws {
        let port = DaemonProcess.freePort()
        let patterns = ["app.yaml": "source: { files: [\"LOGS/*.log\"] }\njobs:\n  - name: w\n    success: 'ok'\n"]
        let first = try DaemonProcess(directory: try DaemonProcess.makeDirectory(patterns: patterns, httpPort: port))
        #expect(await first.waitForLog("http: listening on 127.0.0.1:\(port)"))
        #expect(await first.waitForLog("ready: every source is positioned"))
        let second = try DaemonProcess(directory: try DaemonProcess.makeDirectory(patterns: patterns, httpPort: port))
        #expect(await second.waitForExit() == 2)
        #expect(second.log.lowercased().contains("address already in use"), "\(second.log)")
        #expect(try await Self.get(port, "/healthz").status == 200)
        first.signal(SIGTERM)
        #expect(await first.waitForExit() == 0)
    }
}
