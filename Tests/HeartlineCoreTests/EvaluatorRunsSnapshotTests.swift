import Foundation
import Testing

@testable import HeartlineCore

/// Runs across a restart: open runs (with and without keys) and the last run are saved and come
/// back, and snapshots written before runs had keys still load.
struct EvaluatorRunsSnapshotTests {
    typealias E = EvaluatorTests
    typealias R = EvaluatorRunsTests

    static let services = [
        E.service(
            R.job("keyed", maxRuntime: 60, minRuntime: 20),
            R.job("plain", schedule: Schedule(kind: .every(100)), maxRuntime: 50))
    ]

    static let events: [(Int64, Int, JobEvent.Kind, String?)] = [
        (0, 0, .start, "a"), (10, 0, .start, "b"), (15, 0, .success, "b"), (20, 1, .start, nil),
        (30, 0, .start, "c"), (40, 1, .success, nil), (45, 0, .start, "a"), (70, 0, .success, "c"),
        (80, 1, .start, nil), (95, 0, .failure, "a"), (150, 0, .start, "d"), (160, 1, .start, nil),
        (171, 0, .success, "d"),
    ]

    static func take(_ evaluator: inout Evaluator, _ events: ArraySlice<(Int64, Int, JobEvent.Kind, String?)>)
        -> (alerts: [Alert], runs: [RunRecord])
    {
        var out: ([Alert], [RunRecord]) = ([], [])
        for (seconds, job, kind, key) in events {
            let instance = services[0].jobs[job].name.template
            evaluator.apply(
                JobEvent(service: 0, job: job, instance: instance, kind: kind, runKey: key), at: E.at(seconds))
            out.0 += evaluator.takeAlerts()
            out.1 += evaluator.takeClosedRuns()
        }
        return out
    }

    /// Whichever event the restart falls after, the same alerts, the same closed runs and the same
    /// last runs come out as without it.
    @Test func aRestartAfterAnyEventChangesNoAlertAndNoRun() throws {
        var straight = Evaluator(services: Self.services)
        straight.start(at: E.at(0))
        var (expected, expectedRuns) = Self.take(&straight, Self.events[...])
        straight.advance(through: E.at(1000))
        expected += straight.flush()
        expectedRuns += straight.takeClosedRuns()
        #expect(expected.map(\.condition).contains(.tooFast) && expected.map(\.condition).contains(.stuck))
        #expect(expectedRuns.count == 7)

        for split in 0...Self.events.count {
            var first = Evaluator(services: Self.services)
            first.start(at: E.at(0))
            var (got, gotRuns) = Self.take(&first, Self.events[..<split])
            let saved = try JSONEncoder().encode(first.snapshot)
            var second = Evaluator(
                services: Self.services, restoring: try JSONDecoder().decode(EvaluatorSnapshot.self, from: saved))
            let rest = Self.take(&second, Self.events[split...])
            got += rest.alerts
            gotRuns += rest.runs
            second.advance(through: E.at(1000))
            got += second.flush()
            gotRuns += second.takeClosedRuns()
            #expect(got == expected, "restart after event \(split)")
            #expect(gotRuns == expectedRuns, "restart after event \(split)")
            #expect(second.instanceSummaries() == straight.instanceSummaries(), "restart after event \(split)")
        }
    }

    /// Two keyed runs open at the restart: each is still stuck at its own deadline after it.
    @Test func openKeyedRunsSurviveARestartAndGoStuckAfterIt() throws {
        var evaluator = Evaluator(services: Self.services)
        evaluator.start(at: E.at(0))
        _ = Self.take(&evaluator, [(0, 0, .start, "a"), (30, 0, .start, "b"), (40, 1, .start, nil)])
        let facts = try #require(evaluator.snapshot.instances.first?.facts)
        #expect(
            facts.openRuns == [
                JobFacts.OpenRun(key: "a", started: E.at(0)), JobFacts.OpenRun(key: "b", started: E.at(30)),
            ])
        // A job whose only open run has no key is saved as before run keys.
        let plain = try #require(evaluator.snapshot.instances.last?.facts)
        #expect(plain.openRuns == nil && plain.startedAt == E.at(40))

        let saved = try JSONEncoder().encode(evaluator.snapshot)
        var restored = Evaluator(
            services: Self.services, restoring: try JSONDecoder().decode(EvaluatorSnapshot.self, from: saved))
        restored.advance(through: E.at(200))
        #expect(
            restored.flush().map { "\($0.at.seconds - E.t0) \($0.job) \($0.condition)" } == [
                "60 keyed stuck", "90 plain stuck", "100 plain missing",
            ])
        #expect(restored.takeClosedRuns().map(R.text) == ["a 0+60 stuck", "b 30+60 stuck", "- 40+50 stuck"])
    }

    /// A snapshot written before runs had keys and durations (no `openRuns`, no `lastRun`) loads:
    /// its `startedAt` is the open run, which goes stuck after the restart.
    @Test func aSnapshotFromBeforeRunKeysStillLoads() throws {
        let t0 = E.at(0).nanoseconds
        let old = """
            {"monitoringStart":\(t0),"now":\(t0 + 30_000_000_000),"pending":[],"instances":[
            {"service":"svc","job":"plain","facts":{"instance":"plain","monitoringStart":\(t0),"firing":{},
            "lastSuccess":\(t0 + 5_000_000_000),"startedAt":\(t0 + 20_000_000_000),"recentFailures":[],
            "recentSuccesses":[]}}]}
            """
        let snapshot = try JSONDecoder().decode(EvaluatorSnapshot.self, from: Data(old.utf8))
        #expect(snapshot.instances.first?.facts.openRuns == nil)
        #expect(snapshot.instances.first?.facts.lastRun == nil)
        var restored = Evaluator(services: Self.services, restoring: snapshot)
        restored.advance(through: E.at(200))
        #expect(
            restored.flush().map { "\($0.at.seconds - E.t0) \($0.job) \($0.condition)" } == [
                "70 plain stuck", "105 plain missing",
            ])
        #expect(restored.takeClosedRuns().map(R.text) == ["- 20+50 stuck"])
    }
}
