import Foundation
import GRDB
import HeartlineCore
import Testing

@testable import HeartlineState

/// Checkpoints of what changed (issue 14): an evaluator driven through thousands of events, saved
/// as deltas after every batch, loads back exactly as its whole snapshot, dropped instances included.
struct StateStoreDeltaTests {
    static func makeService() throws -> ServiceSpec {
        try PatternFileParser.parse(
            """
            source: { files: [/var/log/shop.log] }
            jobs:
              - name: "order-{id}"
                success: 'order (?<id>[0-9]+) shipped'
                failure: 'order (?<id>[0-9]+) failed'
                failure_burst: { count: 2, within: 10m }
                forget_after: 1h
              - name: shop
                success: 'shop open'
                schedule: { every: 30m }
            """, path: "shop.yaml")
    }

    /// The snapshot with its instances in a fixed order, for comparison.
    static func sorted(_ snapshot: EvaluatorSnapshot) -> EvaluatorSnapshot {
        var copy = snapshot
        copy.instances.sort { ($0.service, $0.job, $0.facts.instance) < ($1.service, $1.job, $1.facts.instance) }
        return copy
    }

    @Test func deltasSavedBatchByBatchLoadBackAsTheWholeSnapshot() async throws {
        let store = try StateStore(directory: StateStoreTests.directory())
        let service = try Self.makeService()
        var evaluator = Evaluator(services: [service])
        evaluator.start(at: Instant(seconds: 1_000_000))
        var sizes: [Int] = []
        for batch in 0..<40 {
            for step in 0..<50 {
                let second = Int64(1_000_000 + batch * 600 + step * 10)
                let order = (batch * 50 + step) % 700
                let kind: JobEvent.Kind = step % 3 == 0 ? .failure : .success
                evaluator.apply(
                    JobEvent(service: 0, job: 0, instance: "order-\(order)", kind: kind), at: Instant(seconds: second))
                if step == 25 {
                    evaluator.apply(
                        JobEvent(service: 0, job: 1, instance: "shop", kind: .success), at: Instant(seconds: second))
                }
            }
            _ = evaluator.takeAlerts()
            let delta = evaluator.takeDelta()
            sizes.append(delta.snapshot.instances.count)
            _ = try await store.commit(Checkpoint(delta: delta, positions: [:]), alerts: [])
        }
        // The first holds every instance; later ones only those of their batch (at most 51).
        #expect(sizes.dropFirst().allSatisfy { $0 <= 51 })
        #expect(evaluator.forgottenCount > 0)
        let loaded = try #require(try await store.load().checkpoint)
        #expect(Self.sorted(loaded.evaluator) == Self.sorted(evaluator.snapshot))
        // And restored, it goes on as the original does.
        var restored = Evaluator(services: [service], restoring: loaded.evaluator)
        var original = evaluator
        restored.advance(through: Instant(seconds: 1_100_000))
        original.advance(through: Instant(seconds: 1_100_000))
        #expect(restored.flush() == original.flush())
    }

    /// A complete checkpoint replaces what was saved: instances of jobs that are gone do not stay.
    @Test func aCompleteCheckpointReplacesEverySavedInstance() async throws {
        let store = try StateStore(directory: StateStoreTests.directory())
        var first = StateStoreTests.snapshot
        first.instances.append(
            .init(
                service: "svc", job: "gone",
                facts: JobFacts(
                    instance: "gone", monitoringStart: Instant(seconds: 10), firing: [:], lastSuccess: nil,
                    startedAt: nil, recentFailures: [], recentSuccesses: [])))
        _ = try await store.commit(Checkpoint(evaluator: first, positions: [:]), alerts: [])
        _ = try await store.commit(Checkpoint(evaluator: StateStoreTests.snapshot, positions: [:]), alerts: [])
        #expect(try await store.load().checkpoint?.evaluator == StateStoreTests.snapshot)
    }

    /// A database written before instances had rows keeps them in its header, and still loads.
    @Test func aHeaderWithItsInstancesFromBeforeRowsStillLoads() async throws {
        let directory = StateStoreTests.directory()
        _ = try StateStore(directory: directory)
        let queue = try DatabaseQueue(path: directory + "/heartline.sqlite")
        let blob = try JSONEncoder().encode(StateStoreTests.snapshot)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO checkpoint (id, evaluator) VALUES (1, ?)", arguments: [blob])
        }
        let store = try StateStore(directory: directory)
        #expect(try await store.load().checkpoint?.evaluator == StateStoreTests.snapshot)
    }
}
