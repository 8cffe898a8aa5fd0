import Foundation
import Testing

@testable import HeartlineCore

/// SPEC §7 (issue 14): dynamic instances end with `forget_after`, and `quiet_until_first_line`
/// holds a job's alerts back until its first line. Times are seconds after T0.
struct InstanceLifecycleTests {
    typealias E = EvaluatorTests

    static func orders(forgetAfter: Int64? = nil, burst: RateWindow? = nil, schedule: Schedule? = nil) -> JobSpec {
        var job = JobSpec(
            name: JobName("order-{id}"), schedule: schedule, failureBurst: burst, location: E.here)
        job.forgetAfterSetting = forgetAfter
        return job
    }

    /// Events for instances of job 0: (seconds, instance, kind). Returns the alerts as
    /// `seconds status instance condition`, and the evaluator at the end.
    static func run(
        _ job: JobSpec, _ events: [(Int64, String, JobEvent.Kind)], until: Int64
    ) -> (alerts: [String], evaluator: Evaluator) {
        var evaluator = Evaluator(services: [E.service(job)])
        evaluator.start(at: E.at(0))
        var alerts: [Alert] = []
        for (seconds, instance, kind) in events {
            evaluator.apply(JobEvent(service: 0, job: 0, instance: instance, kind: kind), at: E.at(seconds))
            alerts += evaluator.takeAlerts()
        }
        evaluator.advance(through: E.at(until))
        alerts += evaluator.flush()
        let text = alerts.map { "\($0.at.seconds - E.t0) \($0.status.rawValue) \($0.job) \($0.condition.rawValue)" }
        return (text, evaluator)
    }

    @Test func anIdleInstanceIsForgottenAndComesBackFresh() {
        // Two failures 2h apart are a burst within 3h, unless the first was forgotten after 1h idle.
        let events: [(Int64, String, JobEvent.Kind)] = [(0, "order-1", .failure), (7200, "order-1", .failure)]
        let burst = RateWindow(count: 2, within: 3 * 3600)
        let kept = Self.run(Self.orders(forgetAfter: 100 * 3600, burst: burst), events, until: 8000)
        #expect(kept.alerts == ["7200 firing order-1 failing"])
        let forgotten = Self.run(Self.orders(forgetAfter: 3600, burst: burst), events, until: 8000)
        #expect(forgotten.alerts == [])
        var evaluator = forgotten.evaluator
        #expect(evaluator.forgottenCount == 1)
        #expect(evaluator.instanceCount == 1)
        #expect(evaluator.takeForgotten().map(\.instance) == ["order-1"])
        // The instance alive now is the one of the second line: its T0 is that line.
        #expect(evaluator.instanceSummaries().map(\.instance) == ["order-1"])
        #expect(evaluator.snapshot.instances.map(\.facts.monitoringStart) == [E.at(7200)])
    }

    /// Nothing firing is a condition of forgetting: a firing instance stays until it resolves, and
    /// goes at that resolve if it has been idle long enough by then.
    @Test func aFiringInstanceIsKeptUntilItResolves() {
        let job = Self.orders(forgetAfter: 3600, burst: RateWindow(count: 1, within: 7200))
        let outcome = Self.run(job, [(0, "order-7", .failure)], until: 20000)
        #expect(outcome.alerts == ["0 firing order-7 failing", "7200 resolved order-7 failing"])
        #expect(outcome.evaluator.forgottenCount == 1)
        #expect(outcome.evaluator.instanceCount == 0)
        // Just before the resolve it is still there.
        let before = Self.run(job, [(0, "order-7", .failure)], until: 7199)
        #expect(before.evaluator.instanceCount == 1)
    }

    /// A line at the very instant an instance would be forgotten comes first (SPEC §2), and keeps it.
    @Test func aLineAtTheForgetInstantKeepsTheInstance() {
        let job = Self.orders(forgetAfter: 3600, burst: RateWindow(count: 2, within: 4000))
        let outcome = Self.run(job, [(0, "order-2", .failure), (3600, "order-2", .failure)], until: 3700)
        #expect(outcome.alerts == ["3600 firing order-2 failing"])
    }

