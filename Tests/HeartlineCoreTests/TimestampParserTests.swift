import Foundation
import HeartlineCore
import Testing

struct TimestampParserTests {
    /// Reads one line with a fresh parser; the stamp as RFC 3339 UTC, or nil.
    private func read(
        _ line: String,
        _ format: TimestampFormat = .auto,
        zone: String = "UTC",
        years: SyslogYearRule = .rolling(startYear: 2005)
    ) throws -> String? {
        var parser = try TimestampParser(spec: spec(format, zone: zone), yearRule: years)
        return parser.parse(line)?.rfc3339
    }

    /// Reads lines in order with one parser.
    private func readAll(
        _ lines: [String],
        _ format: TimestampFormat = .auto,
        zone: String = "UTC",
        years: SyslogYearRule = .rolling(startYear: 2005)
    ) throws -> [String?] {
        var parser = try TimestampParser(spec: spec(format, zone: zone), yearRule: years)
        return lines.map { parser.parse($0)?.rfc3339 }
    }

    private func spec(_ format: TimestampFormat, zone: String) -> TimestampSpec {
        TimestampSpec(format: format, timezone: TimeZone(identifier: zone)!)
    }

    /// An instant from RFC 3339 text, read by Foundation rather than by the parser under test.
    private func utc(_ text: String) -> Instant {
        Instant(seconds: Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970))
    }

    // MARK: RFC 3339

    @Test(arguments: [
        ("2005-06-16T04:10:24Z rest", "2005-06-16T04:10:24Z"),
        ("2005-06-16 04:10:24 rest", "2005-06-16T04:10:24Z"),
        ("2005-06-16t04:10:24z", "2005-06-16T04:10:24Z"),
        ("2005-06-16T04:10Z", "2005-06-16T04:10:00Z"),
        ("2015-07-29 17:41:44,747 - INFO", "2015-07-29T17:41:44.747Z"),
        ("2005-06-16T04:10:24.5Z", "2005-06-16T04:10:24.500Z"),
        ("2005-06-16T04:10:24.123456Z", "2005-06-16T04:10:24.123456Z"),
        ("2005-06-16T04:10:24.123456789Z", "2005-06-16T04:10:24.123456789Z"),
        ("2005-06-16T04:10:24.1234567899999Z", "2005-06-16T04:10:24.123456789Z"),
        ("2005-06-16T04:10:24+02:00", "2005-06-16T02:10:24Z"),
        ("2005-06-16T04:10:24+0200", "2005-06-16T02:10:24Z"),
        ("2005-06-16T04:10:24+02", "2005-06-16T02:10:24Z"),
        ("2005-06-16T04:10:24-05:30 x", "2005-06-16T09:40:24Z"),
        ("2005-06-16T04:10:24.250+01:00", "2005-06-16T03:10:24.250Z"),
        ("2005-06-16 04:10:24 -0700 commit", "2005-06-16T11:10:24Z"),
        ("2005-06-16 04:10:24 - 0700", "2005-06-16T04:10:24Z"),
        ("2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z"),
        ("2004-02-29T12:00:00Z", "2004-02-29T12:00:00Z"),
    ])
    func rfc3339ReadsSeparatorsFractionsAndOffsets(line: String, expected: String) throws {
        #expect(try read(line) == expected)
        #expect(try read(line, .rfc3339) == expected)
    }

    @Test func fractionIsExactToTheNanosecond() throws {
        var parser = try TimestampParser(spec: TimestampSpec(), yearRule: .rolling(startYear: 2005))
        #expect(parser.parse("2015-07-29 17:41:44,747 - INFO")?.nanoseconds == 1_438_191_704_747_000_000)
        #expect(parser.parse("2015-07-29 17:41:44.000000001")?.nanoseconds == 1_438_191_704_000_000_001)
        #expect(parser.parse("1438191704.747")?.nanoseconds == 1_438_191_704_747_000_000)
    }

    @Test func stampWithoutOffsetTakesTheSpecZone() throws {
        #expect(try read("2024-01-15 12:00:00", zone: "Europe/Berlin") == "2024-01-15T11:00:00Z")
        #expect(try read("2024-07-15 12:00:00", zone: "Europe/Berlin") == "2024-07-15T10:00:00Z")
        #expect(try read("2024-07-15 12:00:00", zone: "Asia/Kolkata") == "2024-07-15T06:30:00Z")
        #expect(try read("2024-07-15 12:00:00Z", zone: "Europe/Berlin") == "2024-07-15T12:00:00Z")
        #expect(try read("2024-07-15 12:00:00+05:00", zone: "Europe/Berlin") == "2024-07-15T07:00:00Z")
    }

    // MARK: syslog

    @Test(arguments: [
        ("Jun 16 04:10:24 combo sshd[1]: x", "2005-06-16T04:10:24Z"),
        ("Jun  9 04:10:24 combo sshd[1]: x", "2005-06-09T04:10:24Z"),
        ("Nov 9 12:01:01 dn228/dn228 crond[2916]:", "2005-11-09T12:01:01Z"),
        ("jun 16 04:10:24 lowercase", "2005-06-16T04:10:24Z"),
        ("Jun 16 04:10:24.250 host", "2005-06-16T04:10:24.250Z"),
    ])
    func syslogReadsPaddedAndBareDays(line: String, expected: String) throws {
        #expect(try read(line) == expected)
        #expect(try read(line, .syslog) == expected)
    }

    @Test func syslogTakesTheSpecZone() throws {
        #expect(try read("Jun 16 04:10:24 host", .syslog, zone: "Europe/Berlin") == "2005-06-16T02:10:24Z")
        #expect(try read("Dec 16 04:10:24 host", .syslog, zone: "Europe/Berlin") == "2005-12-16T03:10:24Z")
    }

    // MARK: Apache

    @Test(arguments: [
        ("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok", "2005-12-04T04:47:44Z"),
        ("[Sun Dec 04 04:47:44.123456 2005] [error] x", "2005-12-04T04:47:44.123456Z"),
        ("Sun Dec  4 04:47:44 2005", "2005-12-04T04:47:44Z"),
        ("[Sunday Dec 4 04:47:44 2005]", "2005-12-04T04:47:44Z"),
        ("[16/Jun/2005:04:10:24 +0200] GET", "2005-06-16T02:10:24Z"),
        ("[16/Jun/2005:04:10:24 -0130]", "2005-06-16T05:40:24Z"),
        ("[16/Jun/2005:04:10:24]", "2005-06-16T04:10:24Z"),
        ("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200", "2000-10-10T20:55:36Z"),
    ])
    func apacheReadsErrorAndAccessLogStamps(line: String, expected: String) throws {
        #expect(try read(line) == expected)
        #expect(try read(line, .apache) == expected)
    }

    // MARK: epoch

    @Test(arguments: [
        ("1131566461 x", "2005-11-09T20:01:01Z"),
        ("1131566461.123 x", "2005-11-09T20:01:01.123Z"),
        ("1131566461", "2005-11-09T20:01:01Z"),
        ("999999999 x", "2001-09-09T01:46:39Z"),
        ("[1131566461] x", "2005-11-09T20:01:01Z"),
        ("1131566461, x", "2005-11-09T20:01:01Z"),
    ])
    func epochReadsSecondsWithOptionalFraction(line: String, expected: String) throws {
        #expect(try read(line) == expected)
        #expect(try read(line, .epoch) == expected)
    }

    @Test func epochTakesNineOrTenDigitsInAutoAndAnyInEpochMode() throws {
        #expect(try read("86400 x") == nil)
        #expect(try read("11315664610 x") == nil)
        #expect(try read("86400 x", .epoch) == "1970-01-02T00:00:00Z")
        #expect(try read("0", .epoch) == "1970-01-01T00:00:00Z")
        #expect(try read("12345678", .epoch) == "1970-05-23T21:21:18Z")
    }

    @Test(arguments: ["1131566461x", "1131566461-3", "1131566461:00", "1131566461.1.2", "1131566461/2"])
    func epochMustEndItsToken(line: String) throws {
        #expect(try read(line) == nil)
    }

    @Test func epochBeyondTheInstantRangeIsNil() throws {
        #expect(try read("11315664610", .epoch) == nil)
        #expect(try read("99999999999999", .epoch) == nil)
        #expect(try read("1234567890123456789", .epoch) == nil)
    }

    // MARK: where the stamp is

    @Test func thunderbirdLineReadsTheEpochInTheSecondToken() throws {
        let line = "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond[2916]: (root) CMD"
        #expect(try read(line) == "2005-11-09T20:01:01Z")
    }

    @Test(arguments: [
        ("host: Jun 16 04:10:24 x", "2005-06-16T04:10:24Z"),
        ("a b c Jun 16 04:10:24 x", "2005-06-16T04:10:24Z"),
        ("  \t2005-06-16T04:10:24Z", "2005-06-16T04:10:24Z"),
        ("INFO [2005-06-16 04:10:24,500] x", "2005-06-16T04:10:24.500Z"),
        (String(repeating: "x", count: 62) + " Jun 16 04:10:24", "2005-06-16T04:10:24Z"),
    ])
    func stampIsFoundAtTheStartOfOneOfTheFirstFourTokens(line: String, expected: String) throws {
        #expect(try read(line) == expected)
    }

    @Test(arguments: [
        "a b c d Jun 16 04:10:24 x",
        String(repeating: "x", count: 64) + " Jun 16 04:10:24",
        "the message is at 2005-06-16T04:10:24Z",
        "x2005-06-16T04:10:24Z",
    ])
    func stampPastTheFourthTokenOrTheFirst64BytesIsNotRead(line: String) throws {
        #expect(try read(line) == nil)
    }

    @Test func explicitFormatReadsOnlyItsOwnShape() throws {
        #expect(try read("Jun 16 04:10:24 x", .rfc3339) == nil)
        #expect(try read("2005-06-16T04:10:24Z", .syslog) == nil)
        #expect(try read("1131566461 x", .apache) == nil)
        #expect(try read("2005-06-16T04:10:24Z", .epoch) == nil)
        #expect(try read("- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 x", .syslog) == nil)
    }

    // MARK: nil

    @Test(arguments: [
        "",
        "   ",
        "hello world",
        "2005-13-01 00:00:00",
        "2005-00-10 00:00:00",
        "2005-02-30 00:00:00",
        "2005-02-29 00:00:00",
        "2005-04-31 00:00:00",
        "2005-06-00 00:00:00",
        "2005-06-16 25:00:00",
        "2005-06-16 24:00:00",
        "2005-06-16T04:60:00Z",
        "2005-06-16T04:10:61Z",
        "2005-06-16",
        "2005-06-16T4:10:24Z",
        "Feb 30 00:00:00 host",
        "Jun 16 25:00:00 host",
        "Jun 32 04:10:24 host",
        "Foo 16 04:10:24 host",
        "[Sun Dec 04 04:47 2005]",
        "[32/Jun/2005:04:10:24 +0200]",
        "[16/Jun/2005:04:10:24 +2500]",
    ])
    func unreadableOrImpossibleStampIsNil(line: String) throws {
        #expect(try read(line) == nil)
    }

    @Test func impossibleDateIsNilInStrftimeToo() throws {
        #expect(try read("2005-02-30 04:10:24", .strftime("%Y-%m-%d %H:%M:%S")) == nil)
        #expect(try read("2005-06-16 25:10:24", .strftime("%Y-%m-%d %H:%M:%S")) == nil)
        #expect(try read("2005-13-16 04:10:24", .strftime("%Y-%m-%d %H:%M:%S")) == nil)
        #expect(try read("2005-367", .strftime("%Y-%j")) == nil)
        #expect(try read("2005-06-16 13:10:24 PM", .strftime("%F %I:%M:%S %p")) == nil)
    }

    // MARK: DST

    @Test(arguments: [
        ("2024-03-31 01:59:59", "2024-03-31T00:59:59Z"),
        ("2024-03-31 02:00:00", "2024-03-31T01:00:00Z"),
        ("2024-03-31 02:30:00", "2024-03-31T01:30:00Z"),
        ("2024-03-31 03:00:00", "2024-03-31T01:00:00Z"),
        ("2024-10-27 01:59:59", "2024-10-26T23:59:59Z"),
        ("2024-10-27 02:00:00", "2024-10-27T00:00:00Z"),
        ("2024-10-27 02:30:00", "2024-10-27T00:30:00Z"),
        ("2024-10-27 02:59:59", "2024-10-27T00:59:59Z"),
        ("2024-10-27 03:00:00", "2024-10-27T02:00:00Z"),
    ])
    func berlinGapShiftsForwardAndRepeatedHourTakesFirstOccurrence(line: String, expected: String) throws {
        #expect(try read(line, zone: "Europe/Berlin") == expected)
    }

    @Test(arguments: [
        ("2024-03-10 01:59:59", "America/New_York", "2024-03-10T06:59:59Z"),
        ("2024-03-10 02:30:00", "America/New_York", "2024-03-10T07:30:00Z"),
        ("2024-03-10 03:00:00", "America/New_York", "2024-03-10T07:00:00Z"),
        ("2024-11-03 01:30:00", "America/New_York", "2024-11-03T05:30:00Z"),
        ("2024-11-03 02:00:00", "America/New_York", "2024-11-03T07:00:00Z"),
        ("2024-04-07 01:45:00", "Australia/Lord_Howe", "2024-04-06T14:45:00Z"),
        ("2024-04-07 02:00:00", "Australia/Lord_Howe", "2024-04-06T15:30:00Z"),
        ("2024-10-06 02:15:00", "Australia/Lord_Howe", "2024-10-05T15:45:00Z"),
    ])
    func otherZonesFollowTheSameDSTRules(line: String, zone: String, expected: String) throws {
        #expect(try read(line, zone: zone) == expected)
    }

    /// One parser reading wall times across both transitions, forwards and backwards, agrees with
    /// the rule worked out from Foundation's offsets for every wall time (the offset cache is exact).
    @Test(arguments: ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Tokyo"])
    func cachedOffsetsAgreeWithTheRuleEverywhere(zone: String) throws {
        let timezone = TimeZone(identifier: zone)!
        var wallTimes: [Int64] = []
        // Five days around each 2024 transition of the four zones, every 23 minutes.
        for start in ["03-08", "03-29", "04-04", "10-04", "10-25", "11-01"] {
            let first = utc("2024-\(start)T00:00:00Z").seconds
            wallTimes += stride(from: first, to: first + 5 * 86_400, by: 23 * 60)
        }
        func offset(_ utc: Int64) -> Int64 {
            Int64(timezone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc))))
        }
        // The offsets in force within a day of the wall time; of the UTC times that show it,
        // the earliest; with none (a gap), the offset from before the gap.
        var expected: [Int64: Int64] = [:]
        for local in wallTimes {
            let offsets = Set(stride(from: local - 86_400, through: local + 86_400, by: 3 * 3600).map(offset))
            let valid = offsets.map { local - $0 }.filter { $0 + offset($0) == local }
            expected[local] = valid.min() ?? local - offset(local - 86_400)
        }
        for order in [wallTimes, wallTimes.reversed()] {
            var parser = try TimestampParser(spec: spec(.rfc3339, zone: zone), yearRule: .rolling(startYear: 2024))
            for local in order {
                let text = String(Instant(seconds: local).rfc3339.dropLast())
                #expect(parser.parse(text)?.seconds == expected[local], "\(zone) \(text)")
            }
        }
    }

    // MARK: syslog year

    @Test func rollingYearMovesOnWhenTheMonthGoesBackwards() throws {
        let lines = [
            "Dec 31 23:59:58 host a", "Jan  1 00:00:01 host b", "Feb 10 08:00:00 host c",
            "Dec 31 23:00:00 host d", "Jan  2 00:00:00 host e",
        ]
        #expect(
            try readAll(lines) == [
                "2005-12-31T23:59:58Z", "2006-01-01T00:00:01Z", "2006-02-10T08:00:00Z",
                "2006-12-31T23:00:00Z", "2007-01-02T00:00:00Z",
            ])
    }

    @Test func rollingYearIgnoresStampsLessThanADayLate() throws {
        let lines = ["Jun 30 23:59:50 a", "Jul  1 00:00:02 b", "Jun 30 23:59:59 c", "Jul  1 00:00:03 d"]
        #expect(
            try readAll(lines) == [
                "2005-06-30T23:59:50Z", "2005-07-01T00:00:02Z", "2005-06-30T23:59:59Z", "2005-07-01T00:00:03Z",
            ])
        #expect(
            try readAll(["Jul  3 00:00:00 a", "Jul  1 23:59:59 b"]) == [
                "2005-07-03T00:00:00Z", "2006-07-01T23:59:59Z",
            ])
    }

    @Test func aLateLineAcrossNewYearBelongsToTheYearJustEndedAndRollsNothing() throws {
        let lines = [
            "Dec 31 23:59:58 a", "Jan  1 00:00:01 b", "Dec 31 23:59:59 c", "Jan  1 00:00:02 d",
            "Dec 31 22:30:00 e", "Jan  1 00:10:00 f",
        ]
        #expect(
            try readAll(lines) == [
                "2005-12-31T23:59:58Z", "2006-01-01T00:00:01Z", "2005-12-31T23:59:59Z", "2006-01-01T00:00:02Z",
                "2005-12-31T22:30:00Z", "2006-01-01T00:10:00Z",
            ])
    }

    @Test func rollingYearIsUntouchedByStampsThatCarryAYear() throws {
        let lines = ["Dec 31 23:59:58 a", "2005-01-01T00:00:00Z b", "Dec 31 23:59:59 c"]
        #expect(try readAll(lines) == ["2005-12-31T23:59:58Z", "2005-01-01T00:00:00Z", "2005-12-31T23:59:59Z"])
    }

    @Test func rollingYearReadsFebruary29OnlyInALeapYear() throws {
        #expect(try read("Feb 29 12:00:00 x", years: .rolling(startYear: 2005)) == nil)
        #expect(try read("Feb 29 12:00:00 x", years: .rolling(startYear: 2004)) == "2004-02-29T12:00:00Z")
    }

    @Test(arguments: [
        ("2024-06-15T12:00:00Z", "Jun 15 11:00:00 x", "2024-06-15T11:00:00Z"),
        ("2024-06-15T12:00:00Z", "Jun 16 11:00:00 x", "2024-06-16T11:00:00Z"),
        ("2024-06-15T12:00:00Z", "Jun 16 12:00:00 x", "2024-06-16T12:00:00Z"),
        ("2024-06-15T12:00:00Z", "Jun 16 12:00:01 x", "2023-06-16T12:00:01Z"),
        ("2024-06-15T12:00:00Z", "Jun 17 00:00:00 x", "2023-06-17T00:00:00Z"),
        ("2024-06-15T12:00:00Z", "Dec 31 23:00:00 x", "2023-12-31T23:00:00Z"),
        ("2024-06-15T12:00:00Z", "Jan  1 00:00:00 x", "2024-01-01T00:00:00Z"),
        ("2024-12-31T23:30:00Z", "Jan  1 00:10:00 x", "2025-01-01T00:10:00Z"),
        ("2024-12-31T23:30:00Z", "Dec 31 23:00:00 x", "2024-12-31T23:00:00Z"),
        ("2025-01-01T00:30:00Z", "Dec 31 23:50:00 x", "2024-12-31T23:50:00Z"),
        ("2025-03-01T00:00:00Z", "Feb 29 12:00:00 x", "2024-02-29T12:00:00Z"),
    ])
    func nearestYearIsClosestToNowAndNeverMoreThanADayAhead(now: String, line: String, expected: String) throws {
        #expect(try read(line, years: .nearest(now: utc(now))) == expected)
    }

    @Test func nearestYearWorksOnWallTimeInTheSpecZone() throws {
        let now = utc("2024-06-15T12:00:00Z")
        // 13:30 in Berlin is 11:30Z, 23.5 hours ahead of now; 14:30 is 12:30Z, over a day ahead.
        #expect(
            try read("Jun 16 13:30:00 x", zone: "Europe/Berlin", years: .nearest(now: now)) == "2024-06-16T11:30:00Z")
        #expect(
            try read("Jun 16 14:30:00 x", zone: "Europe/Berlin", years: .nearest(now: now)) == "2023-06-16T12:30:00Z")
    }

    @Test func advancingNowMovesTheNearestYear() throws {
        var parser = try TimestampParser(spec: TimestampSpec(), yearRule: .nearest(now: utc("2024-12-30T12:00:00Z")))
        #expect(parser.parse("Jan  2 08:00:00 x")?.rfc3339 == "2024-01-02T08:00:00Z")
        parser.advance(now: utc("2025-01-01T09:00:00Z"))
        #expect(parser.parse("Jan  2 08:00:00 x")?.rfc3339 == "2025-01-02T08:00:00Z")
        #expect(parser.parse("Dec 31 23:59:00 x")?.rfc3339 == "2024-12-31T23:59:00Z")
    }

    @Test func advancingNowLeavesTheRollingYearAlone() throws {
        var parser = try TimestampParser(spec: TimestampSpec(), yearRule: .rolling(startYear: 2005))
        parser.advance(now: utc("2024-06-15T12:00:00Z"))
        #expect(parser.parse("Jun 16 04:10:24 x")?.rfc3339 == "2005-06-16T04:10:24Z")
    }

    // MARK: strftime

    @Test(arguments: [
        ("17/06/09 20:10:40 INFO executor", "%y/%m/%d %H:%M:%S", "2017-06-09T20:10:40Z"),
        ("081109 203615 148 INFO dfs", "%y%m%d %H%M%S", "2008-11-09T20:36:15Z"),
        ("20171223-22:15:29:606|Step_LSC|", "%Y%m%d-%H:%M:%S:%f", "2017-12-23T22:15:29.606Z"),
        ("20171223-9:5:7:99|Step_LSC|", "%Y%m%d-%H:%M:%S:%f", "2017-12-23T09:05:07.990Z"),
        ("20171223-23:17:41:97|Step_LSC|", "%Y%m%d-%H:%M:%S:%L", "2017-12-23T23:17:41.097Z"),
        ("69-01-02", "%y-%m-%d", "1969-01-02T00:00:00Z"),
        ("68-01-02", "%y-%m-%d", "2068-01-02T00:00:00Z"),
        ("00-01-02", "%y-%m-%d", "2000-01-02T00:00:00Z"),
        ("16 June 2005 04:10:24", "%d %B %Y %T", "2005-06-16T04:10:24Z"),
        ("16 Jun 2005 04:10:24", "%d %b %Y %T", "2005-06-16T04:10:24Z"),
        ("16 SEPTEMBER 2005", "%d %h %Y", "2005-09-16T00:00:00Z"),
        ("Thursday, 16 Jun 2005 04:10:24", "%A, %d %b %Y %T", "2005-06-16T04:10:24Z"),
        ("Thu 2005-06-16 04:10:24", "%a %F %T", "2005-06-16T04:10:24Z"),
        ("2005-167 04:10:24", "%Y-%j %T", "2005-06-16T04:10:24Z"),
        ("2004-366", "%Y-%j", "2004-12-31T00:00:00Z"),
        ("06/16/2005 04:10:24 PM", "%m/%d/%Y %I:%M:%S %p", "2005-06-16T16:10:24Z"),
        ("06/16/2005 12:00:00 am", "%m/%d/%Y %I:%M:%S %p", "2005-06-16T00:00:00Z"),
        ("06/16/2005 12:00:00 PM", "%m/%d/%Y %I:%M:%S %p", "2005-06-16T12:00:00Z"),
        ("06/16/2005  4:10:24 AM", "%m/%d/%Y %l:%M:%S %p", "2005-06-16T04:10:24Z"),
        ("2005-06-16 04:10:24 +0200", "%F %T %z", "2005-06-16T02:10:24Z"),
        ("2005-06-16 04:10:24 -05:00", "%F %T %z", "2005-06-16T09:10:24Z"),
        ("2005-06-16 04:10:24 Z", "%F %T %z", "2005-06-16T04:10:24Z"),
        ("2005-06-16 04:10:24 UTC", "%F %T %Z", "2005-06-16T04:10:24Z"),
        ("2005-06-16 04:10:24 GMT", "%F %T %Z", "2005-06-16T04:10:24Z"),
        ("1131566461 x", "%s", "2005-11-09T20:01:01Z"),
        ("1131566461.25 x", "%s.%f", "2005-11-09T20:01:01.250Z"),
        ("Jun  9 04:10:24 host", "%b %e %H:%M:%S", "2005-06-09T04:10:24Z"),
        ("Jun 19 04:10:24 host", "%b %e %H:%M:%S", "2005-06-19T04:10:24Z"),
        ("100% 2005-06-16", "100%% %F", "2005-06-16T00:00:00Z"),
        ("2005-06-16 \t  04:10:24", "%F %T", "2005-06-16T04:10:24Z"),
        ("[16/Jun/2005:04:10:24 +0200]", "[%d/%b/%Y:%H:%M:%S %z]", "2005-06-16T02:10:24Z"),
        ("[2005-06-16 04:10:24] x", "%F %T", "2005-06-16T04:10:24Z"),
        ("node7 2005.11.09 12:01:01", "%Y.%m.%d %T", "2005-11-09T12:01:01Z"),
    ])
    func strftimeReadsEveryDirective(line: String, pattern: String, expected: String) throws {
        #expect(try read(line, .strftime(pattern)) == expected)
    }

    @Test func strftimeStampWithoutOffsetTakesTheSpecZone() throws {
        #expect(
            try read("17/06/09 20:10:40 INFO", .strftime("%y/%m/%d %T"), zone: "Europe/Berlin")
                == "2017-06-09T18:10:40Z")
        #expect(
            try read("2017-06-09 20:10:40 UTC", .strftime("%F %T %Z"), zone: "Europe/Berlin") == "2017-06-09T20:10:40Z"
        )
    }

    @Test(arguments: [
        ("2005-06-16 04:10:24 CEST", "%F %T %Z"),
        ("2005/06/16", "%F"),
        ("2005-06-16 04:10", "%F %T"),
        ("2005-06-1604:10:24", "%F %T"),
        ("16 Jux 2005", "%d %b %Y"),
        ("2005-06-16 04:10:24 XM", "%F %I:%M:%S %p"),
    ])
    func strftimeMismatchIsNil(line: String, pattern: String) throws {
        #expect(try read(line, .strftime(pattern)) == nil)
    }

    @Test func strftimeWithoutYearFollowsTheYearRule() throws {
        let lines = ["12-31 23:59:59 a", "01-01 00:00:01 b"]
        #expect(try readAll(lines, .strftime("%m-%d %T")) == ["2005-12-31T23:59:59Z", "2006-01-01T00:00:01Z"])
        let now = utc("2024-06-15T12:00:00Z")
        #expect(try read("12-31 23:00:00", .strftime("%m-%d %T"), years: .nearest(now: now)) == "2023-12-31T23:00:00Z")
    }

    // MARK: strftime validation

    @Test(arguments: [
        "%y/%m/%d %H:%M:%S", "%y%m%d %H%M%S", "%Y%m%d-%H:%M:%S:%f", "%Y%m%d-%H:%M:%S:%L", "%s", "%Y-%j",
        "%b %e %T", "%F %T %z", "[%d/%b/%Y:%H:%M:%S %z]", "%a %B %d %I:%M:%S %p %Y %Z", "%m/%d %k:%M 100%%",
    ])
    func validPatternsPassValidation(pattern: String) throws {
        try TimestampParser.validate(strftime: pattern)
    }

    @Test(arguments: [
        ("%Q", TimestampError.Code.unknownDirective, 0),
        ("%Y-%m-%d %H:%M:%q", .unknownDirective, 15),
        ("date %Y-%m-%dT%H:%M:%S.%3N", .unknownDirective, 23),
        ("h\u{e9}t\u{e9} %Y-%m-%d %Ö", .unknownDirective, 16),
        ("%Y-%m-%d %H:%M:%", .incompleteDirective, 15),
        ("%H:%M:%S", .missingDate, 8),
        ("%Y-%m %H:%M", .missingDate, 11),
        ("%j %H:%M", .missingDate, 8),
        ("", .missingDate, 0),
    ])
    func invalidPatternIsReportedWithItsOffset(
        pattern: String,
        code: TimestampError.Code,
        offset: Int
    ) throws {
        let error = #expect(throws: TimestampError.self) { try TimestampParser.validate(strftime: pattern) }
        #expect(error?.code == code)
        #expect(error?.offset == offset)
    }

    @Test func unknownDirectiveMessageNamesItAndTheKnownOnes() throws {
        let error = #expect(throws: TimestampError.self) {
            try TimestampParser(
                spec: TimestampSpec(format: .strftime("%Y-%m-%d %Ö")), yearRule: .rolling(startYear: 2005))
        }
        #expect(error?.message.hasPrefix("unknown strftime directive %Ö; use one of %Y %y %m %d") == true)
        #expect(error?.description.hasSuffix("(at offset 9 of the pattern)") == true)
    }

    // MARK: real logs (first line of each Loghub sample, https://github.com/logpai/loghub)

    @Test(arguments: [
        (
            "Linux", "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0",
            TimestampFormat.auto, "2005-06-14T15:16:01Z"
        ),
        (
            "OpenSSH",
            "Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com",
            .auto, "2005-12-10T06:55:46Z"
        ),
        (
            "Thunderbird",
            "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed",
            .auto, "2005-11-09T20:01:01Z"
        ),
        (
            "Apache", "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
            .auto, "2005-12-04T04:47:44Z"
        ),
        (
            "Zookeeper",
            "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774]",
            .auto, "2015-07-29T17:41:44.747Z"
        ),
        (
            "Hadoop", "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created",
            .auto, "2015-10-18T18:01:47.978Z"
        ),
        (
            "Spark", "17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers",
            .strftime("%y/%m/%d %H:%M:%S"), "2017-06-09T20:10:40Z"
        ),
        (
            "HDFS", "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block",
            .strftime("%y%m%d %H%M%S"), "2008-11-09T20:36:15Z"
        ),
        (
            "HealthApp", "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
            .strftime("%Y%m%d-%H:%M:%S:%f"), "2017-12-23T22:15:29.606Z"
        ),
    ])
    func realLogFirstLineReads(log: String, line: String, format: TimestampFormat, expected: String) throws {
        #expect(try read(line, format) == expected, "\(log)")
    }
}
