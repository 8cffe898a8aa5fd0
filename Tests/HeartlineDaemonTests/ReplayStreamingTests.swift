import Foundation
import Testing

/// Issue 14: replay writes each alert as soon as its instant is settled, not at the end of its
/// input. Standard input is held open after the lines that settle the alert: the alert must reach
/// standard output while replay still waits for more input.
struct ReplayStreamingTests {
    @Test func anAlertReachesStandardOutputWhileTheInputIsStillOpen() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heartline-stream-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        source: { files: [/var/log/app.log] }
        jobs:
          - name: sync
            success: 'sync done'
            failure: 'sync failed'
            failure_burst: { count: 1, within: 1h }
        """.write(to: directory.appendingPathComponent("app.yaml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = DaemonProcess.binary
        process.arguments = ["replay", "--patterns", directory.path, "--format", "jsonl", "-"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // Hand-written lines (RFC 3339 stamps, SPEC §3): the failure fires `failing` at 10:00; lines
        // a second later that match nothing follow. Replay reads the stamp of every 64th line
        // (README, "Which lines are timed"): the 64th moves its time past 10:00 and settles it.
        // Over 4 KiB in all, as replay reads that much of an input to tell what it is.
        let lines =
            "2026-03-01T10:00:00Z sync failed\n"
            + String(repeating: "2026-03-01T10:00:01Z cache warmed\n", count: 200)
        try input.fileHandleForWriting.write(contentsOf: Data(lines.utf8))
        // Read the first line of output; standard input stays open meanwhile. Should the alert not
        // come, replay is stopped after 30 s so that the read ends and the test fails, not hangs.
        let stopper = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: stopper)
        defer { stopper.cancel() }
        var received = Data()
        while !received.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
        }
        #expect(process.isRunning, "replay ended before its input did")
        let first = String(decoding: received, as: UTF8.self).split(separator: "\n").first.map(String.init)
        #expect(first?.contains(#""at":"2026-03-01T10:00:00Z""#) == true, "\(first ?? "nothing")")
        #expect(first?.contains(#""status":"firing""#) == true)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
