import Foundation
import HeartlineCore
import Testing

/// Field patterns in the running daemon (issue 11): a journal job matched by journal fields alone,
/// runs paired by a field, and structured file lines that do not decode.
@Suite(.serialized)
struct DaemonFieldTests {
    /// Sends one journal entry with these fields (`logger --journald`, util-linux), as a program
    /// calling `sd_journal_send` would.
    static func send(_ fields: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/logger")
        process.arguments = ["--journald"]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        let text = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// `__REALTIME_TIMESTAMP` of each entry of `identifier`, in microseconds, by its `HL_EVENT`
    /// and `HL_RUN` (`journalctl -o export`, the journal export format).
    static func realtimes(_ identifier: String) throws -> [String: Int64] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
        process.arguments = ["-o", "export", "SYSLOG_IDENTIFIER=\(identifier)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var stamps: [String: Int64] = [:]
        for entry in output.components(separatedBy: "\n\n") {
            var fields: [String: String] = [:]
            for line in entry.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            if let event = fields["HL_EVENT"], let run = fields["HL_RUN"], let stamp = fields["__REALTIME_TIMESTAMP"] {
                stamps["\(event) \(run)"] = Int64(stamp)
            }
        }
        return stamps
    }

    @Test func aJournalJobMatchedByFieldsAloneAlertsLiveAndReportsItsRunDuration() async throws {
        guard DaemonJournalTests.startJournald.ok else {
            try Test.cancel(
                "no live systemd-journald; scripts/start-journald said: \(DaemonJournalTests.startJournald.output)")
        }
        let identifier = "hl-fields-\(UInt32.random(in: 0...UInt32.max))"
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "exports.yaml": """
            source: { journal: { identifier: \(identifier) } }
            jobs:
              - name: export
                run_key: HL_RUN
                start: { fields: { HL_EVENT: start } }
                success: { fields: { HL_EVENT: done } }
                failure: { fields: { HL_EVENT: failed } }
                failure_burst: { count: 1, within: 1h }
            """
        ])
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("ready: every source is positioned"))
        func entry(_ event: String, _ run: String, _ message: String) throws {
            try Self.send([
                "SYSLOG_IDENTIFIER": identifier, "HL_EVENT": event, "HL_RUN": run, "MESSAGE": message,
            ])
        }
        // Two runs overlap; r1 ends after r2 starts, so pairing by HL_RUN is what gives r1 its length.
        try entry("start", "r1", "export r1 started")
        try entry("start", "r2", "export r2 started")
        try entry("done", "r1", "export r1 finished")
        let stamps = try Self.realtimes(identifier)
        let r1 = try #require(stamps["done r1"]) - (try #require(stamps["start r1"]))
        let duration = "heartline_job_last_duration_seconds{service=\"exports\",job=\"export\"}"
        let successes = "heartline_job_successes_total{service=\"exports\",job=\"export\"}"
        try await daemon.waitForMetrics("r1's end", [successes: { $0 == 1 }])
        try await daemon.waitForMetrics("r1's duration", [duration: { abs($0 - Double(r1) / 1e6) < 1e-6 }])
        try entry("failed", "r2", "export r2 failed: disk full")
        #expect(
            await daemon.wait { alerts in
                alerts.contains { $0.contains("\"condition\":\"failing\"") && $0.contains("\"status\":\"firing\"") }
            })
        let failing = try #require(daemon.alerts.first { $0.contains("\"condition\":\"failing\"") })
        // The alert carries its run's own lines: r2's start and failure, not r1's.
        #expect(failing.contains("export r2 started"))
        #expect(failing.contains("export r2 failed: disk full"))
        #expect(!failing.contains("export r1"))
        let r2 = try #require(try Self.realtimes(identifier)["failed r2"]) - (try #require(stamps["start r2"]))
        try await daemon.waitForMetrics("r2's duration", [duration: { abs($0 - Double(r2) / 1e6) < 1e-6 }])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    /// Lines that are not valid in the service's format are counted per service and warned of once a
    /// minute; the good lines around them still count.
    @Test func undecodableLinesAreCountedAndTheNextLineStillCounts() async throws {
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "worker.yaml": """
            source: { files: ["LOGS/*.log"], format: auto }
            jobs:
              - name: export
                success: { fields: { msg: export done } }
            """
        ])
        let log = directory.appendingPathComponent("logs/worker.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: Data())
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("ready: every source is positioned"))
        // Hand-written after RFC 8259 and go-logfmt: an unclosed object, 10,000 levels of nesting,
        // duplicate keys (the last wins) and an unterminated quote, each before a good line.
        let deep =
            #"{"msg":"export done","a":"# + String(repeating: "[", count: 10_000)
            + String(repeating: "]", count: 10_000) + "}"
        let lines = [
            #"{"msg":"export done""#, #"{"msg":"export done"}"#, deep, #"msg="export done""#,
            #"{"msg":"export failed","msg":"export done"}"#, #"msg="export done"#, #"{"msg":"export done"}"#,
        ]
        try DaemonProcess.append(lines.joined(separator: "\n") + "\n", to: log)
        try await daemon.waitForMetrics(
            "the lines",
            [
                DaemonProcess.linesRead(log.path): { $0 == 7 },
                "heartline_lines_undecodable_total{service=\"worker\"}": { $0 == 3 },
                "heartline_job_successes_total{service=\"worker\",job=\"export\"}": { $0 == 4 },
            ])
        #expect(await daemon.waitForLog("worker: 3 lines its field patterns needed were not valid auto"))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
