import Foundation
import HeartlineCore
import HeartlineInput
import Testing

@testable import HeartlineReplay

/// `heartline match`'s counting (``PatternMatchCounter``) and its text (``PatternMatchReport/text``).
struct PatternMatchTests {
    static let patterns = """
        service: app
        timestamp: { format: rfc3339 }
        jobs:
          - name: deploy
            success: 'deploy finished'
            failure: 'with errors'
            start: 'deploy started'
            ignore: 'dry-run'
          - name: 'host-{host}'
            success: 'backup done on (?<host>\\w+)'
          - name: watchdog
            measure: 'age=(?<value>\\S+)s'
            threshold: { above: 600 }
        """

    /// Counts inline `lines` against ``patterns`` (and any more pattern files).
    static func count(_ lines: String, more: [(path: String, text: String)] = []) throws -> PatternMatchReport {
        let services = try PatternFileParser.parseAll([(path: "app.yaml", text: patterns)] + more)
        let counter = PatternMatchCounter(services: services, year: 2024)
        try counter.count(.text(name: "inline", lines))
        return counter.report
    }

    static func deploy(_ report: PatternMatchReport) -> PatternMatchReport.Job { report.services[0].jobs[0] }

    @Test func theFixtureReportIsExactlyTheExpectedText() throws {
        let root = FixtureTests.root
        let services = try ServiceLoader.load([root + "/fixtures/match/patterns"])
        let counter = PatternMatchCounter(services: services, year: 2024)
        try counter.count(.path(root + "/fixtures/match/app.log"))
        try counter.count(.path(root + "/fixtures/match/app.export"))
        let expected = try String(contentsOfFile: root + "/fixtures/match/expected.txt", encoding: .utf8)
        let text = counter.report.text.replacingOccurrences(of: root + "/", with: "")
        let diff = LineDiff.lines(
            expected: expected.split(separator: "\n").map(String.init),
            actual: text.split(separator: "\n").map(String.init))
        #expect(text == expected, "\(diff.joined(separator: "\n"))")
    }

    @Test func everyPatternIsCountedOnItsOwnWhileTheJobTakesTheLineOnce() throws {
        let report = try Self.count("2024-01-01T00:00:00Z deploy finished with errors\n")
        let deploy = Self.deploy(report)
        #expect(deploy.patterns.map(\.kind) == [.success, .failure, .start, .ignore])
        #expect(deploy.patterns.map(\.matched) == [1, 1, 0, 0])
        #expect(deploy.counted == [.failure: 1])
        #expect(report.matched == 1)
    }

    @Test func aLineDroppedByIgnoreCountsForTheJobAsIgnored() throws {
        let report = try Self.count("2024-01-01T00:00:00Z dry-run: deploy finished\n")
        let deploy = Self.deploy(report)
        #expect(deploy.patterns.map(\.matched) == [1, 0, 0, 1])
        #expect(deploy.counted.isEmpty)
        #expect(deploy.ignored == 1)
        #expect((report.matched, report.ignored, report.missed) == (0, 1, 0))
    }

    @Test func anIgnorePatternAloneDropsNothingButTheLineIsNotMissed() throws {
        let report = try Self.count("2024-01-01T00:00:00Z dry-run of nothing\n")
        #expect(Self.deploy(report).ignored == 0)
        #expect((report.matched, report.ignored, report.missed) == (0, 1, 0))
    }

    @Test func aMeasureWithoutANumberIsCountedApart() throws {
        let report = try Self.count("2024-01-01T00:00:00Z age=12s\n2024-01-01T00:01:00Z age=unknowns\n")
        let watchdog = report.services[0].jobs[2]
        #expect(watchdog.patterns.map(\.matched) == [2])
        #expect(watchdog.counted == [.measure: 1])
        #expect(watchdog.unreadableMeasures == 1)
        #expect((report.matched, report.ignored, report.missed) == (1, 1, 0))
    }

    @Test func aDynamicJobCountsLinesPerInstance() throws {
        let report = try Self.count(
            """
            2024-01-01T00:00:00Z backup done on db1
            2024-01-01T00:01:00Z backup done on web1
            2024-01-01T00:02:00Z backup done on db1
            """)
        #expect(report.services[0].jobs[1].instances == ["host-db1": 2, "host-web1": 1])
        #expect(report.services[0].jobs[1].counted == [.success: 3])
    }

    @Test func linesNoPatternMatchesAreMissed() throws {
        let report = try Self.count("2024-01-01T00:00:00Z hello\n2024-01-01T00:00:01Z deploy started\n")
        #expect((report.lines, report.matched, report.ignored, report.missed) == (2, 1, 0, 1))
        #expect(report.inputs == [PatternMatchReport.Input(name: "inline", lines: 2)])
    }

    @Test func timestampsAreReadAndCountedPerService() throws {
        let syslog = (path: "sys.yaml", text: "timestamp: { format: syslog }\njobs: [{ name: a, success: zzz }]")
        let report = try Self.count(
            """
            2024-01-01T00:00:00Z deploy finished
            Jan  1 00:05:00 host cron: job done
            no stamp at all
            2024-01-01T00:10:00Z deploy finished
            """,
            more: [syslog])
        let app = report.services[0]
        #expect(app.untimed == 2)
        #expect(app.earliest == RFC3339.parse("2024-01-01T00:00:00Z"))
        #expect(app.latest == RFC3339.parse("2024-01-01T00:10:00Z"))
        let sys = report.services[1]
        #expect(sys.untimed == 3)
        #expect(sys.earliest == RFC3339.parse("2024-01-01T00:05:00Z"))
    }

