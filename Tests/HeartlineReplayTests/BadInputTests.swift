import Foundation
import HeartlineCore
import Testing

@testable import HeartlineReplay

/// SPEC §6 for replay: each kind of bad input gets a clear message or a counted skip, never a crash.
struct BadInputTests {
    static let patterns = """
        service: app
        source: { files: [/var/log/app.log] }
        jobs:
          - name: job
            success: 'job done'
            schedule: { every: 1h }
        """

    static func replay(_ bytes: [UInt8]) throws -> (alerts: [String], report: ReplayReport) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heartline-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("input.log")
        try Data(bytes).write(to: log)
        return try replay(path: log.path)
    }

    static func replay(path: String) throws -> (alerts: [String], report: ReplayReport) {
        let services = try PatternFileParser.parseAll([(path: "app.yaml", text: patterns)])
        var alerts: [String] = []
        let report = try Replay(services: services, options: ReplayOptions(year: 2025)).run(inputs: [.path(path)]) {
            alerts.append(AlertFormatter.summary($0))
        }
        return (alerts, report)
    }

    static func lines(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func invalidUTF8IsMatchedAsBytes() throws {
        let bytes =
            Self.lines("2025-01-01T00:00:00Z start\n2025-01-01T00:30:00Z \u{FF}") + [0xFF, 0xFE]
            + Self.lines(" job done\n2025-01-01T02:00:00Z end\n")
        let (alerts, report) = try Self.replay(bytes)
        #expect(alerts == ["2025-01-01T01:30:00Z firing app/job missing"])
        #expect(report.lines == 3)
    }

    @Test func nulBytesInALineAreKept() throws {
        let bytes =
            Self.lines("2025-01-01T00:00:00Z start\n2025-01-01T00:30:00Z ") + [0, 0]
            + Self.lines("job done\n2025-01-01T01:00:00Z end\n")
        let (alerts, report) = try Self.replay(bytes)
        #expect(alerts.isEmpty)
        #expect(report.matched == 1)
    }

    @Test func aFiveMegabyteLineIsTruncatedAndCounted() throws {
        let huge = "2025-01-01T00:10:00Z " + String(repeating: "x", count: 5_000_000) + " job done"
        let text = "2025-01-01T00:00:00Z start\n\(huge)\n2025-01-01T00:20:00Z job done\n2025-01-01T01:30:00Z end\n"
        let (alerts, report) = try Self.replay(Self.lines(text))
        #expect(report.truncated == 1)
        #expect(report.lines == 4)
        // The cut line lost its success text; the next line still counts (due 01:20).
        #expect(alerts == ["2025-01-01T01:20:00Z firing app/job missing"])
    }

    @Test func aBinaryFileIsRefusedWithItsName() throws {
        #expect {
            _ = try Self.replay(path: "/bin/ls")
        } throws: { error in
            let error = error as? ReplayError
            return error?.code == .input && error?.message.hasPrefix("/bin/ls:") == true
                && error?.message.contains("binary") == true
        }
    }

    @Test func aMissingFileIsNamedInTheError() throws {
        #expect {
            _ = try Self.replay(path: "/nonexistent/app.log")
        } throws: { error in
            (error as? ReplayError)?.message.hasPrefix("/nonexistent/app.log:") == true
        }
    }

    @Test func linesGoingBackInTimeAreTakenAtThePreviousTimeAndCounted() throws {
        let text = """
            2025-01-01T00:00:00Z start
            2025-01-01T00:50:00Z job done
            2025-01-01T00:10:00Z job done
            2025-01-01T02:00:00Z end

            """
        let (alerts, report) = try Self.replay(Self.lines(text))
        #expect(report.backwards == 1)
        // The late success counts at 00:50, so the job is due at 01:50.
        #expect(alerts == ["2025-01-01T01:50:00Z firing app/job missing"])
    }

    @Test func linesWithoutAStampTakeThePreviousLinesTime() throws {
        let text = """
            no stamp yet
            2025-01-01T00:00:00Z start
            2025-01-01T00:30:00Z other
              job done (continued)
            2025-01-01T01:45:00Z end

            """
        let (alerts, report) = try Self.replay(Self.lines(text))
        #expect(report.untimed == 1)
        #expect(report.unstamped == 1)
        // The unstamped success counts at 00:30, so the job is due at 01:30, not 01:00.
        #expect(alerts == ["2025-01-01T01:30:00Z firing app/job missing"])
    }
}
