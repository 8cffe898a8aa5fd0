import Foundation
import Glibc
import Testing

/// Issue 17, item 4: what the daemon skips or bends is said in its log and counted in `/metrics`:
/// matching lines without a readable stamp or going back in time, a saved position that no longer
/// fits its file, and a patterns directory with nothing in it.
@Suite(.serialized)
struct DaemonSkipTests {
    static let patterns = [
        "app.yaml": """
        source: { files: ["LOGS/*.log"] }
        jobs:
          - name: sync
            success: 'sync done'
        """
    ]

    @Test func unstampedAndBackwardMatchingLinesAreCountedAndLogged() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: Self.patterns)
        let log = directory.appendingPathComponent("logs/app.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("ready: every source is positioned"))
        // Hand-written: RFC 3339 stamps (SPEC §3); the third line is an hour older than the first,
        // the second has no stamp, the fourth has none but matches nothing.
        let now = Date()
        let formatter = ISO8601DateFormatter()
        let lines = [
            "\(formatter.string(from: now)) sync done",
            "sync done without a stamp",
            "\(formatter.string(from: now.addingTimeInterval(-3600))) sync done an hour late",
            "a line that matches nothing",
        ]
        try DaemonProcess.append(lines.joined(separator: "\n") + "\n", to: log)
        let source = "source=\"\(log.path)\""
        try await daemon.waitForMetrics(
            "the lines",
            [
                DaemonProcess.linesRead(log.path): { $0 == 4 },
                "heartline_lines_unstamped_total{\(source)}": { $0 == 1 },
                "heartline_lines_backward_total{\(source)}": { $0 == 1 },
            ])
        #expect(await daemon.waitForLog("\(log.path): 1 matching lines without a readable timestamp"))
        #expect(await daemon.waitForLog("\(log.path): 1 matching lines went back in time"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    /// A file rewritten shorter while the daemon was stopped (same inode): its saved position is
    /// discarded with a warning naming both sizes, counted, and the file read from byte 0.
    @Test func aStaleSavedPositionIsDiscardedWithAWarningAndCounted() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: Self.patterns)
        let log = directory.appendingPathComponent("logs/app.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let first = try DaemonProcess(directory: directory)
        #expect(await first.waitForLog("ready: every source is positioned"))
        let before = (0..<10).map { "line \($0) sync done\n" }.joined()
        try DaemonProcess.append(before, to: log)
        try await first.waitForMetrics("the lines", [DaemonProcess.linesRead(log.path): { $0 == 10 }])
        first.signal(SIGTERM)
        #expect(await first.waitForExit() == 0)
        // Rewritten in place (O_TRUNC keeps the inode), shorter than the saved position.
        let after = "rewritten sync done\n"
        let handle = try FileHandle(forWritingTo: log)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(after.utf8))
        try handle.close()
        let second = try DaemonProcess(directory: directory)
        #expect(
            await second.waitForLog(
                "\(log.path): the file is \(after.utf8.count) bytes now, shorter than the saved position "
                    + "(byte \(before.utf8.count)): it was truncated or rewritten while Heartline was stopped"))
        try await second.waitForMetrics(
            "the rewritten line",
            [DaemonProcess.linesRead(log.path): { $0 == 1 }, "heartline_positions_discarded_total": { $0 == 1 }])
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)
    }

    @Test func anEmptyPatternsDirectoryIsSaid() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: [:])
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("no pattern files (*.yaml); nothing is watched until one is added"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let check = try DaemonProcess.run(["check", "--patterns", directory.appendingPathComponent("patterns").path])
        #expect(check.status == 1)
        #expect(check.stderr.contains("no pattern files (*.yaml); each service is one YAML file in it"))
    }
}