    @Test func aPatternKeepsItsFirstThreeLinesAsSamples() throws {
        let lines = (1...5).map { "2024-01-01T00:0\($0):00Z deploy finished #\($0)" }
        let report = try Self.count(lines.joined(separator: "\n"))
        #expect(Self.deploy(report).patterns[0].matched == 5)
        #expect(Self.deploy(report).patterns[0].samples == Array(lines.prefix(3)))
    }

    @Test(arguments: [
        ("short line", "short line"),
        (String(repeating: "é", count: 200), String(repeating: "é", count: 200)),
        (String(repeating: "é", count: 201), String(repeating: "é", count: 200) + "…"),
        ("\u{1B}[31mred\u{1B}[0m\tand\u{7F}", "\\x1b[31mred\\x1b[0m\\tand\\x7f"),
    ])
    func samplesAreCutAt200CharactersAndShownEscaped(line: String, shown: String) {
        let sample = Array(line.utf8).withUnsafeBytes { TerminalText.escaped(PatternMatchCounter.sample($0)) }
        #expect(sample == shown)
    }

    @Test func invalidUTF8InASampleIsShownAsReplacementCharacters() {
        let sample = [UInt8]([0x61, 0xFF, 0x62]).withUnsafeBytes { PatternMatchCounter.sample($0) }
        #expect(sample == "a\u{FFFD}b")
    }

    /// Like fail2ban-regex showing its groups, a field pattern's sample is followed by what the
    /// line decoded to; a line that did not decode says why. (Hand-written lines in the shape of
    /// Python's logging with python-json-logger.)
    @Test func aFieldPatternsSamplesShowTheirDecodedFields() throws {
        let fields = """
            service: worker
            source: { format: json }
            jobs:
              - name: export
                success: { fields: { message: export done, rows: { above: 0 } } }
                failure: { regex: 'Traceback' }
            """
        let lines = """
            {"levelname": "INFO", "message": "export done", "rows": 1200, "ctx": {"id": "a 1"}}
            {"levelname": "INFO", "message": "export done", "rows": 0}
            Traceback (most recent call last): {"message": "export done"

            """
        let services = try PatternFileParser.parseAll([(path: "worker.yaml", text: fields)])
        let counter = PatternMatchCounter(services: services, year: 2024)
        try counter.count(.text(name: "inline", lines))
        let success = counter.report.services[0].jobs[0].patterns[0]
        #expect(success.matched == 1)
        #expect(success.sampleFields == [#"levelname=INFO message="export done" rows=1200 ctx.id="a 1""#])
        #expect(counter.report.services[0].jobs[0].patterns[1].sampleFields.isEmpty)
        #expect(
            counter.report.text.contains(
                "| {\"levelname\": \"INFO\", \"message\": \"export done\", \"rows\": 1200, \"ctx\": {\"id\": \"a 1\"}}\n"
                    + "        |   fields: levelname=INFO message=\"export done\" rows=1200 ctx.id=\"a 1\"\n"))
    }

    /// On a journal entry the sample shows the journal fields the pattern names, and MESSAGE's
    /// fields only when the pattern names a path that is not a journal field name.
    @Test func aJournalFieldPatternsSamplesShowTheEntrysNamedFields() throws {
        let fields = """
            service: unit
            source: { journal: { unit: backup.service } }
            jobs:
              - name: run
                success: { fields: { JOB_RESULT: done } }
                failure: { fields: { JOB_RESULT: failed, msg: { present: true } } }
            """
        // Hand-written entries in the journal export format (systemd's JOURNAL_EXPORT_FORMATS).
        let export = """
            __REALTIME_TIMESTAMP=1700000000000000
            MESSAGE=Finished backup.service.
            JOB_RESULT=done

            __REALTIME_TIMESTAMP=1700000060000000
            MESSAGE=msg="it broke" code=3
            JOB_RESULT=failed


            """
        let services = try PatternFileParser.parseAll([(path: "unit.yaml", text: fields)])
        let counter = PatternMatchCounter(services: services, year: 2024)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("match-\(UUID()).export").path
        try export.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try counter.count(.path(path))
        let patterns = counter.report.services[0].jobs[0].patterns
        #expect(patterns.map(\.matched) == [1, 1], "\(counter.report.text)")
        #expect(patterns[0].sampleFields == ["JOB_RESULT=done"])
        #expect(patterns[1].sampleFields == [#"JOB_RESULT=failed msg="it broke" code=3"#])
    }

    @Test func aMissingInputIsAnInputError() throws {
        let services = try PatternFileParser.parseAll([(path: "app.yaml", text: Self.patterns)])
        let counter = PatternMatchCounter(services: services, year: 2024)
        let error = try #require(throws: ReplayError.self) { try counter.count(.path("/nonexistent/app.log")) }
        #expect(error.code == .input)
        #expect(error.message == "/nonexistent/app.log: no such file")
    }
}
