import Foundation
import HeartlineCore
import Testing

@testable import HeartlineState

struct StateStoreTests {
    static func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("heartline-state-\(UUID())").path
    }

    static func alert(_ seconds: Int64, _ job: String) -> Alert {
        Alert(at: Instant(seconds: seconds), service: "svc", job: job, condition: .missing, status: .firing)
    }

    static let snapshot = EvaluatorSnapshot(
        monitoringStart: Instant(seconds: 10), now: Instant(seconds: 99),
        instances: [
            .init(
                service: "svc", job: "j",
                facts: JobFacts(
                    instance: "j", monitoringStart: Instant(seconds: 10), firing: [.missing: Instant(seconds: 50)],
                    lastSuccess: Instant(seconds: 20), startedAt: nil, recentFailures: [], recentSuccesses: []))
        ],
        pending: [alert(99, "j")])

    @Test func aFirstStartHasNoCheckpoint() async throws {
        let store = try StateStore(directory: Self.directory())
        let (checkpoint, outbox) = try await store.load()
        #expect(checkpoint == nil)
        #expect(outbox.isEmpty)
    }

    @Test func aCommitIsReadBackByAFreshStoreOnTheSameDirectory() async throws {
        let directory = Self.directory()
        do {
            let store = try StateStore(directory: directory)
            let queued = try await store.commit(
                Checkpoint(evaluator: Self.snapshot, positions: ["journal": Data("cursor-1".utf8)]),
                alerts: [("stdout", Self.alert(50, "j")), ("webhook", Self.alert(50, "j"))])
            #expect(queued.map(\.sink) == ["stdout", "webhook"])
            try await store.acknowledge([queued[0].id])
        }
        let reopened = try StateStore(directory: directory)
        let (checkpoint, outbox) = try await reopened.load()
        #expect(checkpoint?.evaluator == Self.snapshot)
        #expect(checkpoint?.positions == ["journal": Data("cursor-1".utf8)])
        #expect(outbox.map(\.sink) == ["webhook"])
        #expect(outbox.first?.alert == Self.alert(50, "j"))
    }

    /// Runs (SPEC §7) are state too: open runs with and without keys, and the last closed run, come
    /// back from the database as they were saved.
    @Test func openRunsAndTheLastRunAreReadBack() async throws {
        let directory = Self.directory()
        var snapshot = Self.snapshot
        snapshot.instances[0].facts.startedAt = Instant(seconds: 40)
        snapshot.instances[0].facts.openRuns = [
            JobFacts.OpenRun(key: "b-7", started: Instant(seconds: 30)),
            JobFacts.OpenRun(key: nil, started: Instant(seconds: 40)),
        ]
        snapshot.instances[0].facts.lastRun = ClosedRun(
            key: "b-6", started: Instant(nanoseconds: 21_500_000_000), ended: Instant(seconds: 25), outcome: .failure)
        do {
            let store = try StateStore(directory: directory)
            try await store.commit(Checkpoint(evaluator: snapshot, positions: [:]), alerts: [])
        }
        let (checkpoint, _) = try await StateStore(directory: directory).load()
        #expect(checkpoint?.evaluator == snapshot)
        #expect(checkpoint?.evaluator.instances.first?.facts.lastRun?.durationSeconds == 3.5)
    }

    @Test func positionsMergeByKeyAndTheOutboxKeepsItsOrder() async throws {
        let store = try StateStore(directory: Self.directory())
        try await store.commit(
            Checkpoint(evaluator: Self.snapshot, positions: ["a": Data([1]), "b": Data([2])]),
            alerts: [
                ("s", Self.alert(1, "first"))
            ])
        try await store.commit(
            Checkpoint(evaluator: Self.snapshot, positions: ["b": Data([3])]),
            alerts: [
                ("s", Self.alert(2, "second"))
            ])
        let (checkpoint, outbox) = try await store.load()
        #expect(checkpoint?.positions == ["a": Data([1]), "b": Data([3])])
        #expect(outbox.map(\.alert.job) == ["first", "second"])
        #expect(outbox[0].id < outbox[1].id)
    }

    @Test func anUnwritableDirectoryIsAClearError() {
        #expect {
            _ = try StateStore(directory: "/proc/heartline-cannot-exist")
        } throws: { error in
            (error as? StateError)?.code == .open && "\(error)".contains("/proc/heartline-cannot-exist")
        }
    }
}
