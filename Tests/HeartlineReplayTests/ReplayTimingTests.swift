import Foundation
import HeartlineCore
import Testing

@testable import HeartlineReplay

/// Replay times only the lines that matter (see ``ReplayStream``); these pin that the alerts are
/// what timing every line would give, and that they never depend on how reads split the input.
struct ReplayTimingTests {
    static let patterns = """
        service: app
        source: { files: [/var/log/app.log] }
        timestamp: { format: syslog }
        jobs:
          - name: job
            success: 'job done'
            failure: 'IOException'
            schedule: { every: 1h }
            failure_burst: { count: 2, within: 30m }
        """

    static func replay(
        _ text: String, patterns: String = patterns, chunkSize: Int = 256 * 1024, year: Int = 2024
    ) throws -> (alerts: [String], report: ReplayReport) {
        let services = try PatternFileParser.parseAll([(path: "app.yaml", text: patterns)])
        var options = ReplayOptions(year: year)
        options.chunkSize = chunkSize
        var alerts: [String] = []
        let report = try Replay(services: services, options: options).run(inputs: [.text(name: "app.log", text)]) {
            alerts.append(AlertFormatter.summary($0))
        }
        return (alerts, report)
    }

    static func stamp(_ minute: Int) -> String {
        let day = 30 + minute / 1440
        let month = day > 31 ? "Jan" : "Dec"
        let date = day > 31 ? day - 31 : day
        return "\(month) \(date < 10 ? " " : "")\(date) \(pad(minute / 60 % 24)):\(pad(minute % 60)):00"
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Three days of noise across New Year, with successes that stop for a while, two failure
    /// bursts on stack-trace lines (no stamp), a few stamps that go back, and lines with no stamp.
    static let busyLog: String = {
        var lines: [String] = []
        for minute in stride(from: 0, to: 3 * 1440, by: 1) {
            let t = stamp(minute)
            lines.append("\(t) host app[1]: request \(minute) took \(minute % 97)ms")
            if minute % 50 == 0, !(1500..<1800).contains(minute) { lines.append("\(t) host app[1]: job done") }
            if minute == 600 || minute == 615 || minute == 2900 || minute == 2910 {
                lines.append("\(t) host app[1]: export failed")
                lines.append("    at java.io.IOException: broken pipe")
                lines.append("    at Export.run(Export.java:42)")
            }
            if minute % 333 == 0 { lines.append("\(stamp(max(0, minute - 3))) host app[1]: late line") }
            if minute % 777 == 0 { lines.append("   continuation without a stamp") }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test(arguments: [1, 7, 100, 4096])
    func alertsAndCountsDoNotDependOnHowReadsSplitTheInput(chunkSize: Int) throws {
        let whole = try Self.replay(Self.busyLog)
        let split = try Self.replay(Self.busyLog, chunkSize: chunkSize)
        #expect(split.alerts == whole.alerts)
        #expect(split.report == whole.report)
    }

    @Test func theBusyLogGivesTheAlertsWorkedOutByHand() throws {
        let (alerts, report) = try Self.replay(Self.busyLog)
        // Successes every 50 minutes stop after minute 1450 (Dec 31 00:10) until minute 1800
        // (Dec 31 06:00): due 01:10, firing then, resolved at 06:00. The stack-trace failures take
        // the stamps of the lines that began them: 10:00 and 10:15 Dec 30 (a burst of two within
        // 30m: failing at 10:15, resolved 30m after the last, 10:45), and 00:20 and 00:30 Jan 1
        // 2025 after the year rolled (failing 00:30, resolved 01:00).
        #expect(
            alerts == [
                "2024-12-30T10:15:00Z firing app/job failing",
                "2024-12-30T10:45:00Z resolved app/job failing",
                "2024-12-31T01:10:00Z firing app/job missing",
                "2024-12-31T06:00:00Z resolved app/job missing",
                "2025-01-01T00:30:00Z firing app/job failing",
                "2025-01-01T01:00:00Z resolved app/job failing",
            ])
        #expect(report.unstamped == 4)
        #expect(report.untimed == 0)
    }

    @Test(arguments: [("Dec 30 04:59:59", 0), ("Dec 30 05:00:00", 1)])
    func theEndOfTheInputIsItsLastLineEvenWhenThatLineMatchesNothing(last: String, alerts expected: Int) throws {
        // The job is due at 05:00 after a 04:00 success; only the last line can carry replay
        // time to 05:00, and it matches nothing.
        var lines = ["Dec 30 04:00:00 host app: job done"]
        for second in 1..<300 { lines.append("Dec 30 04:\(Self.pad(second / 60)):\(Self.pad(second % 60)) host noise") }
        lines.append("\(last) host app: noise")
        let (alerts, report) = try Self.replay(lines.joined(separator: "\n") + "\n")
        #expect(alerts.count == expected)
        if expected == 1 { #expect(alerts == ["2024-12-30T05:00:00Z firing app/job missing"]) }
        #expect(report.lines == 301)
    }

    static func hhmm(_ minute: Int) -> String {
        "Dec 30 \(pad(minute / 60)):\(pad(minute % 60)):00"
    }

    /// The input's last line ends its time also when that line was read as a 64th-line sample.
    @Test(arguments: [63, 64, 65])
    func theEndIsTheLastLineAlsoWhenItIsASample(count: Int) throws {
        var lines = ["\(Self.hhmm(0)) host app: job done"]
        for n in 2...count { lines.append("\(Self.hhmm((n - 1) * 5)) host noise \(n)") }
        let (alerts, _) = try Self.replay(lines.joined(separator: "\n") + "\n")
        // Due 01:00 after the 00:00 success; the input runs past it in every case.
        #expect(alerts == ["2024-12-30T01:00:00Z firing app/job missing"])
    }

    /// An unstamped line met as a sample does not make later unstamped lines forget the stamps
    /// read past before it.
    @Test(arguments: [256 * 1024, 1, 7, 100])
    func anUnstampedSampleKeepsTheNearestStampBeforeIt(chunkSize: Int) throws {
        var lines = ["\(Self.hhmm(0)) host app: job done"]
        for n in 2...63 { lines.append("\(Self.hhmm((n - 1) * 5)) host noise \(n)") }  // line 63: 05:10
        lines.append("    continuation 64")
        lines.append("    job done (continuation 65)")
        lines.append("\(Self.hhmm(8 * 60)) host noise 66")
        let (alerts, _) = try Self.replay(lines.joined(separator: "\n") + "\n", chunkSize: chunkSize)
        // Missing at 01:00; line 65's success takes line 63's 05:10 and resolves it; due 06:10,
        // and the input runs to 08:00.
        #expect(
            alerts == [
                "2024-12-30T01:00:00Z firing app/job missing",
                "2024-12-30T05:10:00Z resolved app/job missing",
                "2024-12-30T06:10:00Z firing app/job missing",
            ])
    }

    /// A pattern anchored with `$` matches CRLF lines with the prefilter as without it (Vectorscan's
    /// `$` holds only before `\n`; PCRE2 sees each line without its `\r`).
    @Test(arguments: [true, false])
    func aDollarAnchoredPatternMatchesCRLFLines(usePrefilter: Bool) throws {
        let patterns = Self.patterns.replacingOccurrences(of: "success: 'job done'", with: "success: 'job done$'")
        var lines = ["\(Self.hhmm(0)) host app: job done"]
        for n in 2...10 { lines.append("\(Self.hhmm(n * 20)) host noise \(n)") }
        lines.append("\(Self.hhmm(230)) host app: job done")
        lines.append("\(Self.hhmm(240)) host noise")
        let services = try PatternFileParser.parseAll([(path: "app.yaml", text: patterns)])
        var options = ReplayOptions(year: 2024)
        options.usePrefilter = usePrefilter
        var alerts: [String] = []
        _ = try Replay(services: services, options: options).run(
            inputs: [.text(name: "app.log", lines.joined(separator: "\r\n") + "\r\n")]
        ) { alerts.append(AlertFormatter.summary($0)) }
        #expect(
            alerts == ["2024-12-30T01:00:00Z firing app/job missing", "2024-12-30T03:50:00Z resolved app/job missing"])
    }

    @Test func samplesCarryTheSyslogYearThroughMoreThanAYearWithoutAMatch() throws {
        let patterns = """
            service: app
            source: { files: [/var/log/app.log] }
            timestamp: { format: syslog }
            jobs:
              - name: job
                success: 'job done'
                schedule: { every: 30d }
            """
        // A success on Oct 1 2024, a line of noise a day for over a year, a success on Nov 15 2025.
        // Read alone, Oct 1 then Nov 15 looks like the same year; the daily noise, sampled every
        // 64 lines, carries the year across New Year.
        var lines = ["Oct  1 12:00:00 host app: job done"]
        var day = 275  // Oct 1 is day 275 of 2024 (a leap year), counted from 1
        for _ in 0..<410 {
            day += 1
            lines.append("\(Self.syslogDate(dayOfYear: day)) 12:00:00 host noise")
        }
        lines.append("Nov 15 12:00:00 host app: job done")
        let (alerts, _) = try Self.replay(lines.joined(separator: "\n") + "\n", patterns: patterns)
        #expect(
            alerts == [
                "2024-10-31T12:00:00Z firing app/job missing",
                "2025-11-15T12:00:00Z resolved app/job missing",
            ])
    }

