import Foundation
import HeartlineCore
import HeartlineInput
import Testing

@testable import HeartlineReplay

/// Issue 14: an input whose time goes back by more than an hour is replayed as segments merged by
/// time. Zookeeper_2k.log (Loghub, a real log) is itself three stretches out of order (it goes back
/// 27 days twice); its alerts must equal those of the same lines sorted by time, and of the sorted
/// lines split in two with the halves in reverse order.
struct TimeSegmentTests {
    static let log = FixtureTests.root + "/fixtures/real-logs/Zookeeper_2k.log"
    static let patterns = FixtureTests.root + "/fixtures/segments/patterns"

    static func replay(_ text: String, name: String) throws -> (alerts: [String], report: ReplayReport) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heartline-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        let services = try ServiceLoader.load([Self.patterns])
        var alerts: [String] = []
        let report = try Replay(services: services, options: ReplayOptions(year: 2015)).run(
            inputs: [.path(file.path)]
        ) { alerts.append($0.jsonLine) }
        return (alerts, report)
    }

    @Test func aLogOutOfOrderGivesTheAlertsOfTheSameLinesSortedByTime() throws {
        let original = try String(contentsOfFile: Self.log, encoding: .utf8)
        // The file ends its lines with CRLF (but its last), which Swift reads as one character.
        let lines = original.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        // Stable: lines with the same stamp keep their order. Every line starts with its stamp.
        let sorted = lines.enumerated().sorted {
            ($0.element.prefix(23), $0.offset) < ($1.element.prefix(23), $1.offset)
        }
        .map(\.element)
        let half = sorted.count / 2
        let reversedHalves = Array(sorted[half...]) + Array(sorted[..<half])
        func text(_ lines: some Sequence<Substring>) -> String { lines.joined(separator: "\n") + "\n" }

        let asIs = try Self.replay(text(lines), name: "zookeeper.log")
        let inOrder = try Self.replay(text(sorted), name: "sorted.log")
        let swapped = try Self.replay(text(reversedHalves), name: "swapped.log")
        #expect(!inOrder.alerts.isEmpty)
        #expect(lines.count == 2000)
        #expect(asIs.alerts == inOrder.alerts)
        #expect(swapped.alerts == inOrder.alerts)
        #expect(asIs.report.segments == 3)
        #expect(inOrder.report.segments == 0)
        #expect(swapped.report.segments == 2)
        #expect(asIs.report.backwards == 0)
    }

    /// Small steps back (under an hour) keep today's rule: one segment, the line taken at the latest
    /// time and counted. Hand-written lines (RFC 3339 stamps, SPEC §3).
    @Test func aStepBackUnderAnHourDoesNotSplit() throws {
        let text = """
            2015-07-29 10:00:00,000 - WARN  [x] - Connection broken for id 1, my id = 2
            2015-07-29 10:30:00,000 - INFO  [x] - nothing
            2015-07-29 09:45:00,000 - WARN  [x] - Connection broken for id 1, my id = 2
            2015-07-29 11:00:00,000 - INFO  [x] - nothing

            """
        let result = try Self.replay(text, name: "jitter.log")
        #expect(result.report.segments == 0)
        #expect(result.report.backwards == 1)
    }
}
