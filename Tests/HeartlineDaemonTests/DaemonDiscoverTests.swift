import Foundation
import HeartlineCore
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `discover: { timers: true }` in the running daemon (issue 12): the enabled timers of a tree
/// (`root:`) become watched services at start and at SIGHUP, a pattern file of the same service
/// name wins, `heartline status` and `/api/v1/jobs` mark them, and a failed run of a timer's unit
/// is `failing` live with the run's lines in its context.
///
/// PID 1 cannot be made to write here (the tests start journald by hand, with no systemd as PID
/// 1), and `_PID=1`, which `systemd.yaml` selects, is a field journald sets from the sender's
/// credentials. So the test sends, as root, the entries PID 1 wrote for the real failed run of
/// logrotate.service in fixtures/discover/timers.export (their MESSAGE, MESSAGE_ID, UNIT,
/// INVOCATION_ID, UNIT_RESULT, JOB_RESULT), with `OBJECT_SYSTEMD_UNIT` naming the unit: an entry
/// that `journalctl -u UNIT` shows too (from a process running as root, about the unit), and that
/// the discovered service's `unit:` source reads for the same reason. The unit's own output
/// (logrotate's error lines) would carry `_SYSTEMD_INVOCATION_ID`, which only journald can set;
/// `RunContextTests` covers it.
@Suite(.serialized)
struct DaemonDiscoverTests {
    /// A tree with an enabled timer `NAME.timer` (Debian 12's logrotate.timer, as in
    /// fixtures/discover/debian12) and its service, in Etc/UTC.
    static func addTimer(_ name: String, to root: URL) throws {
        let source = CheckConfigTests.root.appendingPathComponent("fixtures/discover/debian12/lib/systemd/system")
        let units = root.appendingPathComponent("lib/systemd/system")
        let wants = root.appendingPathComponent("etc/systemd/system/timers.target.wants")
        try FileManager.default.createDirectory(at: units, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: wants, withIntermediateDirectories: true)
        for suffix in ["timer", "service"] {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent("logrotate.\(suffix)"),
                to: units.appendingPathComponent("\(name).\(suffix)"))
        }
        try FileManager.default.createSymbolicLink(
            atPath: wants.appendingPathComponent("\(name).timer").path,
            withDestinationPath: "/lib/systemd/system/\(name).timer")
        try "Etc/UTC\n".write(to: root.appendingPathComponent("etc/timezone"), atomically: true, encoding: .utf8)
    }

    /// `/api/v1/jobs` as JSON objects.
    static func jobs(_ daemon: DaemonProcess) async throws -> [[String: Any]] {
        let port = try #require(daemon.httpPort)
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/api/v1/jobs"))
        let (data, _) = try await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: 5))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }

    @Test func aDiscoveredTimersFailedRunIsFailingLiveWithItsRunsLines() async throws {
        guard DaemonJournalTests.startJournald.ok else {
            try Test.cancel(
                "no live systemd-journald; scripts/start-journald said: \(DaemonJournalTests.startJournald.output)")
        }
        let tag = UInt32.random(in: 0...UInt32.max)
        let name = "hlrotate-\(tag)"
        let directory = try DaemonProcess.makeDirectory(patterns: [:])
        let root = directory.appendingPathComponent("root")
        try Self.addTimer(name, to: root)
        let config = directory.appendingPathComponent("heartline.yaml")
        try DaemonProcess.append("discover: { timers: true, root: root }\n", to: config)
        let daemon = try DaemonProcess(directory: directory)
        #expect(await daemon.waitForLog("ready: every source is positioned"))
        #expect(daemon.log.contains("  \(name): 1 jobs; journal (unit \(name).service); discovered from "))

        // PID 1's entries of the failed run, fields as recorded (timers.export, 2026-12-08 02:20:52).
        let unit = "\(name).service"
        let invocation = String(format: "%08x", tag) + "9af7451292ba6eb479703d76"
        func pid1(_ fields: [String: String]) throws {
            try DaemonFieldTests.send(
                fields.merging([
                    "SYSLOG_IDENTIFIER": "systemd", "UNIT": unit, "OBJECT_SYSTEMD_UNIT": unit,
                    "INVOCATION_ID": invocation,
                ]) { $1 })
        }
        try pid1([
            "MESSAGE_ID": "7d4958e842da4a758f6c1cdc7b36dcc5", "MESSAGE": "Starting \(unit) - Rotate log files...",
            "JOB_TYPE": "start",
        ])
        try pid1([
            "MESSAGE_ID": "98e322203f7a4ed290d09fe03c09fe15", "EXIT_CODE": "exited", "EXIT_STATUS": "1",
            "MESSAGE": "\(unit): Main process exited, code=exited, status=1/FAILURE",
        ])
        try pid1([
            "MESSAGE_ID": "d9b373ed55a64feb8242e02dbe79a49c", "UNIT_RESULT": "exit-code",
            "MESSAGE": "\(unit): Failed with result 'exit-code'.",
        ])
        try pid1([
            "MESSAGE_ID": "be02cf6855d2428ba40df7e9d022f03d", "JOB_TYPE": "start", "JOB_RESULT": "failed",
            "MESSAGE": "Failed to start \(unit) - Rotate log files.",
        ])
        #expect(
            await daemon.wait { alerts in
                alerts.contains { $0.contains("\"condition\":\"failing\"") && $0.contains("\"status\":\"firing\"") }
            })
        let failing = try #require(daemon.alerts.first { $0.contains("\"condition\":\"failing\"") })
        let fields = DaemonProcess.fields(failing)
        #expect(fields["service"] == name)
        #expect(fields["job"] == unit)
        #expect(
            fields["context"]
                == [
                    "Starting \(unit) - Rotate log files...",
                    "\(unit): Main process exited, code=exited, status=1/FAILURE",
                    "\(unit): Failed with result 'exit-code'.",
                ].joined(separator: "\n"))
        // One failed run, one alert: "Failed to start" (JOB_RESULT=failed) is not a failure.
        #expect(daemon.alerts.count == 1)

        let job = try #require(try await Self.jobs(daemon).first { $0["service"] as? String == name })
        #expect(job["discovered"] as? Bool == true)
        #expect(job["discovered_from"] as? String == root.path + "/lib/systemd/system/\(name).timer")
        let port = try #require(daemon.httpPort)
        let status = try DaemonProcess.run(["status", "--url", "http://127.0.0.1:\(port)"])
        #expect(
            status.stdout.split(separator: "\n").contains {
                $0.hasPrefix("\(name) (discovered)  \(unit)  firing: failing")
            })

        // At SIGHUP the tree is read again: a new timer joins, and a pattern file for the first
        // service's name takes its place (the user's file wins).
        try Self.addTimer("hlsecond-\(tag)", to: root)
        try """
        service: \(name)
        source: { journal: { identifier: \(name) } }
        jobs: [{ name: mine, success: done }]
        """.write(to: directory.appendingPathComponent("patterns/mine.yaml"), atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(await daemon.waitForLog("reloaded "))
        #expect(
            await daemon.waitForLog("discover: \(name).timer: the pattern file of service '\(name)' is used instead"))
        let reloaded = try await Self.jobs(daemon)
        #expect(
            reloaded.contains { $0["service"] as? String == "hlsecond-\(tag)" && $0["discovered"] as? Bool == true })
        #expect(
            reloaded.contains {
                $0["service"] as? String == name && $0["job"] as? String == "mine"
                    && $0["discovered"] as? Bool == false
            })
        #expect(!reloaded.contains { $0["service"] as? String == name && $0["discovered"] as? Bool == true })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