    /// Thousands of instances come and go; slots are reused, and every one of them is judged as if
    /// alone: each instance's two failures 10 s apart fire `failing` once, however many were
    /// forgotten before it.
    @Test func slotsOfForgottenInstancesAreReusedWithoutMixingStates() {
        let job = Self.orders(forgetAfter: 3600, burst: RateWindow(count: 2, within: 60))
        var events: [(Int64, String, JobEvent.Kind)] = []
        for index in 0..<3000 {
            let start = Int64(index) * 100
            events.append((start, "order-\(index)", .failure))
            events.append((start + 10, "order-\(index)", .failure))
        }
        let outcome = Self.run(job, events, until: 400_000)
        #expect(outcome.alerts.filter { $0.contains(" firing ") }.count == 3000)
        #expect(outcome.alerts.filter { $0.contains(" resolved ") }.count == 3000)
        #expect(outcome.evaluator.forgottenCount == 3000)
        #expect(outcome.evaluator.instanceCount == 0)
        // At most about an hour's worth (36 starts) plus the resolve window are alive at once: the
        // slots never grew to 3000.
        #expect(outcome.evaluator.states.count < 100)
    }

    @Test func theForgetDeadlineSurvivesASnapshot() throws {
        let job = Self.orders(forgetAfter: 3600)
        var evaluator = Evaluator(services: [E.service(job)])
        evaluator.start(at: E.at(0))
        var spec = job
        spec.success = []
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "order-3", kind: .start), at: E.at(100))
        let data = try JSONEncoder().encode(evaluator.snapshot)
        var restored = Evaluator(
            services: [E.service(job)], restoring: try JSONDecoder().decode(EvaluatorSnapshot.self, from: data))
        restored.advance(through: E.at(3699))
        #expect(restored.instanceCount == 1)
        restored.advance(through: E.at(3700))
        #expect(restored.instanceCount == 0)
    }

    @Test(
        arguments: [
            // Schedules: three times the period plus grace.
            (Schedule(kind: .every(3600), grace: 600), nil, nil, Int64(3 * 4200)),
            (Schedule(kind: .every(86400)), nil, nil, Int64(3 * 86400)),
            // A window, or a runtime, when it is longer.
            (nil, RateWindow(count: 3, within: 7200), nil, Int64(3 * 7200)),
            (nil, nil, Int64(4 * 3600), Int64(12 * 3600)),
            // At least an hour.
            (nil, RateWindow(count: 3, within: 60), nil, Int64(3600)),
            (nil, nil, nil, Int64(3600)),
        ] as [(Schedule?, RateWindow?, Int64?, Int64)])
    func forgetAfterDefaultsToThreeTimesTheLongestRuleAndAtLeastAnHour(
        schedule: Schedule?, burst: RateWindow?, maxRuntime: Int64?, expected: Int64
    ) {
        var job = Self.orders(burst: burst, schedule: schedule)
        job.maxRuntime = maxRuntime
        #expect(job.forgetAfter == expected)
    }

    @Test func aCronScheduleCountsTheGapBetweenItsFireTimes() throws {
        let daily = Schedule(kind: .cron(try CronExpression(parsing: "30 2 * * *")), grace: 3600)
        #expect(Self.orders(schedule: daily).forgetAfter == Int64(3 * (86400 + 3600)))
        #expect(JobSpec(name: JobName("static"), schedule: daily, location: E.here).forgetAfter == nil)
    }

    @Test func forgetAfterOnAStaticJobIsAnError() {
        let yaml = """
            jobs:
              - name: backup
                success: 'done'
                forget_after: 1d
            """
        #expect(throws: ConfigErrors.self) { try PatternFileParser.parse(yaml, path: "svc.yaml") }
        do {
            _ = try PatternFileParser.parse(yaml, path: "svc.yaml")
        } catch {
            #expect(error.errors.map(\.description).first?.hasPrefix("svc.yaml:4:5: 'forget_after' drops idle instances") == true)
        }
    }

    /// `quiet_until_first_line`: a job that has never logged raises nothing; from its first line on
    /// it is watched as if monitoring began there.
    @Test func aQuietJobRaisesNothingBeforeItsFirstLine() throws {
        let spec = try PatternFileParser.parse(
            """
            jobs:
              - name: export
                success: 'export done'
                failure: 'export failed'
                schedule: { every: 1h }
                quiet_until_first_line: true
            """, path: "svc.yaml")
        let job = spec.jobs[0]
        #expect(job.quietUntilFirstLine)
        let silent = E.run([E.service(job)], [], until: 5 * 3600)
        #expect(silent == [])
        // First line at 5h (a failure): missing 1h later.
        let after = E.run([E.service(job)], [(5 * 3600, 0, .failure)], until: 7 * 3600)
        #expect(after == ["\(6 * 3600) firing svc/export missing"])
        // Without the key, missing at 1h.
        var loud = job
        loud.quietUntilFirstLine = false
        #expect(E.run([E.service(loud)], [], until: 3600) == ["3600 firing svc/export missing"])
    }
}
