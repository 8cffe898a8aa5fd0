import Foundation
import HeartlineCore
import Testing

/// The daemon against real files, as an operator runs it: `heartline run` as a child process.
@Suite(.serialized)
struct DaemonFileTests {
    static func stamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }

    /// SPEC §4 and the daemon issue's first test: when a job stops, `missing` fires at due plus
    /// grace (and reaches stdout within a second of it); when it runs again, the alert resolves.
    @Test func missingFiresAtDuePlusGraceWithinASecondAndResolves() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "app.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: worker
                success: 'job done'
                schedule: { every: 2s, grace: 1s }
            """
        ])
        let log = directory.appendingPathComponent("logs/app.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data("boot\n".utf8))
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("following \(log.path)"))
        try DaemonProcess.append("\(Self.stamp()) job done\n", to: log)
        let written = Instant(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
        // On a loaded machine the job may already have gone missing from the daemon's own start
        // before this line was read; the alert this test is about is the one after the line.
        func afterWrite(_ line: String) -> Bool {
            line.contains("\"status\":\"firing\"") && (DaemonProcess.at(line).map { $0 > written } ?? false)
        }
        #expect(await daemon.wait { $0.contains(where: afterWrite) })
        let firing = try #require(daemon.timedAlerts.first { afterWrite($0.text) })
        #expect(DaemonProcess.fields(firing.text)["condition"] == "missing")
        let due = try #require(DaemonProcess.at(firing.text))
        // Due 3 s after the success line (a whole-second stamp, read within the same second).
        let expected = try #require(written.adding(seconds: 3))
        #expect(abs(due.nanoseconds - expected.nanoseconds) < 1_100_000_000)
        let lateness = try #require(DaemonProcess.lateness(firing))
        #expect(lateness < 1.0, "the alert reached stdout \(lateness) s after it was due")

        try DaemonProcess.append("\(Self.stamp()) job done\n", to: log)
        #expect(
            await daemon.wait {
                $0.contains {
                    $0.contains("\"status\":\"resolved\"") && (DaemonProcess.at($0).map { $0 > due } ?? false)
                }
            })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    /// Issue 17, item 1: an executable that a glob matches, holding the success text, is refused by
    /// the rule replay uses (a warning in replay's words, counted in `/metrics`) and makes no
    /// heartbeat; the text log beside it still does.
    @Test func binaryFileMatchingAGlobIsRefusedAndMakesNoHeartbeat() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "app.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: backup
                success: 'backup finished ok'
                schedule: { every: 1h, grace: 5m }
            """
        ])
        let log = directory.appendingPathComponent("logs/app.log")
        let tool = directory.appendingPathComponent("logs/tool.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("ready: every source is positioned"))
        var executable = try Data(contentsOf: URL(fileURLWithPath: "/bin/true"))
        executable.append(contentsOf: Array("\n\(Self.stamp()) backup finished ok\n".utf8))
        try executable.write(to: directory.appendingPathComponent("logs/tool.tmp"))
        #expect(rename(directory.appendingPathComponent("logs/tool.tmp").path, tool.path) == 0)
        try DaemonProcess.append("\(Self.stamp()) backup finished ok\n", to: log)
        try await daemon.waitForMetrics(
            "the binary file refused and the text line read",
            [
                #"heartline_files_refused_total{reason="binary"}"#: { $0 == 1 },
                DaemonProcess.linesRead(log.path): { $0 == 1 },
                #"heartline_job_successes_total{service="app",job="backup"}"#: { $0 == 1 },
            ])
        #expect(daemon.log.contains("\(tool.path): looks like a binary file (ELF executable); not a log"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    /// `kill -9` in the middle of a stream, then a restart: every line counted exactly once
    /// (job `a{n}` fires once per line; `b{n}` would fire if a line were counted twice), and
    /// every alert delivered exactly once.
    @Test func killNineMidStreamLosesNothingAndDoublesNothing() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "beats.yaml": """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: a{n}
                failure: 'beat (?<n>\\d+)'
                failure_burst: { count: 1, within: 1h }
              - name: b{n}
                failure: 'beat (?<n>\\d+)'
                failure_burst: { count: 2, within: 1h }
              - name: end
                failure: 'the end$'
                failure_burst: { count: 1, within: 1h }
            """
        ])
        let log = directory.appendingPathComponent("logs/beats.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let total = 3000
        var first: DaemonProcess? = try DaemonProcess(directory: directory)
        #expect(await first!.waitForLog("following \(log.path)"))
        var next = 0
        func write(_ count: Int) throws {
            let text = (next..<(next + count)).map { "\(Self.stamp()) beat \($0)\n" }.joined()
            try DaemonProcess.append(text, to: log)
            next += count
        }
        // The writes are paced (part of the scenario) so that the kill lands mid-stream.
        for _ in 0..<10 {
            try write(100)
            try await Task.sleep(for: .milliseconds(30))
        }
        first!.signal(SIGKILL)
        _ = await first!.waitForExit()
        let before = first!.alerts
        first = nil
        #expect(before.count <= 1000, "the first daemon cannot have seen more than the first 1000 lines")
        try write(1000)
        let second = try DaemonProcess(directory: directory)
        for _ in 0..<10 {
            try write(100)
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(next == total)
        let all = { before + second.alerts }
        // A last line with an alert of its own: once that alert is out, every line before it was
        // evaluated and its alerts delivered, so a line counted twice would have shown.
        try DaemonProcess.append("\(Self.stamp()) the end\n", to: log)
        let isEnd = { (line: String) in DaemonProcess.fields(line)["job"] == "end" }
        #expect(await second.wait(timeout: .seconds(30)) { _ in all().contains(where: isEnd) })
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)

        // A kill between an alert's write to stdout and its removal from the outbox sends it
        // again after the restart, with the same delivery id; a repeat under a new id would be a
        // second alert, which must not happen.
        var byID: [String: String] = [:]
        for line in all() {
            let fields = DaemonProcess.fields(line)
            let id = try #require(DaemonProcess.idText(line), "an alert without its delivery id: \(line)")
            let job = fields["job"] ?? "?"
            #expect(byID[id] == nil || byID[id] == job, "id \(id) carried two different alerts")
            byID[id] = job
        }
        #expect(byID.values.filter { $0 == "end" }.count == 1)
        let jobs = byID.values.filter { $0 != "end" }
        #expect(jobs.filter { $0.hasPrefix("b") }.isEmpty, "a line was counted twice")
        #expect(jobs.count == total, "\(jobs.count) distinct alerts for \(total) lines")
        #expect(Set(jobs) == Set((0..<total).map { "a\($0)" }), "a line was lost or an alert repeated")
    }

    /// SIGHUP with a broken pattern file: the error is logged and the old rules keep working.
    /// SIGHUP with the fixed file: the new rules are active and job states are kept.
    @Test func sighupKeepsOldRulesOnABadFileAndCarriesStatesOver() async throws {
        let patterns = """
            source: { files: ["LOGS/*.log"] }
            jobs:
              - name: worker
                success: 'job done'
                failure: 'job failed'
                failure_burst: { count: 2, within: 1h }
            """
        let directory = try DaemonProcess.makeDirectory(patterns: ["app.yaml": patterns])
        let file = directory.appendingPathComponent("patterns/app.yaml")
        let log = directory.appendingPathComponent("logs/app.log")
        let written = patterns.replacingOccurrences(of: "LOGS", with: directory.appendingPathComponent("logs").path)
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("following \(log.path)"))
        try DaemonProcess.append("\(Self.stamp()) job failed\n", to: log)
        // Read and counted under the first rules before they are reloaded.
        try await daemon.waitForMetrics(
            "the first failure to be read", [DaemonProcess.linesRead(log.path): { $0 >= 1 }])

        try written.replacingOccurrences(of: "'job failed'", with: "'job (failed'").write(
            to: file, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(await daemon.waitForLog("reload failed"))
        #expect(daemon.log.contains("app.yaml:5:"), "the error names FILE:LINE:COLUMN")
        // The old rule still counts: this second failure makes the burst.
        try DaemonProcess.append("\(Self.stamp()) job failed\n", to: log)
        #expect(await daemon.wait { $0.contains { $0.contains("\"condition\":\"failing\"") } })

        try written.replacingOccurrences(of: "'job failed'", with: "'task crashed'").write(
            to: file, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(await daemon.waitForLog("reloaded"))
        // States carried over: still failing, so no second firing; the old text no longer counts.
        try DaemonProcess.append("\(Self.stamp()) job failed\n\(Self.stamp()) task crashed\n", to: log)
        // Both lines evaluated and any alert they raised delivered: a second firing would be out.
        try await daemon.waitForMetrics(
            "the last two lines to be read and their alerts delivered",
            [DaemonProcess.linesRead(log.path): { $0 >= 4 }, DaemonProcess.queued("0:stdout"): { $0 == 0 }])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        #expect(daemon.alerts.filter { $0.contains("\"condition\":\"failing\"") }.count == 1)
    }
}

