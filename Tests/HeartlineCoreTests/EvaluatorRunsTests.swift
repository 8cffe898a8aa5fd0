import Testing

@testable import HeartlineCore

/// Runs (SPEC §7): start lines open runs, success and failure lines close them (by run key), every
/// closed run is recorded, `max_runtime` is per run, `min_runtime` fires `too_fast`. Times are
/// seconds after T0 as in ``EvaluatorTests``.
struct EvaluatorRunsTests {
    typealias E = EvaluatorTests

    static func job(
        _ name: String = "j", schedule: Schedule? = nil, maxRuntime: Int64? = nil, minRuntime: Int64? = nil
    ) -> JobSpec {
        JobSpec(
            name: JobName(name), schedule: schedule, maxRuntime: maxRuntime, minRuntime: minRuntime, runKey: "id",
            location: E.here)
    }

    /// One line: seconds after T0, kind, run key.
    typealias Line = (Int64, JobEvent.Kind, String?)

    /// What came out of a run of lines through one job: alerts as `seconds status condition`,
    /// closed runs as `key started+duration outcome` (`-` for no key), and the evaluator itself.
    struct Outcome {
        var alerts: [String] = []
        var details: [String] = []
        var runs: [String] = []
        var evaluator: Evaluator
    }

    static func run(_ spec: JobSpec, _ lines: [Line], until: Int64) -> Outcome {
        var evaluator = Evaluator(services: [E.service(spec)])
        evaluator.start(at: E.at(0))
        var alerts: [Alert] = []
        var runs: [RunRecord] = []
        for (seconds, kind, key) in lines {
            evaluator.apply(
                JobEvent(service: 0, job: 0, instance: spec.name.template, kind: kind, runKey: key), at: E.at(seconds))
            alerts += evaluator.takeAlerts()
            runs += evaluator.takeClosedRuns()
        }
        evaluator.advance(through: E.at(until))
        alerts += evaluator.flush()
        runs += evaluator.takeClosedRuns()
        return Outcome(
            alerts: alerts.map { "\($0.at.seconds - E.t0) \($0.status.rawValue) \($0.condition.rawValue)" },
            details: alerts.map(\.detail),
            runs: runs.map(Self.text), evaluator: evaluator)
    }

