import Foundation
import Testing

@testable import HeartlineCore

/// A restart must be invisible: saving the evaluator, loading it back and going on gives the same
/// alerts as never stopping, whichever event the restart falls after.
struct EvaluatorSnapshotTests {
    typealias E = EvaluatorTests

    static let services = [
        E.service(
            E.job("every", schedule: Schedule(kind: .every(100), grace: 10)),
            E.job("stuck", maxRuntime: 50),
            E.job("burst", failureBurst: RateWindow(count: 2, within: 60)),
            E.job("slow", minCount: RateWindow(count: 2, within: 120)),
            E.job("gauge", threshold: .above(5)),
            E.job("q-{x}", schedule: Schedule(kind: .every(80))))
    ]

    static let events: [(Int64, Int, String, JobEvent.Kind)] = [
        (10, 0, "every", .success), (20, 1, "stuck", .start), (30, 2, "burst", .failure),
        (40, 2, "burst", .failure), (45, 5, "q-a", .success), (50, 3, "slow", .success),
        (60, 4, "gauge", .measure(7)), (90, 3, "slow", .success), (100, 4, "gauge", .measure(3)),
        (150, 5, "q-b", .success), (200, 0, "every", .success), (230, 1, "stuck", .start),
        (240, 1, "stuck", .success), (300, 2, "burst", .failure), (310, 2, "burst", .failure),
        (400, 3, "slow", .success),
    ]

    static func alerts(_ evaluator: inout Evaluator, _ events: ArraySlice<(Int64, Int, String, JobEvent.Kind)>)
        -> [Alert]
    {
        var out: [Alert] = []
        for (seconds, job, instance, kind) in events {
            evaluator.apply(JobEvent(service: 0, job: job, instance: instance, kind: kind), at: E.at(seconds))
            out += evaluator.takeAlerts()
        }
        return out
    }

    @Test func aRestartAfterAnyEventChangesNoAlert() throws {
        var straight = Evaluator(services: Self.services)
        straight.start(at: E.at(0))
        var expected = Self.alerts(&straight, Self.events[...])
        straight.advance(through: E.at(1000))
        expected += straight.flush()
        #expect(expected.count > 10)

        for split in 0...Self.events.count {
            var first = Evaluator(services: Self.services)
            first.start(at: E.at(0))
            var got = Self.alerts(&first, Self.events[..<split])
            let saved = try JSONEncoder().encode(first.snapshot)
            var second = Evaluator(
                services: Self.services, restoring: try JSONDecoder().decode(EvaluatorSnapshot.self, from: saved))
            got += Self.alerts(&second, Self.events[split...])
            second.advance(through: E.at(1000))
            got += second.flush()
            #expect(got == expected, "restart after event \(split)")
        }
    }

    @Test func aReloadedScheduleTakesEffectFromTheLastSuccess() {
        var evaluator = Evaluator(services: [E.service(E.job("j", schedule: Schedule(kind: .every(100))))])
        evaluator.start(at: E.at(0))
        evaluator.apply(JobEvent(service: 0, job: 0, instance: "j", kind: .success), at: E.at(50))
        let reloaded = [E.service(E.job("j", schedule: Schedule(kind: .every(300))))]
        var after = Evaluator(services: reloaded, restoring: evaluator.snapshot)
        after.advance(through: E.at(1000))
        #expect(after.flush().map(\.at) == [E.at(350)])
    }

    @Test func aJobAddedByAReloadStartsAtTheOriginalMonitoringStart() {
        var evaluator = Evaluator(services: [E.service(E.job("a"))])
        evaluator.start(at: E.at(0))
        let reloaded = [E.service(E.job("a"), E.job("b", schedule: Schedule(kind: .every(100))))]
        var after = Evaluator(services: reloaded, restoring: evaluator.snapshot)
        after.advance(through: E.at(1000))
        #expect(after.flush().map { "\($0.at.seconds - E.t0) \($0.job)" } == ["100 b"])
    }
}