/// The daemon issue's rotation test, through the daemon's own counters: 100,000 lines written while
/// the file is rotated 10 times by rename, once by copytruncate and once by delete-and-recreate;
/// every line is read and matched exactly once.
@Suite(.serialized)
struct DaemonRotationTests {
    @Test func everyLineIsCountedOnceAcrossTwelveRotations() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "beats.yaml": """
            source: { files: ["LOGS/app.log"] }
            jobs:
              - name: beat
                success: 'beat [0-9]+$'
            """
        ])
        let path = directory.appendingPathComponent("logs/app.log").path
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        // New files the daemon has opened at the path. A copytruncate's restart logs "following …
        // from byte 0" too, right after its "was rotated (copytruncate)", so such a line is not
        // counted: taken for an opening, a restart noticed just after the next rename let the test
        // rename the new file away before the daemon had opened it, and that file's lines were lost
        // (about 1 run in 5). Each line is judged by the line before it, so a count once made
        // never changes, whenever the log is read.
        func opened() -> Int {
            var count = 0
            var afterTruncation = false
            for line in daemon.log.split(separator: "\n") {
                if line.contains("following \(path) from") {
                    count += afterTruncation ? 0 : 1
                    afterTruncation = false
                } else if line.contains("\(path) was rotated") {
                    afterTruncation = line.contains("(copytruncate)")
                }
            }
            return count
        }
        #expect(await daemon.waitForLog("following \(path)"))
        let total = 100_000
        let rotations = [
            "rename", "rename", "rename", "rename", "rename", "copytruncate", "rename", "rename",
            "recreate", "rename", "rename", "rename",
        ]
        let perSegment = total / (rotations.count + 1)
        var next = 0
        func write(_ count: Int) throws {
            let end = min(total, next + count)
            let text = (next..<end).map { "beat \($0)\n" }.joined()
            try DaemonProcess.append(text, to: URL(fileURLWithPath: path))
            next = end
        }
        for (index, rotation) in rotations.enumerated() {
            while next < (index + 1) * perSegment { try write(1000) }
            let before = opened()
            switch rotation {
            case "rename":
                #expect(rename(path, "\(path).\(index)") == 0)
                _ = FileManager.default.createFile(atPath: path, contents: Data())
            case "recreate":
                #expect(unlink(path) == 0)
                _ = FileManager.default.createFile(atPath: path, contents: Data())
            default:
                // logrotate's copytruncate: lines written between the last read and the truncation
                // would exist only in the copy, so the writer pauses until the daemon has read them.
                // After the truncation it goes straight on, and the next rotation (a rename) follows
                // at once, possibly before the daemon has looked at the truncated file again.
                let written = Double(next)
                try await daemon.waitForMetrics(
                    "the daemon to read every line before the copytruncate",
                    [DaemonProcess.linesRead(path): { $0 >= written }])
                #expect(copyfile(path, "\(path).\(index)"))
                #expect(truncate(path, 0) == 0)
            }
            if rotation != "copytruncate" {
                // A file renamed away before the daemon ever opened it could not be found again.
                let deadline = ContinuousClock.now + .seconds(30)
                while opened() == before, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(25))
                }
                try #require(opened() > before, "the daemon did not open the new \(path) within 30 s")
            }
        }
        while next < total { try write(1000) }
        try await daemon.waitForMetrics(
            "the daemon to read every line", timeout: .seconds(60),
            [DaemonProcess.linesRead(path): { $0 >= Double(total) }])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let counted = daemon.log.split(separator: "\n").filter { $0.contains("source \(path):") }
        #expect(counted.count == 1, "\(daemon.log)")
        #expect(counted.first?.hasSuffix("\(total) lines read, \(total) matched") == true, "\(counted)")
    }

    private func copyfile(_ from: String, _ to: String) -> Bool {
        (try? FileManager.default.copyItem(atPath: from, toPath: to)) != nil
    }
}