    /// `Mon dd` for a day counted from Jan 1 2024 = 1, running on into 2025.
    static func syslogDate(dayOfYear: Int) -> String {
        let months = [
            ("Jan", 31), ("Feb", 29), ("Mar", 31), ("Apr", 30), ("May", 31), ("Jun", 30), ("Jul", 31),
            ("Aug", 31), ("Sep", 30), ("Oct", 31), ("Nov", 30), ("Dec", 31),
        ]
        var day = dayOfYear
        var year = 0
        while true {
            for (index, (name, length)) in months.enumerated() {
                let days = index == 1 && year > 0 ? 28 : length
                if day <= days { return "\(name) \(day < 10 ? " " : "")\(day)" }
                day -= days
            }
            year += 1
        }
    }
}

/// Inputs read in turn each keep their own prefilter scan: interleaved files and a journal export
/// give the alerts PCRE2 alone gives.
struct ReplayMergeTests {
    static let patterns = """
        service: app
        source: { files: [/var/log/app.log] }
        timestamp: { format: rfc3339 }
        jobs:
          - name: job
            success: 'job done'
            schedule: { every: 10m }
        """

    /// `count` lines a minute apart from `start` (minutes after 2025-01-01T00:00Z), a success on
    /// every minute divisible by `every`.
    static func log(start: Int, count: Int, every: Int, word: String) -> String {
        (start..<start + count).map { minute in
            let stamp = "2025-01-01T\(pad(minute / 60)):\(pad(minute % 60)):00Z"
            return minute % every == 0 ? "\(stamp) \(word) job done" : "\(stamp) \(word) noise \(minute)"
        }.joined(separator: "\n") + "\n"
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    @Test(arguments: [true, false])
    func interleavedInputsGiveTheAlertsWorkedOutByHand(usePrefilter: Bool) throws {
        let services = try PatternFileParser.parseAll([(path: "app.yaml", text: Self.patterns)])
        var options = ReplayOptions(year: 2025)
        options.usePrefilter = usePrefilter
        options.chunkSize = 512
        // a (minutes 0-479) succeeds every 25 minutes, b (minutes 0-300) every 7. While b runs, no
        // two successes are more than 7 minutes apart; its last is at 294, then a's at 300. From
        // there only a's 25-minute gaps remain: due 10 minutes after each success, missing then,
        // resolved at the next (310/325, 335/350, ... 460/475). 475 + 10 is past the end (479).
        let a = Self.log(start: 0, count: 480, every: 25, word: "a")
        let b = Self.log(start: 0, count: 301, every: 7, word: "b")
        var alerts: [String] = []
        _ = try Replay(services: services, options: options).run(
            inputs: [.text(name: "a.log", a), .text(name: "b.log", b)]
        ) { alerts.append(AlertFormatter.summary($0)) }
        var expected: [String] = []
        for success in stride(from: 300, to: 475, by: 25) {
            let due = success + 10
            expected.append("2025-01-01T\(Self.pad(due / 60)):\(Self.pad(due % 60)):00Z firing app/job missing")
            let next = success + 25
            expected.append("2025-01-01T\(Self.pad(next / 60)):\(Self.pad(next % 60)):00Z resolved app/job missing")
        }
        #expect(alerts == expected)
    }
}
