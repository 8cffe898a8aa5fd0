import Foundation
import Glibc
import Testing

/// Issue 17, item 5: a full disk under the state directory no longer ends the daemon. On a small
/// tmpfs filled to the last byte, commits fail; the daemon keeps reading, holds its alerts in
/// memory, answers 503 on `/healthz` and says so in `/metrics`; once space returns it saves them
/// and delivers each exactly once.
@Suite(.serialized)
struct DaemonFullDiskTests {
    /// Runs a command to its end; its exit status.
    @discardableResult
    static func run(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Fills the filesystem of `directory` with one file of zeros until no byte is left.
    static func fill(_ file: String) {
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0, count: 65536)
        var size = block.count
        while size > 0 {
            let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress, size) }
            if written < 0 { size /= 2 }
        }
    }

    @Test func aFullStateDiskHoldsAlertsAnswers503AndDeliversThemOnceSpaceReturns() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "jobs.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: "job-{n}"
                failure: 'job (?<n>[0-9]+) failed'
                failure_burst: { count: 1, within: 1h }
            """
        ])
        let state = directory.appendingPathComponent("state").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        guard getuid() == 0, try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", state]) == 0 else {
            try Test.cancel("mounting a 4 MiB tmpfs needs root and mount(8); not available here")
        }
        defer { _ = try? Self.run("/bin/umount", ["-l", state]) }
        let log = directory.appendingPathComponent("logs/app.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("ready: every source is positioned"))
        let port = try #require(daemon.httpPort)
        #expect(try await DaemonHTTPTests.get(port, "/healthz").status == 200)

        let filler = state + "/filler"
        Self.fill(filler)
        try DaemonProcess.append((1...5).map { "job \($0) failed\n" }.joined(), to: log)
        try await daemon.waitForMetrics(
            "the failed commit", [DaemonProcess.linesRead(log.path): { $0 == 5 }, "heartline_alerts_held": { $0 == 5 }])
        try await daemon.waitForMetrics("the failure", ["heartline_state_store_failing": { $0 == 1 }])
        let health = try await DaemonHTTPTests.get(port, "/healthz")
        #expect(health.status == 503)
        #expect(health.body.hasPrefix("state: cannot write the state database"), "\(health.body)")
        #expect(health.body.contains("5 alerts held in memory"))
        #expect(daemon.alerts.isEmpty, "alerts went out before they were saved: \(daemon.alerts)")
        #expect(await daemon.waitForLog("database or disk is full"))

        #expect(unlink(filler) == 0)
        try await daemon.waitForMetrics(
            "the recovery", ["heartline_state_store_failing": { $0 == 0 }, "heartline_alerts_held": { $0 == 0 }])
        #expect(await daemon.wait { $0.count >= 5 })
        #expect(try await DaemonHTTPTests.get(port, "/healthz").status == 200)
        #expect(await daemon.waitForLog("state store writable again"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        // Each alert once: the job names of the five, in order, and nothing else.
        let jobs = daemon.alerts.map { DaemonProcess.fields($0)["job"] ?? "" }
        #expect(jobs == (1...5).map { "job-\($0)" })
    }
}
