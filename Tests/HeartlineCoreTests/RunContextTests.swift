import HeartlineCore
import Testing

/// A `failing`, `stuck` or `too_fast` alert carries the lines of the run it is about (issue 11):
/// with a `run_key`, the lines that name the key; without one, every line of the job's source
/// since the start; at most the last 20, and only the run the alert is about.
struct RunContextTests {
    /// Hand-written lines in the shape of Sidekiq's pretty formatter (`jid=` on the job's lines,
    /// the error lines after a failure repeating the jid in their JSON), see Patterns/sidekiq.yaml.
    static let keyed = try! PatternFileParser.parse(
        """
        source: { files: [/var/log/worker.log] }
        jobs:
          - name: '{class}'
            run_key: jid
            start: 'class=(?<class>\\w+) jid=(?<jid>\\w+) INFO: start'
            success: 'class=(?<class>\\w+) jid=(?<jid>\\w+) INFO: done'
            failure: 'class=(?<class>\\w+) jid=(?<jid>\\w+) INFO: fail'
            failure_burst: { count: 1, within: 1m }
            min_runtime: 10s
            max_runtime: 1h
        """, path: "worker.yaml")

    static let unkeyed = try! PatternFileParser.parse(
        """
        source: { files: [/var/log/etl.log] }
        jobs:
          - name: load
            start: 'load started'
            success: 'load done'
            failure: 'load failed'
            failure_burst: { count: 1, within: 1m }
            max_runtime: 1h
        """, path: "etl.yaml")

    static func take(_ live: LiveEvaluation, _ lines: [String], path: String) {
        for line in lines {
            let bytes = Array(line.utf8)
            let readAt = RFC3339.parse(String(line.prefix(20)))!
            bytes.withUnsafeBytes { live.take(line: $0, path: path, readAt: readAt) }
        }
    }

    /// Takes every alert as the daemon does: the context is asked right after each take.
    static func alertsWithContext(_ live: LiveEvaluation, flushing: Bool) -> [(Alert, String?)] {
        (flushing ? live.flushAlerts() : live.takeAlerts()).map { ($0, live.context(for: $0)) }
    }

