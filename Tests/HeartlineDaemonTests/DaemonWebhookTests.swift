import Foundation
import Testing

/// The daemon delivering to a real webhook receiver on 127.0.0.1 that is down (503) for its first
/// requests, then up: every alert arrives exactly once, in order.
@Suite(.serialized)
struct DaemonWebhookTests {
    @Test func alertsOutlastAReceiverOutageAndArriveOnceInOrder() async throws {
        let receiver = try LoopbackReceiver(limit: 40, lifetime: 60, failFirst: 3)
        defer { receiver.stop() }
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "app.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: task-{n}
                failure: 'task (?<n>\\d+) failed'
                failure_burst: { count: 1, within: 1h }
            """
        ])
        try """
        patterns: patterns
        state: state
        http: { listen: "127.0.0.1:\(DaemonProcess.freePort())" }
        sinks:
          - type: webhook
            url: \(receiver.url("/hook"))
            headers: { X-Token: "${HL_TEST_TOKEN}" }
        """.write(to: directory.appendingPathComponent("heartline.yaml"), atomically: true, encoding: .utf8)
        setenv("HL_TEST_TOKEN", "s3cret-token", 1)
        let log = directory.appendingPathComponent("logs/app.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("following \(log.path)"))
        for n in 1...5 {
            try DaemonProcess.append("\(DaemonFileTests.stamp()) task \(n) failed\n", to: log)
            // Pacing of the scenario (failures spread over time); the test waits for the deliveries.
            try await Task.sleep(for: .milliseconds(300))
        }
        let deadline = ContinuousClock.now + .seconds(45)
        var delivered: [LoopbackReceiver.Request] = []
        while ContinuousClock.now < deadline {
            delivered = try receiver.requests().filter { $0.status == "200" }
            if delivered.count >= 5 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        // Nothing left in the outbox: no further (repeated) delivery can come.
        try await daemon.waitForMetrics(
            "the webhook's outbox to empty", [DaemonProcess.queued("0:webhook"): { $0 == 0 }])
        delivered = try receiver.requests().filter { $0.status == "200" }
        let jobs = delivered.map { DaemonProcess.fields($0.body)["job"] ?? "?" }
        #expect(jobs == ["task-1", "task-2", "task-3", "task-4", "task-5"])
        #expect(try receiver.requests().filter { $0.status == "503" }.count == 3)
        #expect(delivered.allSatisfy { $0.headers["x-token"] == "s3cret-token" })
        // Each alert carries its failure line as context and the daemon's host.
        for (n, request) in delivered.enumerated() {
            let fields = DaemonProcess.fields(request.body)
            #expect(fields["context"]?.hasSuffix("task \(n + 1) failed") == true, "\(request.body)")
            #expect(fields["host"]?.isEmpty == false)
        }
        #expect(!daemon.log.contains("s3cret-token"), "a secret reached the daemon's log")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}

/// The same across a restart: alerts still pending for a receiver that is down when the daemon
/// stops are delivered, once and in order, by the next daemon when the receiver is back.
@Suite(.serialized)
struct DaemonWebhookRestartTests {
    @Test func pendingAlertsSurviveARestartAndArriveOnceInOrder() async throws {
        // Down (503) for far longer than the first daemon lives.
        let receiver = try LoopbackReceiver(limit: 200, lifetime: 60, failFirst: 1000)
        defer { receiver.stop() }
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "app.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: task-{n}
                failure: 'task (?<n>\\d+) failed'
                failure_burst: { count: 1, within: 1h }
            """
        ])
        let config = directory.appendingPathComponent("heartline.yaml")
        let base = try String(contentsOf: config, encoding: .utf8)
        try (base + "sinks:\n  - type: webhook\n    url: \(receiver.url("/hook"))\n").write(
            to: config, atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("logs/app.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let first = try DaemonProcess(directory: directory)
        #expect(await first.waitForLog("following \(log.path)"))
        for n in 1...3 {
            try DaemonProcess.append("\(DaemonFileTests.stamp()) task \(n) failed\n", to: log)
        }
        // Wait until the first daemon has tried (and failed) to deliver, then stop it.
        for _ in 0..<100 where try receiver.requests().isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        first.signal(SIGTERM)
        #expect(await first.waitForExit() == 0)
        #expect(try receiver.requests().allSatisfy { $0.status == "503" })

        // The receiver comes back: a second receiver on a new port, and the same sink (the outbox
        // files alerts by the sink's position and type, so a changed URL keeps them).
        let back = try LoopbackReceiver(limit: 50, lifetime: 60)
        defer { back.stop() }
        try (base + "sinks:\n  - type: webhook\n    url: \(back.url("/hook"))\n").write(
            to: config, atomically: true, encoding: .utf8)
        let second = try DaemonProcess(directory: directory)
        var delivered: [LoopbackReceiver.Request] = []
        for _ in 0..<150 {
            delivered = try back.requests().filter { $0.status == "200" }
            if delivered.count >= 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        // Nothing left in the outbox: no further (repeated) delivery can come.
        try await second.waitForMetrics(
            "the webhook's outbox to empty", [DaemonProcess.queued("0:webhook"): { $0 == 0 }])
        delivered = try back.requests().filter { $0.status == "200" }
        #expect(delivered.map { DaemonProcess.fields($0.body)["job"] ?? "?" } == ["task-1", "task-2", "task-3"])
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)
    }
}