    static func text(_ record: RunRecord) -> String {
        let run = record.run
        let seconds = run.durationSeconds
        let duration = seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)
        return "\(run.key ?? "-") \(run.started.seconds - E.t0)+\(duration) \(run.outcome)"
    }

    // MARK: closing runs

    @Test func keyedRunsOverlapAndEachEndClosesTheRunOfItsKey() {
        let out = Self.run(
            Self.job(),
            [(0, .start, "a"), (10, .start, "b"), (40, .success, "b"), (100, .failure, "a")], until: 200)
        #expect(out.runs == ["b 10+30 success", "a 0+100 failure"])
        #expect(out.alerts.isEmpty)
        let summary = try! #require(out.evaluator.instanceSummaries().first)
        #expect(summary.lastRun == ClosedRun(key: "a", started: E.at(0), ended: E.at(100), outcome: .failure))
        #expect(summary.openRuns == 0 && summary.oldestOpenRun == nil)
    }

    @Test func withoutKeysOneRunSlotAndALaterStartRestartsTheClock() {
        let out = Self.run(
            Self.job(), [(0, .start, nil), (20, .start, nil), (50, .success, nil), (60, .success, nil)], until: 100)
        #expect(out.runs == ["- 20+30 success"])
    }

    @Test func aStartOfAnOpenKeyRestartsThatRunOnly() {
        let out = Self.run(
            Self.job(),
            [(0, .start, "a"), (5, .start, "b"), (20, .start, "a"), (30, .success, "b"), (50, .success, "a")],
            until: 100)
        #expect(out.runs == ["b 5+25 success", "a 20+30 success"])
    }

    @Test func anEndWhoseKeyHasNoOpenRunClosesNothingButStillCounts() {
        let out = Self.run(
            Self.job(schedule: Schedule(kind: .every(100))),
            [(0, .start, "a"), (50, .success, "b"), (60, .failure, "c")], until: 160)
        #expect(out.runs.isEmpty)
        // The success at 50 reset the schedule: missing at 150, not 100.
        #expect(out.alerts == ["150 firing missing"])
        #expect(out.evaluator.instanceSummaries().first?.openRuns == 1)
    }

    @Test func anEndWithoutAKeyLeavesKeyedRunsOpenAndClosesOnlyTheRunWithoutOne() {
        let out = Self.run(
            Self.job(), [(0, .start, "a"), (10, .success, nil), (20, .start, nil), (30, .failure, nil)], until: 100)
        #expect(out.runs == ["- 20+10 failure"])
        #expect(out.evaluator.instanceSummaries().first?.oldestOpenRun == E.at(0))
    }

    @Test func durationsKeepNanoseconds() {
        var evaluator = Evaluator(services: [E.service(Self.job())])
        evaluator.start(at: E.at(0))
        let started = Instant(nanoseconds: E.at(1).nanoseconds + 750_000_000)
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .start), at: started)
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .success), at: E.at(3))
        #expect(evaluator.takeClosedRuns().map(\.run.durationSeconds) == [1.25])
        #expect(evaluator.takeClosedRuns().isEmpty)
    }

    // MARK: stuck per run

    @Test func eachRunHasItsOwnMaxRuntimeAndOnlyTheLateOneIsStuck() {
        let out = Self.run(
            Self.job(maxRuntime: 60), [(0, .start, "a"), (30, .start, "b"), (50, .success, "a")], until: 200)
        #expect(out.alerts == ["90 firing stuck"])
        #expect(out.details == [#"run "b" started at 1970-01-12T13:47:10Z, no success or failure within 1m"#])
        #expect(out.runs == ["a 0+50 success", "b 30+60 stuck"])
        #expect(out.evaluator.instanceSummaries().first?.openRuns == 0)
    }

    @Test func twoRunsThatBothEndInTimeAreNeverStuck() {
        let out = Self.run(
            Self.job(maxRuntime: 60),
            [(0, .start, "a"), (40, .start, "b"), (50, .success, "a"), (100, .success, "b")], until: 500)
        #expect(out.alerts.isEmpty)
        #expect(out.runs == ["a 0+50 success", "b 40+60 success"])
    }

    @Test func aStuckRunIsForgottenAndStuckResolvesAtTheNextEndWhateverItsKey() {
        let out = Self.run(
            Self.job(maxRuntime: 60),
            [(0, .start, "a"), (10, .start, "b"), (100, .success, "a"), (110, .start, "c"), (120, .failure, "c")],
            until: 500)
        // b passed its deadline while stuck fired: closed as stuck, no second alert.
        #expect(out.alerts == ["60 firing stuck", "100 resolved stuck"])
        #expect(out.details.first == #"run "a" started at 1970-01-12T13:46:40Z, no success or failure within 1m"#)
        #expect(out.runs == ["a 0+60 stuck", "b 10+60 stuck", "c 110+10 failure"])
    }

    @Test func runsStuckAtTheSameInstantFireOnceAndAreCounted() {
        let out = Self.run(Self.job(maxRuntime: 60), [(0, .start, "a"), (0, .start, "b")], until: 100)
        #expect(out.alerts == ["60 firing stuck"])
        #expect(out.details.first?.hasSuffix("within 1m (and 1 more runs)") == true)
        #expect(out.runs == ["a 0+60 stuck", "b 0+60 stuck"])
    }

    @Test func withoutKeysStuckKeepsSPECTwosRulesAndDetail() {
        let out = Self.run(
            Self.job(maxRuntime: 60), [(0, .start, nil), (100, .start, nil), (200, .failure, nil)], until: 1000)
        #expect(out.alerts == ["60 firing stuck", "200 resolved stuck"])
        #expect(
            out.details == [
                "started at 1970-01-12T13:46:40Z, no success or failure within 1m", "failure at 1970-01-12T13:50:00Z",
            ])
        #expect(out.runs == ["- 0+60 stuck", "- 100+60 stuck"])
    }

    // MARK: the open-run limit

    @Test func aStartBeyondTheLimitDropsTheOldestOpenRunAndCountsIt() {
        let limit = Evaluator.openRunLimit
        var lines: [Line] = (0...limit).map { (Int64($0), .start, "k\($0)") }
        lines += [(5000, .success, "k0"), (5001, .success, "k1"), (5002, .start, "k2")]
        let out = Self.run(Self.job(), lines, until: 6000)
        #expect(out.runs == ["k1 1+5000 success"])
        let summary = try! #require(out.evaluator.instanceSummaries().first)
        #expect(summary.droppedRuns == 1)
        // Restarting an open key at the limit drops nothing.
        #expect(summary.openRuns == limit - 1)
        #expect(summary.oldestOpenRun == E.at(3))
    }

    // MARK: too_fast

    @Test func tooFastFiresAtAShortRunsSuccessAndResolvesAtOneAtLeastMinRuntimeLong() {
        let out = Self.run(
            Self.job(minRuntime: 60),
            [
                (0, .start, nil), (30, .success, nil),  // 30 s: fires
                (100, .start, nil), (150, .success, nil),  // 50 s: still firing, no repeat
                (200, .start, nil), (259, .failure, nil),  // a failure never touches it
                (300, .success, nil),  // closes no run: neither
                (400, .start, nil), (460, .success, nil),  // exactly 60 s: resolves
            ], until: 1000)
        #expect(out.alerts == ["30 firing too_fast", "460 resolved too_fast"])
        #expect(
            out.details == [
                "run started at 1970-01-12T13:46:40Z took 30s, under min_runtime 1m",
                "run started at 1970-01-12T13:53:20Z took 1m (min_runtime 1m)",
            ])
    }

    @Test func tooFastNamesTheRunKeyAndASuccessWithoutRunLeavesItFiring() {
        let out = Self.run(
            Self.job(minRuntime: 60),
            [(0, .start, "a"), (5, .success, "a"), (10, .success, "b"), (20, .start, "c"), (90, .success, "c")],
            until: 100)
        #expect(out.alerts == ["5 firing too_fast", "90 resolved too_fast"])
        #expect(out.details.first == #"run "a" started at 1970-01-12T13:46:40Z took 5s, under min_runtime 1m"#)
    }

    /// A run that "succeeds" in milliseconds is the case `too_fast` exists for: its detail says how
    /// many, not `0s`.
    @Test func aRunUnderASecondIsReportedInMilliseconds() {
        var evaluator = Evaluator(services: [E.service(Self.job(minRuntime: 2))])
        evaluator.start(at: E.at(0))
        let start = E.at(10)
        let end = Instant(nanoseconds: start.nanoseconds + 6_400_000)
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .start, runKey: "a"), at: start)
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .success, runKey: "a"), at: end)
        let alerts = evaluator.flush()
        #expect(alerts.map(\.detail) == [#"run "a" started at 1970-01-12T13:46:50Z took 6ms, under min_runtime 2s"#])
    }

    @Test func tooFastSortsAfterEveryOtherConditionByName() {
        #expect(
            Condition.allCases.sorted().map(\.rawValue) == [
                "breach", "failing", "missing", "slow", "stuck", "too_fast",
            ])
        #expect(Self.job(minRuntime: 1).watchedConditions == [.tooFast])
    }

    // MARK: status facts

    @Test func missingSaysWhenTheLastRunStartedAndHowLongItTook() {
        let out = Self.run(
            Self.job(schedule: Schedule(kind: .every(100))),
            [(10, .start, nil), (22, .success, nil), (50, .start, "x")], until: 200)
        #expect(out.alerts == ["122 firing missing"])
        #expect(
            out.details == [
                "last success 1970-01-12T13:47:02Z; last run started 1970-01-12T13:46:50Z and took 12s;"
                    + " a run started 1970-01-12T13:47:30Z is still open;"
                    + " success (every 1m40s) was due 1970-01-12T13:48:42Z"
            ])
    }

    @Test func nextDueIsTheScheduleDueInstantBeforeGraceAndStaysWhileMissingFires() {
        var evaluator = Evaluator(services: [E.service(Self.job(schedule: Schedule(kind: .every(100), grace: 30)))])
        evaluator.start(at: E.at(0))
        #expect(evaluator.instanceSummaries().first?.nextDue == E.at(100))
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .success), at: E.at(40))
        #expect(evaluator.instanceSummaries().first?.nextDue == E.at(140))
        evaluator.advance(through: E.at(500))
        #expect(evaluator.instanceSummaries().first?.firing[.missing] == E.at(170))
        #expect(evaluator.instanceSummaries().first?.nextDue == E.at(140))
        let restored = Evaluator(services: evaluator.services, restoring: evaluator.snapshot)
        #expect(restored.instanceSummaries().first?.nextDue == E.at(140))
        #expect(Evaluator(services: [E.service(Self.job())]).instanceSummaries().isEmpty)
    }

    @Test func closedRunsNobodyTakesStayBoundedAndTheLatestAreKept() {
        var evaluator = Evaluator(services: [E.service(Self.job())])
        evaluator.start(at: E.at(0))
        for second in 1...5000 {
            evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .start), at: E.at(Int64(second)))
            evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .success), at: E.at(Int64(second)))
        }
        let kept = evaluator.takeClosedRuns()
        #expect(kept.count >= Evaluator.closedRunBufferLimit && kept.count <= 2 * Evaluator.closedRunBufferLimit)
        #expect(kept.last?.run.started == E.at(5000))
        #expect(zip(kept, kept.dropFirst()).allSatisfy { $0.run.started.seconds + 1 == $1.run.started.seconds })
    }
}