    @Test func aFailingRunCarriesItsOwnLinesAndNotThoseOfAnOverlappingRun() {
        let live = LiveEvaluation(services: [Self.keyed], restoring: nil, now: RFC3339.parse("2026-03-01T00:00:00Z")!)
        Self.take(
            live,
            [
                "2026-03-01T00:00:00Z class=Invoice jid=aaa INFO: start",
                "2026-03-01T00:00:01Z class=Invoice jid=bbb INFO: start",
                "2026-03-01T00:00:02Z WARN: retrying upstream for jid=aaa",
                "2026-03-01T00:00:03Z WARN: unrelated noise",
                "2026-03-01T00:00:04Z class=Invoice jid=bbb INFO: done",
                "2026-03-01T00:00:20Z class=Invoice jid=aaa INFO: fail",
            ], path: "/var/log/worker.log")
        let alerts = Self.alertsWithContext(live, flushing: true)
        #expect(alerts.map { "\($0.0.condition) \($0.0.status)" } == ["tooFast firing", "failing firing"])
        let failing = alerts.first { $0.0.condition == .failing }
        #expect(
            failing?.1
                == """
                2026-03-01T00:00:00Z class=Invoice jid=aaa INFO: start
                2026-03-01T00:00:02Z WARN: retrying upstream for jid=aaa
                2026-03-01T00:00:20Z class=Invoice jid=aaa INFO: fail
                """)
        // bbb's 3-second run is the too_fast one; its context is its own two lines.
        let tooFast = alerts.first { $0.0.condition == .tooFast }
        #expect(
            tooFast?.1
                == """
                2026-03-01T00:00:01Z class=Invoice jid=bbb INFO: start
                2026-03-01T00:00:04Z class=Invoice jid=bbb INFO: done
                """)
    }

    @Test func aStuckRunWithoutAKeyCarriesTheSourceLinesSinceItsStartUpToTheLast20() {
        let live = LiveEvaluation(
            services: [Self.unkeyed], restoring: nil, now: RFC3339.parse("2026-03-01T00:00:00Z")!)
        var lines = ["2026-03-01T00:00:00Z load done", "2026-03-01T00:01:00Z load started"]
        for index in 0..<25 { lines.append("2026-03-01T00:02:\(10 + index)Z copying chunk \(index)") }
        Self.take(live, lines, path: "/var/log/etl.log")
        live.advance(to: RFC3339.parse("2026-03-01T01:30:00Z")!)
        let alerts = Self.alertsWithContext(live, flushing: true)
        #expect(alerts.map(\.0.condition) == [.stuck])
        let context = alerts.first?.1?.split(separator: "\n").map(String.init)
        #expect(context?.count == 20)
        #expect(context?.first == "2026-03-01T00:02:15Z copying chunk 5")
        #expect(context?.last == "2026-03-01T00:02:34Z copying chunk 24")
    }

    /// Other alerts keep the last-line context, and a run's lines are forgotten once its alert has
    /// been taken: a later failing alert of a run-less failure gets the failure line only.
    @Test func otherAlertsKeepTheLastLineAndTakenRunsAreForgotten() {
        let live = LiveEvaluation(
            services: [Self.unkeyed], restoring: nil, now: RFC3339.parse("2026-03-01T00:00:00Z")!)
        Self.take(
            live,
            [
                "2026-03-01T00:00:00Z load started", "2026-03-01T00:00:05Z step one",
                "2026-03-01T00:00:10Z load failed",
            ], path: "/var/log/etl.log")
        let first = Self.alertsWithContext(live, flushing: true)
        #expect(
            first.map(\.1) == [
                "2026-03-01T00:00:00Z load started\n2026-03-01T00:00:05Z step one\n2026-03-01T00:00:10Z load failed"
            ])
        live.advance(to: RFC3339.parse("2026-03-01T00:02:00Z")!)
        let resolved = Self.alertsWithContext(live, flushing: true)
        #expect(resolved.map { "\($0.0.condition) \($0.0.status)" } == ["failing resolved"])
        #expect(resolved.map(\.1) == ["2026-03-01T00:00:10Z load failed"])
        Self.take(live, ["2026-03-01T00:05:00Z load failed"], path: "/var/log/etl.log")
        let second = Self.alertsWithContext(live, flushing: true)
        #expect(second.map { "\($0.0.condition) \($0.0.status)" } == ["failing firing"])
        #expect(second.map(\.1) == ["2026-03-01T00:05:00Z load failed"])
    }

    /// A reload keeps the runs open across it, by service name.
    @Test func aReloadKeepsTheLinesOfOpenRuns() {
        let live = LiveEvaluation(
            services: [Self.unkeyed], restoring: nil, now: RFC3339.parse("2026-03-01T00:00:00Z")!)
        Self.take(
            live, ["2026-03-01T00:00:00Z load started", "2026-03-01T00:00:05Z step one"], path: "/var/log/etl.log")
        let reloaded = LiveEvaluation(
            services: [Self.keyed, Self.unkeyed], restoring: live.evaluator.snapshot,
            now: RFC3339.parse("2026-03-01T00:00:06Z")!)
        reloaded.adoptCounters(from: live)
        Self.take(reloaded, ["2026-03-01T00:00:10Z load failed"], path: "/var/log/etl.log")
        let alerts = Self.alertsWithContext(reloaded, flushing: true)
        #expect(alerts.map(\.0.condition) == [.failing])
        #expect(
            alerts.first?.1
                == "2026-03-01T00:00:00Z load started\n2026-03-01T00:00:05Z step one\n2026-03-01T00:00:10Z load failed")
    }

    /// A journal run keyed by a field: systemd's "Main process exited" entry names the run only in its
    /// `INVOCATION_ID` field, not in its text, and still belongs in the failing alert's context.
    /// Entries hand-written after systemd 252's unit entries (systemd.journal-fields(7); the shapes
    /// of fixtures/library/systemd/timers-three-units.export).
    @Test func aJournalRunTakesTheEntriesWhoseFieldHoldsItsKey() {
        let spec = try! PatternFileParser.parse(
            """
            source: { journal: { fields: { _PID: "1" } } }
            jobs:
              - name: '{UNIT}'
                run_key: INVOCATION_ID
                start: { fields: { JOB_TYPE: start, MESSAGE_ID: 7d4958e842da4a758f6c1cdc7b36dcc5 } }
                failure: { fields: { UNIT_RESULT: { present: true } } }
                failure_burst: { count: 1, within: 1d }
            """, path: "systemd.yaml")
        let t0 = RFC3339.parse("2026-03-01T00:00:00Z")!
        let live = LiveEvaluation(services: [spec], restoring: nil, now: t0)
        func entry(_ seconds: Int64, _ invocation: String, _ message: String, _ extra: [String: String] = [:]) {
            var fields = ["_PID": "1", "UNIT": "sync.service", "INVOCATION_ID": invocation, "MESSAGE": message]
            fields["__REALTIME_TIMESTAMP"] = String((t0.nanoseconds / 1000) + seconds * 1_000_000)
            fields.merge(extra) { _, new in new }
            let record = JournalEntry(fields: fields.mapValues { Array($0.utf8) })
            live.take(.journal(record), readAt: Instant(nanoseconds: t0.nanoseconds + seconds * 1_000_000_000))
        }
        entry(
            0, "aaa", "Starting sync.service - Sync...",
            ["JOB_TYPE": "start", "MESSAGE_ID": "7d4958e842da4a758f6c1cdc7b36dcc5"])
        entry(1, "bbb", "other.service: Main process exited, code=exited, status=0/SUCCESS")
        entry(2, "aaa", "sync.service: Main process exited, code=exited, status=2/INVALIDARGUMENT")
        entry(3, "aaa", "sync.service: Failed with result 'exit-code'.", ["UNIT_RESULT": "exit-code"])
        let alerts = Self.alertsWithContext(live, flushing: true)
        #expect(alerts.map { $0.0.condition } == [.failing])
        #expect(
            alerts.first?.1
                == [
                    "Starting sync.service - Sync...",
                    "sync.service: Main process exited, code=exited, status=2/INVALIDARGUMENT",
                    "sync.service: Failed with result 'exit-code'.",
                ].joined(separator: "\n"))
    }

    /// A unit's own output names its run only in `_SYSTEMD_INVOCATION_ID`, which journald sets on
    /// every entry of the unit's processes: the lines that say why the run failed (logrotate's
    /// config error in fixtures/discover/timers.export) belong in the failing alert's context.
    /// Entries hand-written after that recording's fields.
    @Test func aUnitsOwnOutputJoinsTheRunPID1KeyedByItsInvocation() {
        let spec = try! PatternFileParser.parse(
            """
            source: { journal: { unit: logrotate.service } }
            jobs:
              - name: '{UNIT}'
                run_key: INVOCATION_ID
                start: { fields: { MESSAGE_ID: 7d4958e842da4a758f6c1cdc7b36dcc5 } }
                failure: { fields: { MESSAGE_ID: d9b373ed55a64feb8242e02dbe79a49c } }
                failure_burst: { count: 1, within: 1d }
            """, path: "logrotate.yaml")
        let t0 = RFC3339.parse("2026-12-08T02:20:52Z")!
        let live = LiveEvaluation(services: [spec], restoring: nil, now: t0)
        func entry(_ seconds: Int64, _ fields: [String: String]) {
            var fields = fields
            fields["__REALTIME_TIMESTAMP"] = String((t0.nanoseconds / 1000) + seconds * 1_000_000)
            let record = JournalEntry(fields: fields.mapValues { Array($0.utf8) })
            live.take(.journal(record), readAt: Instant(nanoseconds: t0.nanoseconds + seconds * 1_000_000_000))
        }
        let pid1 = ["_PID": "1", "UNIT": "logrotate.service", "INVOCATION_ID": "991c4d5d"]
        entry(0, pid1.merging(["MESSAGE": "Starting logrotate.service - Rotate log files...",
            "MESSAGE_ID": "7d4958e842da4a758f6c1cdc7b36dcc5"]) { $1 })
        let unit = ["_PID": "99", "_SYSTEMD_UNIT": "logrotate.service", "_SYSTEMD_INVOCATION_ID": "991c4d5d"]
        entry(1, unit.merging(["MESSAGE": "error: found error in file heartline-broken, skipping"]) { $1 })
        entry(1, unit.merging(["MESSAGE": "an earlier run's line", "_SYSTEMD_INVOCATION_ID": "0ld"]) { $1 })
        entry(2, pid1.merging(["MESSAGE": "logrotate.service: Failed with result 'exit-code'.",
            "MESSAGE_ID": "d9b373ed55a64feb8242e02dbe79a49c"]) { $1 })
        let alerts = Self.alertsWithContext(live, flushing: true)
        #expect(alerts.map { $0.0.condition } == [.failing])
        #expect(
            alerts.first?.1
                == [
                    "Starting logrotate.service - Rotate log files...",
                    "error: found error in file heartline-broken, skipping",
                    "logrotate.service: Failed with result 'exit-code'.",
                ].joined(separator: "\n"))
    }
}
