import Foundation
import HeartlineCore
import Testing

/// The daemon following two jobs live, one logging through journald (`systemd-cat -t NAME`), one
/// writing a file: when both stop, `missing` fires for each at due plus grace, reaching stdout
/// within a second; when they log again, both resolve.
@Suite(.serialized)
struct DaemonJournalTests {
    static let startJournald: (ok: Bool, output: String) = {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/start-journald").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return (false, "\(error)")
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus == 0, output)
    }()

    static func systemdCat(_ identifier: String, _ line: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-cat")
        process.arguments = ["-t", identifier]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    @Test func aJournalJobAndAFileJobGoMissingAndComeBack() async throws {
        guard Self.startJournald.ok else {
            try Test.cancel("no live systemd-journald; scripts/start-journald said: \(Self.startJournald.output)")
        }
        let identifier = "hl-daemon-\(UInt32.random(in: 0...UInt32.max))"
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "mailer.yaml": """
            source: { journal: { identifier: \(identifier) } }
            jobs:
              - name: queue
                success: 'queue flushed'
                schedule: { every: 2s, grace: 1s }
            """,
            "exports.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: export
                success: 'export finished'
                schedule: { every: 2s, grace: 1s }
            """,
        ])
        let log = directory.appendingPathComponent("logs/exports.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("following \(log.path)"))
        #expect(await daemon.waitForLog("journal available"))
        var lastWrite = Instant(nanoseconds: 0)
        for _ in 0..<2 {
            try Self.systemdCat(identifier, "queue flushed")
            try DaemonProcess.append("\(DaemonFileTests.stamp()) export finished\n", to: log)
            lastWrite = Instant(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
            // The jobs' heartbeat, part of the scenario: two runs 700 ms apart, then silence. Nothing
            // is checked after it; the test then waits for the daemon's alerts.
            try await Task.sleep(for: .milliseconds(700))
        }
        // Both stop: each goes missing 3 s after its last success. (On a loaded machine a job may
        // also have gone missing from the daemon's start, before its first line was read.)
        func firingAfterWrites(_ line: String) -> Bool {
            line.contains("\"status\":\"firing\"") && (DaemonProcess.at(line).map { $0 > lastWrite } ?? false)
        }
        #expect(await daemon.wait { $0.filter(firingAfterWrites).count == 2 })
        let firing = daemon.timedAlerts.filter { firingAfterWrites($0.text) }
        #expect(Set(firing.map { DaemonProcess.fields($0.text)["service"] ?? "" }) == ["mailer", "exports"])
        for alert in firing {
            let lateness = try #require(DaemonProcess.lateness(alert))
            #expect(lateness < 1.0, "\(alert.text) reached stdout \(lateness) s after it was due")
        }
        let resolvedBefore = daemon.alerts.filter { $0.contains("\"status\":\"resolved\"") }.count
        try Self.systemdCat(identifier, "queue flushed")
        try DaemonProcess.append("\(DaemonFileTests.stamp()) export finished\n", to: log)
        #expect(await daemon.wait { $0.filter { $0.contains("\"status\":\"resolved\"") }.count == resolvedBefore + 2 })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
