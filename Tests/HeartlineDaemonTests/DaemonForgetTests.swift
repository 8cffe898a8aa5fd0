import Foundation
import HeartlineCore
import HeartlineState
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 14, must-show 3: a dynamic instance idle past `forget_after` is gone from `/api/v1/jobs`,
/// from the saved state and from the daemon's counts, and comes back fresh when its id appears again.
@Suite(.serialized)
struct DaemonForgetTests {
    static func jobs(_ port: Int) async throws -> [[String: Any]] {
        let body = try await DaemonHTTPTests.get(port, "/api/v1/jobs").body
        return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
    }

    @Test func anIdleInstanceLeavesTheAPIAndTheStateAndComesBackFresh() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "orders.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: "order-{id}"
                failure: 'order (?<id>[0-9]+) failed'
                failure_burst: { count: 2, within: 1h }
                forget_after: 2s
            """
        ])
        let log = directory.appendingPathComponent("logs/orders.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("ready: every source is positioned"))
        let port = try #require(daemon.httpPort)
        // Hand-written lines (any text the pattern matches); no stamp: each takes the time it is read.
        try DaemonProcess.append("order 1 failed\norder 2 failed\n", to: log)
        try await daemon.waitForMetrics(
            "the lines", ["heartline_job_failures_total{service=\"orders\",job=\"order-1\"}": { $0 == 1 }])
        #expect(try await Self.jobs(port).compactMap { $0["job"] as? String }.sorted() == ["order-1", "order-2"])
        // Both idle for 2 s with nothing firing (one failure of two): both go.
        try await daemon.waitForMetrics("the forgetting", ["heartline_instances_forgotten_total": { $0 == 2 }])
        #expect(try await Self.jobs(port).isEmpty)
        // Back fresh: a second failure of order 1 is its first now, so nothing fires.
        try DaemonProcess.append("order 1 failed\n", to: log)
        try await daemon.waitForMetrics(
            "order 1 again", ["heartline_job_failures_total{service=\"orders\",job=\"order-1\"}": { $0 == 1 }])
        let jobs = try await Self.jobs(port)
        #expect(jobs.compactMap { $0["job"] as? String } == ["order-1"])
        #expect(jobs.first?["failures"] as? Int == 1)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        #expect(daemon.alerts.isEmpty, "\(daemon.alerts)")
        // The saved state holds order 1's new instance only.
        let store = try StateStore(directory: directory.appendingPathComponent("state").path)
        let saved = try #require(try await store.load().checkpoint)
        #expect(saved.evaluator.instances.map(\.facts.instance) == ["order-1"])
    }
}