/// The healthchecks sink: a job's success, failure and start lines reach its `ping_url`, its
/// `/fail` and its `/start` (SPEC §4), with no change to the job.
@Suite(.serialized)
struct DaemonHealthchecksTests {
    @Test func heartbeatsHitTheURLAndItsFailAndStartPaths() async throws {
        let receiver = try LoopbackReceiver(limit: 20, lifetime: 60)
        defer { receiver.stop() }
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "backup.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: nightly
                start: 'backup started'
                success: 'snapshot saved'
                failure: 'Fatal: '
                ping_url: \(receiver.url("/ping/1a2b"))
              - name: unpinged
                success: 'other job done'
            """
        ])
        let config = directory.appendingPathComponent("heartline.yaml")
        let base = try String(contentsOf: config, encoding: .utf8)
        try (base + "sinks:\n  - type: stdout\n  - type: healthchecks\n").write(
            to: config, atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("logs/backup.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("following \(log.path)"))
        for line in ["backup started", "snapshot saved", "other job done", "Fatal: repository locked"] {
            try DaemonProcess.append("\(DaemonFileTests.stamp()) \(line)\n", to: log)
            // Pacing of the scenario (a job's lines come over time); the test waits for the pings.
            try await Task.sleep(for: .milliseconds(300))
        }
        // Pings go out in order, so once the last line's ping has arrived, so has any ping that an
        // earlier line should not have sent.
        let deadline = ContinuousClock.now + .seconds(30)
        let lastPinged = { try receiver.requests().contains { $0.path == "/ping/1a2b/fail" } }
        while try !lastPinged(), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try receiver.requests().map(\.path) == ["/ping/1a2b/start", "/ping/1a2b", "/ping/1a2b/fail"])
        let body = DaemonProcess.fields(try receiver.requests()[1].body)
        #expect(body["service"] == "backup" && body["job"] == "nightly" && body["kind"] == "success")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}

/// Firing alerts are posted to Alertmanager again at the configured interval, and the daemon
/// pings its own heartbeat URL while it runs.
@Suite(.serialized)
struct DaemonRepostAndHeartbeatTests {
    @Test func firingAlertsAreRepostedAndTheDaemonPingsItsHeartbeat() async throws {
        let alertmanager = try LoopbackReceiver(limit: 40, lifetime: 60)
        defer { alertmanager.stop() }
        let watcher = try LoopbackReceiver(limit: 40, lifetime: 60)
        defer { watcher.stop() }
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "app.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: worker
                failure: 'job failed'
                failure_burst: { count: 1, within: 1h }
            """
        ])
        let config = directory.appendingPathComponent("heartline.yaml")
        let base = try String(contentsOf: config, encoding: .utf8)
        try
            (base + """
                heartbeat: { url: "\(watcher.url("/ping/self"))", every: 1s }
                sinks:
                  - type: alertmanager
                    url: \(alertmanager.url())
                    repost: 1s

                """).write(to: config, atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("logs/app.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("following \(log.path)"))
        try DaemonProcess.append("\(DaemonFileTests.stamp()) job failed\n", to: log)
        for _ in 0..<80 where try alertmanager.requests().count < 3 { try await Task.sleep(for: .milliseconds(100)) }
        let posts = try alertmanager.requests()
        #expect(posts.count >= 3, "the first post and at least two re-posts")
        #expect(posts.allSatisfy { $0.path == "/api/v2/alerts" && $0.body.contains("HeartlineFailing") })
        #expect(try watcher.requests().count >= 2)
        #expect(try watcher.requests().allSatisfy { $0.path == "/ping/self" })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
