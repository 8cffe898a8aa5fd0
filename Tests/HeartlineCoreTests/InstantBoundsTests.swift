import Foundation
import HeartlineCore
import Testing

/// Heartline's times end at ``Instant/latest`` and begin at ``Instant/earliest``: arithmetic past
/// them gives nil (a deadline that never comes) or clamps, and never traps.
struct InstantBoundsTests {
    @Test func boundsAreTheWholeSecondsThatInt64NanosecondsHold() {
        #expect(Instant.latest.rfc3339 == "2262-04-11T23:47:16Z")
        #expect(Instant.earliest.rfc3339 == "1677-09-21T00:12:44Z")
        #expect(Instant.latest.seconds == Int64.max / 1_000_000_000)
        #expect(Instant.earliest.seconds == -(Int64.max / 1_000_000_000))
    }

    @Test(arguments: [
        (Instant.latest, Int64(0), Instant.latest),
        (Instant.latest, Int64(1), nil),
        (Instant.latest, Int64(-1), Instant(seconds: 9_223_372_035)),
        (Instant(seconds: 9_200_000_000), Int64(60 * 86_400), Instant(seconds: 9_205_184_000)),
        (Instant(seconds: 9_220_000_000), Int64(60 * 86_400), nil),
        (Instant(seconds: 0), Int64.max, nil),
        (Instant(seconds: 0), Int64.min, nil),
        (Instant(nanoseconds: .max), Int64(0), nil),
        (Instant.earliest, Int64(-1), nil),
    ])
    func addingPastTheBoundsIsNil(_ start: Instant, _ seconds: Int64, _ expected: Instant?) {
        #expect(start.adding(seconds: seconds) == expected)
    }

    @Test(arguments: [
        (Instant(seconds: 1000), Int64(600), Instant(seconds: 400)),
        (Instant.earliest, Int64(1), Instant.earliest),
        (Instant(seconds: 0), Int64.max, Instant.earliest),
    ])
    func windowStartClampsToTheEarliestInstant(_ end: Instant, _ seconds: Int64, _ expected: Instant) {
        #expect(end.windowStart(seconds: seconds) == expected)
    }

    @Test(arguments: [
        (Int64(9_223_372_036), Int64(0), Instant.latest),
        (Int64(9_223_372_036), Int64(1), nil),
        (Int64(9_223_372_037), Int64(0), nil),
        (Int64(-9_223_372_036), Int64(0), Instant.earliest),
        (Int64(-9_223_372_037), Int64(999_999_999), nil),
        (Int64(1), Int64(1_000_000_000), nil),
    ])
    func secondsAndNanosecondOutsideTheBoundsAreNil(_ seconds: Int64, _ nanosecond: Int64, _ expected: Instant?) {
        #expect(Instant(seconds: seconds, nanosecond: nanosecond) == expected)
    }

    @Test func wholeSecondsClampToTheBounds() {
        #expect(Instant(seconds: .max) == Instant.latest)
        #expect(Instant(seconds: .min) == Instant.earliest)
    }

    @Test(arguments: [
        (Int64.min, Int64(-9_223_372_037), Int64(145_224_192)),
        (Int64.max, Int64(9_223_372_036), Int64(854_775_807)),
        (Int64(-1), Int64(-1), Int64(999_999_999)),
    ])
    func secondsAndFractionOfExtremeNanosecondsDoNotTrap(_ nanoseconds: Int64, _ seconds: Int64, _ fraction: Int64) {
        let instant = Instant(nanoseconds: nanoseconds)
        #expect(instant.seconds == seconds)
        #expect(instant.fractionNanoseconds == fraction)
    }

    @Test(arguments: [
        ("2262-04-11T23:47:16Z", RFC3339.Reading.instant(.latest)),
        ("1677-09-21T00:12:44Z", .instant(.earliest)),
        ("2262-04-12T00:00:00+01:00", .instant(Instant(seconds: 9_223_369_200))),
        ("2262-04-11T23:47:17Z", .afterLatest),
        ("2262-04-11T23:47:16.5Z", .afterLatest),
        ("2262-04-11T23:00:00-01:00", .afterLatest),
        ("2500-01-01T00:00:00Z", .afterLatest),
        ("9999-12-31T23:59:59Z", .afterLatest),
        ("1677-09-21T00:12:43Z", .beforeEarliest),
        ("0001-01-01T00:00:00Z", .beforeEarliest),
        ("2500-02-29T00:00:00Z", .notATime),
        ("2500-13-01T00:00:00Z", .notATime),
        ("tomorrow", .notATime),
    ])
    func rfc3339TellsOutOfRangeFromNotATime(_ text: String, _ expected: RFC3339.Reading) {
        #expect(RFC3339.read(text) == expected)
    }

    @Test(arguments: [
        ("9200000000 job done", Instant(seconds: 9_200_000_000)),
        ("9223372036 job done", Instant.latest),
        ("9223372037 job done", nil),
        ("999999999999999999 job done", nil),
    ])
    func epochStampPastTheBoundIsUnreadable(_ line: String, _ expected: Instant?) throws {
        var parser = try TimestampParser(spec: TimestampSpec(format: .epoch), yearRule: .rolling(startYear: 2024))
        #expect(parser.parse(line) == expected)
    }

    @Test(arguments: [
        ("2262-04-11T23:47:16Z", Instant.latest),
        ("2262-04-11T23:47:17Z", nil),
        ("2300-01-01T00:00:00Z", nil),
    ])
    func rfc3339StampPastTheBoundIsUnreadable(_ line: String, _ expected: Instant?) throws {
        var parser = try TimestampParser(spec: TimestampSpec(format: .rfc3339), yearRule: .rolling(startYear: 2024))
        #expect(parser.parse(line) == expected)
    }

    @Test(arguments: [
        ("0 0 29 2 *", nil),
        ("0 0 1 4 *", "2262-04-01T00:00:00Z"),
        ("47 23 11 4 *", "2262-04-11T23:47:00Z"),
        ("48 23 11 4 *", nil),
    ])
    func cronFireTimePastTheBoundIsNil(_ expression: String, _ expected: String?) throws {
        let cron = try CronExpression(parsing: expression)
        let utc = try #require(TimeZone(identifier: "UTC"))
        let fire = cron.nextFire(after: Instant(seconds: 9_200_000_000), in: utc)
        #expect(fire?.rfc3339 == expected)
    }
}
