import Foundation
import HeartlineCore
import Testing

@testable import HeartlineReplay

/// A name captured from a log line reaches the text outputs escaped (``TerminalText``), so that it
/// can neither steer the terminal nor forge a line; JSON keeps its own escaping.
struct TerminalEscapeTests {
    static let patterns = """
        service: app
        source: { journal: { unit: app.service } }
        jobs:
          - name: 'host-{host}'
            success: 'backup done on (?<host>[\\s\\S]+)'
            schedule: { every: 1h }
        """

    /// What the forged line's author logged after `backup done on `: a screen clear, a window
    /// title and, in a journal field, a newline followed by a line that looks like an alert.
    static let capture = "\u{1B}[2J\u{1B}]0;pwned\u{07}\n2025-01-01T01:00:00Z firing app/x missing"

    /// A journal export stream of one entry whose `MESSAGE` holds a newline, so is written in the
    /// binary form (little-endian 64-bit size, then the bytes).
    static func exportStream() -> [UInt8] {
        let message = Array("backup done on \(capture)".utf8)
        var size = UInt64(message.count).littleEndian
        let sizeBytes = withUnsafeBytes(of: &size) { Array($0) }
        return Array("__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1735689600000000\n_SYSTEMD_UNIT=app.service\n".utf8)
            + Array("MESSAGE\n".utf8) + sizeBytes + message + Array("\n\n".utf8)
    }

    static func replay(_ format: (Alert) -> String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heartline-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("app.export")
        try Data(exportStream()).write(to: input)
        let services = try PatternFileParser.parseAll([(path: "app.yaml", text: patterns)])
        let options = ReplayOptions(until: RFC3339.parse("2025-01-01T01:30:00Z"), year: 2025)
        var output = ""
        _ = try Replay(services: services, options: options).run(inputs: [.path(input.path)]) {
            output += format($0) + "\n"
        }
        return output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func textAlertsShowACapturedEscapeSequenceAndNewlineEscapedOnOneLine() throws {
        let lines = try Self.replay(AlertFormatter.text)
        #expect(
            lines == [
                "2025-01-01T01:00:00Z firing app/host-\\x1b[2J\\x1b]0;pwned\\x07\\n2025-01-01T01:00:00Z firing app/x "
                    + "missing missing - last success 2025-01-01T00:00:00Z; success (every 1h) was due "
                    + "2025-01-01T01:00:00Z",
                "",
            ])
    }

    @Test func jsonLinesKeepTheirJSONEscaping() throws {
        let lines = try Self.replay(AlertFormatter.jsonLine)
        #expect(
            lines == [
                #"{"at":"2025-01-01T01:00:00Z","service":"app","job":"host-\u001b[2J\u001b]0;pwned\u0007\n"#
                    + #"2025-01-01T01:00:00Z firing app/x missing","condition":"missing","status":"firing","#
                    + #""detail":"last success 2025-01-01T00:00:00Z; success (every 1h) was due "#
                    + #"2025-01-01T01:00:00Z"}"#,
                "",
            ])
    }

    @Test func matchShowsSampleLinesAndInstancesWithTheirEscapesVisible() throws {
        let services = try PatternFileParser.parseAll([
            (
                path: "app.yaml",
                text: """
                service: app
                timestamp: { format: rfc3339 }
                jobs:
                  - name: 'host-{host}'
                    success: 'backup done on (?<host>\\S+)'
                """
            )
        ])
        let counter = PatternMatchCounter(services: services, year: 2025)
        try counter.count(.text(name: "in\u{1B}[2Jline", "2025-01-01T00:00:00Z backup done on \u{1B}]0;pwned\u{07}\n"))
        #expect(
            counter.report.text == """
                Lines: 1 lines, 0 ignored, 1 matched, 0 missed
                  in\\x1b[2Jline: 1 lines

                Service app (app.yaml:1:1)
                  Timestamps (rfc3339, UTC): 0 of 1 lines without a readable timestamp; from 2025-01-01T00:00:00Z \
                to 2025-01-01T00:00:00Z
                  Job host-{host}: 1 success; 1 instances: host-\\x1b]0;pwned\\x07 (1)
                    [1] success  'backup done on (?<host>\\S+)'  app.yaml:5:14
                        | 2025-01-01T00:00:00Z backup done on \\x1b]0;pwned\\x07

                """)
    }
}
