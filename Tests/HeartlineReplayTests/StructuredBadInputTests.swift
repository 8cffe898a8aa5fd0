import Foundation
import HeartlineCore
import Testing

@testable import HeartlineReplay

/// SPEC §6 for structured lines (issue 11): lines that are not valid JSON, JSON nested 10,000 levels
/// deep, a 5 MB JSON line, duplicate keys and a logfmt line with an unterminated quote are each
/// counted or bounded, never a crash, and the line after each is still matched. The lines are
/// hand-written after RFC 8259 and go-logfmt's grammar; each bad line also holds the text the
/// success pattern requires, so that the prefilter sends it to the decoder.
struct StructuredBadInputTests {
    static let patterns = """
        service: worker
        source: { files: [/var/log/worker.log], format: auto }
        timestamp: { format: rfc3339, field: time }
        jobs:
          - name: export
            success: { fields: { msg: export done, rows: { above: 0 } } }
            schedule: { every: 2m }
        """

    static func good(_ minute: Int) -> String {
        String(format: #"{"time":"2026-03-01T10:%02d:00Z","msg":"export done","rows":5}"#, minute)
    }

    @Test func eachBadLineIsCountedAndTheNextLineStillMatches() throws {
        let deep =
            #"{"msg":"export done","rows":1,"a":"# + String(repeating: "[", count: 10_000)
            + String(repeating: "]", count: 10_000) + "}"
        let huge = #"{"msg":"export done","rows":1,"pad":""# + String(repeating: "x", count: 5_000_000) + #""}"#
        let lines = [
            Self.good(0),
            #"{"time":"2026-03-01T10:00:30Z","msg":"export done","rows":5"#,  // no closing brace
            Self.good(1),
            deep,
            Self.good(2),
            huge,
            Self.good(3),
            // Duplicate keys: the last wins (as Python's json, Go and jq read them).
            #"{"time":"2026-03-01T10:04:00Z","msg":"export failed","msg":"export done","rows":0,"rows":7}"#,
            #"time=2026-03-01T10:04:30Z msg="export done rows=5"#,  // unterminated quote
            #"time=2026-03-01T10:05:00Z msg="export done" rows=5"#,
        ]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heartline-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("worker.log")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log)
        let services = try PatternFileParser.parseAll([(path: "worker.yaml", text: Self.patterns)])
        var alerts: [String] = []
        let report = try Replay(services: services, options: ReplayOptions(year: 2026)).run(inputs: [.path(log.path)]) {
            alerts.append(AlertFormatter.summary($0))
        }
        // Six good lines (the duplicate-key line among them), one a minute: never two minutes late.
        #expect(alerts == [])
        #expect(report.matched == 6)
        // The unclosed object, the deep one, the 5 MB one (cut at the 1 MiB line limit, and too
        // large to decode either way) and the unterminated quote.
        #expect(report.undecodable == 4)
        #expect(report.truncated == 1)
        #expect(report.lines == lines.count)
        #expect(report.warnings.contains { $0.hasPrefix("4 lines were not valid in their service's format") })
    }
}
