import Testing

@testable import HeartlineCore

/// Pins every rule of SPEC §2 at its boundary. Times are seconds after T0 = 1,000,000 s.
struct EvaluatorTests {
    static let t0: Int64 = 1_000_000
    static let here = SourceLocation(file: "test.yaml", line: 1, column: 1)

    static func at(_ seconds: Int64) -> Instant { Instant(seconds: t0 + seconds) }

    static func service(_ jobs: JobSpec...) -> ServiceSpec {
        ServiceSpec(name: "svc", jobs: jobs, location: here)
    }

    static func service(named name: String, _ jobs: JobSpec...) -> ServiceSpec {
        ServiceSpec(name: name, jobs: jobs, location: here)
    }

    static func job(
        _ name: String, schedule: Schedule? = nil, maxRuntime: Int64? = nil, failureBurst: RateWindow? = nil,
        minCount: RateWindow? = nil, threshold: Threshold? = nil
    ) -> JobSpec {
        JobSpec(
            name: JobName(name), schedule: schedule, maxRuntime: maxRuntime, failureBurst: failureBurst,
            minCount: minCount, threshold: threshold, location: here)
    }

    /// Runs events (seconds after T0, job index, kind) through an evaluator up to `until`;
    /// returns alerts as `seconds status job condition`.
    static func run(
        _ services: [ServiceSpec], _ events: [(Int64, Int, JobEvent.Kind)], until: Int64,
        service: Int = 0, instance: ((Int) -> String)? = nil
    ) -> [String] {
        var evaluator = Evaluator(services: services)
        evaluator.start(at: at(0))
        var alerts: [Alert] = []
        for (seconds, job, kind) in events {
            let name = instance?(job) ?? services[service].jobs[job].name.template
            evaluator.apply(JobEvent(service: service, job: job, instance: name, kind: kind), at: at(seconds))
            alerts += evaluator.takeAlerts()
        }
        evaluator.advance(through: at(until))
        alerts += evaluator.flush()
        return alerts.map { "\($0.at.seconds - t0) \($0.status.rawValue) \($0.service)/\($0.job) \($0.condition)" }
    }

    // MARK: every

    @Test func everyFiresMissingAtPeriodPlusGraceAfterMonitoringStart() {
        let svc = Self.service(Self.job("j", schedule: Schedule(kind: .every(3600), grace: 600)))
        #expect(Self.run([svc], [], until: 10_000) == ["4200 firing svc/j missing"])
    }

    @Test func everySuccessExactlyAtTheDeadlineIsOnTime() {
        let svc = Self.service(Self.job("j", schedule: Schedule(kind: .every(3600), grace: 600)))
        #expect(Self.run([svc], [(4200, 0, .success)], until: 4200 + 4199) == [])
        #expect(Self.run([svc], [(4200, 0, .success)], until: 4200 + 4200) == ["8400 firing svc/j missing"])
    }

