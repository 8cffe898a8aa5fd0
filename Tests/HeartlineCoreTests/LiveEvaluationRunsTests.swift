import HeartlineCore
import Testing

/// The daemon's ingest path measures runs: every run closed by a success or failure line lands in
/// its job's duration histogram by outcome, runs closed as stuck do not, and a reload keeps them.
struct LiveEvaluationRunsTests {
    static let services = [
        try! PatternFileParser.parse(
            """
            source: { files: [/var/log/etl.log] }
            jobs:
              - name: load
                start: 'load started'
                success: 'load done'
                failure: 'load failed'
                max_runtime: 1h
            """, path: "etl.yaml")
    ]

    static func take(_ live: LiveEvaluation, _ lines: [String]) {
        for line in lines {
            let bytes = Array(line.utf8)
            let readAt = RFC3339.parse(String(line.prefix(20)))!
            bytes.withUnsafeBytes { live.take(line: $0, path: "/var/log/etl.log", readAt: readAt) }
        }
    }

    @Test func closedRunsFillTheDurationHistogramsByOutcomeAndStuckOnesDoNot() {
        let live = LiveEvaluation(
            services: Self.services, restoring: nil, now: RFC3339.parse("2026-03-01T00:00:00Z")!)
        Self.take(
            live,
            [
                "2026-03-01T00:00:00Z load started", "2026-03-01T00:00:04Z load done",
                "2026-03-01T01:00:00Z load started", "2026-03-01T01:20:00Z load done",
                "2026-03-01T02:00:00Z load started", "2026-03-01T02:00:30Z load failed",
                // Stuck at 04:00 (the next line's deadlines run first), then forgotten.
                "2026-03-01T03:00:00Z load started", "2026-03-01T05:00:00Z load done",
            ])
        let key = LiveEvaluation.InstanceKey(service: "etl", job: "load")
        let success = live.runDurations[key]?[.success]
        #expect(success?.count == 2 && success?.sum == 1204)
        #expect(success?.cumulative == [0, 1, 1, 1, 1, 1, 2, 2, 2, 2])
        let failure = live.runDurations[key]?[.failure]
        #expect(failure?.count == 1 && failure?.sum == 30)
        #expect(live.runDurations[key]?[.stuck] == nil)
        #expect(live.evaluator.instanceSummaries().first?.lastRun?.outcome == .stuck)

        let reloaded = LiveEvaluation(
            services: Self.services, restoring: live.evaluator.snapshot, now: RFC3339.parse("2026-03-01T05:00:00Z")!)
        reloaded.adoptCounters(from: live)
        Self.take(reloaded, ["2026-03-01T06:00:00Z load started", "2026-03-01T06:00:00Z load done"])
        #expect(reloaded.runDurations[key]?[.success]?.count == 3)
        #expect(reloaded.runDurations[key]?[.success]?.cumulative.first == 1)
        #expect(reloaded.runsDropped.isEmpty)
    }

    /// A run that goes stuck while no line comes is closed when the clock alone moves past it.
    @Test func aRunClosedAsStuckByTheClockIsTakenToo() {
        let live = LiveEvaluation(
            services: Self.services, restoring: nil, now: RFC3339.parse("2026-03-01T00:00:00Z")!)
        Self.take(live, ["2026-03-01T00:10:00Z load started"])
        live.advance(to: RFC3339.parse("2026-03-01T02:00:00Z")!)
        #expect(live.flushAlerts().map(\.condition) == [.stuck])
        #expect(!live.evaluator.hasClosedRuns)
        #expect(live.runDurations.isEmpty)
    }
}