    @Test func everySuccessJustAfterTheDeadlineResolvesIt() {
        let svc = Self.service(Self.job("j", schedule: Schedule(kind: .every(3600), grace: 600)))
        #expect(
            Self.run([svc], [(4201, 0, .success)], until: 5000)
                == ["4200 firing svc/j missing", "4201 resolved svc/j missing"])
    }

    @Test func deadlinesAreEvaluatedThroughUntilInclusive() {
        let svc = Self.service(Self.job("j", schedule: Schedule(kind: .every(100))))
        #expect(Self.run([svc], [], until: 99) == [])
        #expect(Self.run([svc], [], until: 100) == ["100 firing svc/j missing"])
    }

    @Test func missingFiresOnceWhileItStaysFiring() {
        let svc = Self.service(Self.job("j", schedule: Schedule(kind: .every(100))))
        #expect(Self.run([svc], [], until: 10_000) == ["100 firing svc/j missing"])
    }

    @Test func failureAndStartLinesNeverResetTheSchedule() {
        let svc = Self.service(Self.job("j", schedule: Schedule(kind: .every(100))))
        #expect(
            Self.run([svc], [(50, 0, .failure), (90, 0, .start), (95, 0, .measure(1))], until: 150)
                == ["100 firing svc/j missing"])
    }

    // MARK: stuck

    @Test func stuckFiresMaxRuntimeAfterAStartLine() {
        let svc = Self.service(Self.job("j", maxRuntime: 60))
        #expect(Self.run([svc], [(10, 0, .start)], until: 1000) == ["70 firing svc/j stuck"])
    }

    @Test func aSuccessOrFailureBeforeMaxRuntimeEndsTheRun() {
        let svc = Self.service(Self.job("j", maxRuntime: 60))
        #expect(Self.run([svc], [(10, 0, .start), (70, 0, .success)], until: 1000) == [])
        #expect(Self.run([svc], [(10, 0, .start), (69, 0, .failure)], until: 1000) == [])
    }

    @Test func aLaterStartLineRestartsTheClock() {
        let svc = Self.service(Self.job("j", maxRuntime: 60))
        #expect(Self.run([svc], [(10, 0, .start), (50, 0, .start)], until: 1000) == ["110 firing svc/j stuck"])
    }

    @Test func stuckResolvesAtTheNextSuccessOrFailure() {
        let svc = Self.service(Self.job("j", maxRuntime: 60))
        #expect(
            Self.run([svc], [(0, 0, .start), (100, 0, .start), (200, 0, .failure)], until: 1000)
                == ["60 firing svc/j stuck", "200 resolved svc/j stuck"])
    }

    // MARK: failing

    @Test func failingFiresAtTheFailureThatMakesTheBurst() {
        let svc = Self.service(Self.job("j", failureBurst: RateWindow(count: 3, within: 600)))
        #expect(
            Self.run([svc], [(0, 0, .failure), (100, 0, .failure), (599, 0, .failure)], until: 599)
                == ["599 firing svc/j failing"])
    }

    @Test func aFailureExactlyWithinAfterTheFirstIsOutsideTheWindow() {
        // The window is (t - W, t]: the failure at 0 is not in (0, 600].
        let svc = Self.service(Self.job("j", failureBurst: RateWindow(count: 3, within: 600)))
        #expect(Self.run([svc], [(0, 0, .failure), (100, 0, .failure), (600, 0, .failure)], until: 650) == [])
    }

    @Test func failingResolvesAWholeWindowAfterTheLastFailure() {
        let svc = Self.service(Self.job("j", failureBurst: RateWindow(count: 2, within: 600)))
        #expect(
            Self.run([svc], [(0, 0, .failure), (10, 0, .failure), (20, 0, .success)], until: 5000)
                == ["10 firing svc/j failing", "610 resolved svc/j failing"])
    }

    @Test func aFailureExactlyWithinAfterTheLastOneKeepsItFiring() {
        // The line at 610 is taken before the deadline at 610, so the window restarts.
        let svc = Self.service(Self.job("j", failureBurst: RateWindow(count: 2, within: 600)))
        #expect(
            Self.run([svc], [(0, 0, .failure), (10, 0, .failure), (610, 0, .failure)], until: 5000)
                == ["10 firing svc/j failing", "1210 resolved svc/j failing"])
    }

    // MARK: slow

    @Test func slowFiresAtTZeroPlusWindowWithTooFewSuccesses() {
        let svc = Self.service(Self.job("j", minCount: RateWindow(count: 2, within: 3600)))
        #expect(Self.run([svc], [(100, 0, .success)], until: 5000) == ["3600 firing svc/j slow"])
    }

    @Test func slowNeverFiresBeforeAWholeWindowHasPassed() {
        let svc = Self.service(Self.job("j", minCount: RateWindow(count: 1, within: 3600)))
        #expect(Self.run([svc], [], until: 3599) == [])
    }

    @Test func slowFiresWhenTheNthMostRecentSuccessLeavesTheWindow() {
        let svc = Self.service(Self.job("j", minCount: RateWindow(count: 2, within: 3600)))
        #expect(
            Self.run([svc], [(600, 0, .success), (1800, 0, .success), (4800, 0, .success)], until: 10_000)
                == ["4200 firing svc/j slow", "4800 resolved svc/j slow", "5400 firing svc/j slow"])
    }

    @Test func aSuccessAtTheSlowDeadlineCountsFirst() {
        let svc = Self.service(Self.job("j", minCount: RateWindow(count: 1, within: 3600)))
        #expect(Self.run([svc], [(3600, 0, .success)], until: 7199) == [])
        #expect(Self.run([svc], [(3600, 0, .success)], until: 7200) == ["7200 firing svc/j slow"])
    }

    // MARK: breach

    @Test(arguments: [
        (
            Threshold.above(600), [700.0, 600, 601, 599],
            [
                "0 firing svc/q breach", "10 resolved svc/q breach",
                "20 firing svc/q breach", "30 resolved svc/q breach",
            ]
        ),
        (Threshold.below(5), [5.0, 4.9, 4.0, 5], ["10 firing svc/q breach", "30 resolved svc/q breach"]),
    ])
    func breachIsStrictlyBeyondTheBound(threshold: Threshold, values: [Double], expected: [String]) {
        let svc = Self.service(Self.job("q", threshold: threshold))
        let events = values.enumerated().map { (Int64($0.offset * 10), 0, JobEvent.Kind.measure($0.element)) }
        #expect(Self.run([svc], events, until: 100) == expected)
    }

    // MARK: dynamic jobs

    @Test func aDynamicJobExistsFromItsFirstLine() {
        let svc = Self.service(Self.job("queue-{name}", schedule: Schedule(kind: .every(100))))
        let alerts = Self.run(
            [svc], [(50, 0, .success), (60, 0, .start)], until: 1000,
            instance: { _ in "queue-mail" })
        #expect(alerts == ["150 firing svc/queue-mail missing"])
    }

    @Test func eachDynamicValueIsItsOwnJob() {
        var evaluator = Evaluator(services: [Self.service(Self.job("q-{x}", schedule: Schedule(kind: .every(100))))])
        evaluator.start(at: Self.at(0))
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "q-a", kind: .success), at: Self.at(10))
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "q-b", kind: .success), at: Self.at(20))
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "q-a", kind: .success), at: Self.at(90))
        evaluator.advance(through: Self.at(200))
        #expect(evaluator.flush().map { "\($0.at.seconds - Self.t0) \($0.job)" } == ["120 q-b", "190 q-a"])
    }

    // MARK: ordering

    @Test func alertsAtOneInstantComeResolvedFirstThenByServiceJobCondition() {
        let a = Self.service(
            named: "alpha", Self.job("z", schedule: Schedule(kind: .every(100))),
            Self.job("b", schedule: Schedule(kind: .every(100)), minCount: RateWindow(count: 1, within: 100)))
        let b = Self.service(
            named: "beta", Self.job("a", maxRuntime: 50), Self.job("m", schedule: Schedule(kind: .every(50))))
        var evaluator = Evaluator(services: [b, a])
        evaluator.start(at: Self.at(0))
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "a", kind: .start), at: Self.at(50))
        evaluator.apply(JobEvent(service: 0, job: 1, instance: "m", kind: .success), at: Self.at(100))
        evaluator.advance(through: Self.at(100))
        let alerts = evaluator.flush().map {
            "\($0.at.seconds - Self.t0) \($0.status) \($0.service)/\($0.job) \($0.condition)"
        }
        #expect(
            alerts == [
                "50 firing beta/m missing",
                "100 resolved beta/m missing",
                "100 firing alpha/b missing", "100 firing alpha/b slow", "100 firing alpha/z missing",
                "100 firing beta/a stuck",
            ])
    }

    @Test func alertsCarryTheirDueInstantNotTheAdvanceTime() {
        let svc = Self.service(Self.job("j", schedule: Schedule(kind: .every(100))))
        var evaluator = Evaluator(services: [svc])
        evaluator.start(at: Self.at(0))
        evaluator.advance(through: Self.at(100_000))
        #expect(evaluator.flush().map(\.at) == [Self.at(100)])
    }

    @Test func anEventBeforeNowIsTakenAtNowAndCounted() {
        let svc = Self.service(Self.job("j", schedule: Schedule(kind: .every(100))))
        var evaluator = Evaluator(services: [svc])
        evaluator.start(at: Self.at(0))
        evaluator.advance(through: Self.at(150))
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .success), at: Self.at(120))
        #expect(evaluator.clampedEvents == 1)
        #expect(evaluator.flush().map { "\($0.at.seconds - Self.t0) \($0.status)" } == ["100 firing", "150 resolved"])
    }

    @Test func theDeadlineQueueStaysBoundedOverManySuccesses() {
        let svc = Self.service(
            Self.job("j", schedule: Schedule(kind: .every(100)), minCount: RateWindow(count: 3, within: 500)))
        var evaluator = Evaluator(services: [svc])
        evaluator.start(at: Self.at(0))
        for second in 1...100_000 {
            evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .success), at: Self.at(Int64(second)))
        }
        #expect(evaluator.flush().isEmpty)
        #expect(evaluator.queueCount <= 16 + 64)
    }
}
