import Foundation
import HeartlineCore
import Testing

struct CronTests {
    static let utc = "UTC"
    static let berlin = "Europe/Berlin"
    static let newYork = "America/New_York"

    // MARK: Parsing

    static let fieldCases: [FieldCase] = [
        FieldCase(expression: "* * * * *", kind: .minute, values: Array(0...59)),
        FieldCase(expression: "* * * * *", kind: .dayOfMonth, values: Array(1...31)),
        FieldCase(expression: "* * * * *", kind: .dayOfWeek, values: Array(0...6)),
        FieldCase(expression: "7 * * * *", kind: .minute, values: [7]),
        FieldCase(expression: "*/15 * * * *", kind: .minute, values: [0, 15, 30, 45]),
        FieldCase(expression: "1-30/7 * * * *", kind: .minute, values: [1, 8, 15, 22, 29]),
        FieldCase(expression: "5/15 * * * *", kind: .minute, values: [5, 20, 35, 50]),
        FieldCase(expression: "1,2,5-7 * * * *", kind: .minute, values: [1, 2, 5, 6, 7]),
        FieldCase(expression: "*/100 * * * *", kind: .minute, values: [0]),
        FieldCase(expression: "05 * * * *", kind: .minute, values: [5]),
        FieldCase(expression: "0 */6 * * *", kind: .hour, values: [0, 6, 12, 18]),
        FieldCase(expression: "0 9-17/4,23 * * *", kind: .hour, values: [9, 13, 17, 23]),
        FieldCase(expression: "0 0 1,15,31 * *", kind: .dayOfMonth, values: [1, 15, 31]),
        FieldCase(expression: "0 0 */10 * *", kind: .dayOfMonth, values: [1, 11, 21, 31]),
        FieldCase(expression: "0 0 * jan,MAR-may *", kind: .month, values: [1, 3, 4, 5]),
        FieldCase(expression: "0 0 * Jun/2 *", kind: .month, values: [6, 8, 10, 12]),
        FieldCase(expression: "0 0 * */4 *", kind: .month, values: [1, 5, 9]),
        FieldCase(expression: "0 0 * 12 *", kind: .month, values: [12]),
        FieldCase(expression: "0 0 * * mon-fri", kind: .dayOfWeek, values: [1, 2, 3, 4, 5]),
        FieldCase(expression: "0 0 * * 7", kind: .dayOfWeek, values: [0]),
        FieldCase(expression: "0 0 * * 0,7", kind: .dayOfWeek, values: [0]),
        FieldCase(expression: "0 0 * * 5-7", kind: .dayOfWeek, values: [0, 5, 6]),
        FieldCase(expression: "0 0 * * SUN,sat", kind: .dayOfWeek, values: [0, 6]),
        FieldCase(expression: "0 0 * * */2", kind: .dayOfWeek, values: [0, 2, 4, 6]),
        FieldCase(expression: "0 0 * * fri/1", kind: .dayOfWeek, values: [0, 5, 6]),
        FieldCase(expression: "*,5 0 * * *", kind: .minute, values: Array(0...59)),
        FieldCase(expression: "  0\t12   * * *  ", kind: .hour, values: [12]),
    ]

    @Test(arguments: fieldCases)
    func fieldSyntaxSelectsTheseValues(_ test: FieldCase) throws {
        let cron = try CronExpression(parsing: test.expression)
        #expect(Self.field(test.kind, of: cron).values == test.values)
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase("61 * * * *", "minute field: 61 is out of range 0-59"),
        ErrorCase("* 24 * * *", "hour field: 24 is out of range 0-23"),
        ErrorCase("* * 0 * *", "day-of-month field: 0 is out of range 1-31"),
        ErrorCase("* * 32 * *", "day-of-month field: 32 is out of range 1-31"),
        ErrorCase("* * * 13 *", "month field: 13 is out of range 1-12"),
        ErrorCase("* * * * 8", "day-of-week field: 8 is out of range 0-7"),
        ErrorCase("1-99 * * * *", "minute field: 99 is out of range 0-59"),
        ErrorCase("99999999999999999999 * * * *", "minute field: 99999999999999999999 is out of range 0-59"),
        ErrorCase("x * * * *", "minute field: 'x' is not a number 0-59"),
        ErrorCase("jan * * * *", "minute field: 'jan' is not a number 0-59"),
        ErrorCase("-5 * * * *", "minute field: an empty value is not a number 0-59"),
        ErrorCase("*-5 * * * *", "minute field: '*' is not a number 0-59"),
        ErrorCase("* * * foo *", "month field: 'foo' is not a number 1-12 or a month name jan-dec"),
        ErrorCase("* * * * monday", "day-of-week field: 'monday' is not a number 0-7 or a weekday name sun-sat"),
        ErrorCase("*/0 * * * *", "minute field: step 0 in '*/0' must be at least 1"),
        ErrorCase("*/x * * * *", "minute field: step 'x' in '*/x' is not a number"),
        ErrorCase("* 1/2/3 * * *", "hour field: step '2/3' in '1/2/3' is not a number"),
        ErrorCase("1,,2 * * * *", "minute field: empty list item in '1,,2'; remove the extra comma"),
        ErrorCase("* 5-3 * * *", "hour field: range 5-3 runs backwards; write the smaller value first"),
        ErrorCase("* * * * fri-mon", "day-of-week field: range fri-mon runs backwards; write the smaller value first"),
        ErrorCase("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"),
        ErrorCase("* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 6"),
        ErrorCase("", "expected 5 fields (minute hour day-of-month month day-of-week), got 0"),
        ErrorCase(
            "@hourlyy",
            "unknown macro @hourlyy; expected one of @hourly, @daily, @midnight, @weekly, "
                + "@monthly, @yearly, @annually"),
        ErrorCase(
            "@daily 0",
            "unknown macro @daily 0; expected one of @hourly, @daily, @midnight, @weekly, "
                + "@monthly, @yearly, @annually"),
    ]

    @Test(arguments: errorCases)
    func malformedExpressionIsRejectedWithFieldAndExpectation(_ test: ErrorCase) {
        #expect(throws: CronError(message: test.message)) {
            try CronExpression(parsing: test.expression)
        }
    }

    static let neverFiringCases: [ErrorCase] = [
        ErrorCase("* * 31 2 *", "cron '* * 31 2 *' never fires: February has at most 29 days"),
        ErrorCase("0 0 30 2 *", "cron '0 0 30 2 *' never fires: February has at most 29 days"),
        ErrorCase("0 0 30,31 feb *", "cron '0 0 30,31 feb *' never fires: February has at most 29 days"),
        ErrorCase(
            "0 0 31 4,6,9,11 *",
            "cron '0 0 31 4,6,9,11 *' never fires: April, June, September and November have at most 30 days"),
        ErrorCase(
            " 0 0 31 2,4 */2 ",
            "cron '0 0 31 2,4 */2' never fires: February has at most 29 days; April has at most 30 days"),
    ]

    /// Without Vixie cron's either-field rule a day must match both fields, so a day-of-month that no
    /// selected month has means the expression never fires, and `missing` would stay silent.
    @Test(arguments: neverFiringCases)
    func dayOfMonthThatNoSelectedMonthHasIsRefused(_ test: ErrorCase) {
        #expect(throws: CronError(code: .neverFires, message: test.message)) {
            try CronExpression(parsing: test.expression)
        }
    }

    @Test(arguments: ["0 0 29 2 *", "0 0 31 1-12 *", "0 0 31 2 1", "0 0 30 1,2 *", "0 0 */30 2 *", "0 0 31 * *"])
    func lookAlikeThatFiresIsAccepted(_ expression: String) throws {
        let cron = try CronExpression(parsing: expression)
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(cron.nextFire(after: Self.instant("2024-01-01T00:00:00Z"), in: utc) != nil)
    }

    static let macroCases: [(String, String)] = [
        ("@hourly", "0 * * * *"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
        ("@Daily", "0 0 * * *"),
    ]

    @Test(arguments: macroCases)
    func macroMeansItsFiveFields(_ macro: String, _ fields: String) throws {
        let expanded = try CronExpression(parsing: macro)
        let written = try CronExpression(parsing: fields)
        for kind in CronField.Kind.allCases {
            #expect(Self.field(kind, of: expanded) == Self.field(kind, of: written))
        }
        #expect(expanded.source == macro)
    }

    @Test func descriptionIsTheSourceAsWritten() throws {
        let cron = try CronExpression(parsing: " 30  2 * * * ")
        #expect(cron.description == " 30  2 * * * ")
        #expect(CronError(message: "m").description == "m")
    }

    @Test(arguments: [
        ("0 0 13 * fri", true), ("0 0 1-7 * mon", true), ("0 0 * * fri", false), ("0 0 13 * *", false),
        ("0 0 */2 * mon", false), ("0 0 13 * */2", false),
    ])
    func dayFieldsCombineWithOrOnlyWhenNeitherStartsWithStar(_ expression: String, _ either: Bool) throws {
        #expect(try CronExpression(parsing: expression).matchesEitherDayField == either)
    }

    // MARK: Fire times in UTC

    static let utcCases: [FireCase] = [
        FireCase("*/15 * * * *", utc, "2024-05-01T10:07:30Z", "2024-05-01T10:15:00Z"),
        FireCase("*/15 * * * *", utc, "2024-05-01T10:15:00Z", "2024-05-01T10:30:00Z"),
        FireCase("* * * * *", utc, "2024-05-01T10:15:59Z", "2024-05-01T10:16:00Z"),
        FireCase("30 2 * * *", utc, "2024-05-01T02:29:59Z", "2024-05-01T02:30:00Z"),
        FireCase("30 2 * * *", utc, "2024-05-01T02:30:00Z", "2024-05-02T02:30:00Z"),
        FireCase("0 9-17 * * *", utc, "2024-05-01T17:00:00Z", "2024-05-02T09:00:00Z"),
        FireCase("0 0 31 * *", utc, "2024-01-31T00:00:00Z", "2024-03-31T00:00:00Z"),
        FireCase("0 12 * apr,oct *", utc, "2024-04-30T12:00:00Z", "2024-10-01T12:00:00Z"),
        // Year boundaries.
        FireCase("0 0 1 1 *", utc, "2024-12-31T23:59:59Z", "2025-01-01T00:00:00Z"),
        FireCase("59 23 31 12 *", utc, "2024-12-31T23:59:00Z", "2025-12-31T23:59:00Z"),
        FireCase("*/30 * * * *", utc, "2024-12-31T23:45:00Z", "2025-01-01T00:00:00Z"),
        FireCase("0 0 * * mon", utc, "2024-12-31T00:00:00Z", "2025-01-06T00:00:00Z"),
        FireCase("0 0 * dec *", utc, "2024-12-31T00:00:00Z", "2025-12-01T00:00:00Z"),
        // Leap days: 2100 is not a leap year.
        FireCase("0 0 29 2 *", utc, "2024-01-01T00:00:00Z", "2024-02-29T00:00:00Z"),
        FireCase("0 0 29 2 *", utc, "2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z"),
        FireCase("0 0 29 2 *", utc, "2096-02-29T00:00:00Z", "2104-02-29T00:00:00Z"),
        // A leap day that must also be a Sunday: 2032, 2060, 2088, then 2128.
        FireCase("0 0 29 2 */7", utc, "2024-01-01T00:00:00Z", "2032-02-29T00:00:00Z"),
        FireCase("0 0 29 2 */7", utc, "2088-02-29T00:00:00Z", "2128-02-29T00:00:00Z"),
        // Vixie cron: both day fields restricted, so either may match.
        FireCase("0 0 13 * fri", utc, "2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z"),
        FireCase("0 0 13 * fri", utc, "2024-01-12T00:00:00Z", "2024-01-13T00:00:00Z"),
        FireCase("0 0 1-7 * mon", utc, "2024-01-07T00:00:00Z", "2024-01-08T00:00:00Z"),
        FireCase("0 0 1-7 * mon", utc, "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"),
        // One day field starts with `*`, so both must match.
        FireCase("0 0 13 * *", utc, "2024-01-01T00:00:00Z", "2024-01-13T00:00:00Z"),
        FireCase("0 0 * * fri", utc, "2024-01-01T00:00:00Z", "2024-01-05T00:00:00Z"),
        FireCase("0 0 */2 * mon", utc, "2024-01-01T00:00:00Z", "2024-01-15T00:00:00Z"),
        FireCase("0 0 13 * */2", utc, "2024-01-13T00:00:00Z", "2024-02-13T00:00:00Z"),
        FireCase("0 0 13 * */2", utc, "2024-02-13T00:00:00Z", "2024-04-13T00:00:00Z"),
        // Weekday 7 is Sunday.
        FireCase("0 0 * * 7", utc, "2024-01-01T00:00:00Z", "2024-01-07T00:00:00Z"),
        // Macros.
        FireCase("@hourly", utc, "2024-01-01T12:00:00Z", "2024-01-01T13:00:00Z"),
        FireCase("@daily", utc, "2024-01-01T12:00:00Z", "2024-01-02T00:00:00Z"),
        FireCase("@weekly", utc, "2024-01-01T12:00:00Z", "2024-01-07T00:00:00Z"),
        FireCase("@monthly", utc, "2024-01-31T00:00:00Z", "2024-02-01T00:00:00Z"),
        FireCase("@yearly", utc, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"),
        // Days that only some years or only one day field has.
        FireCase("0 0 31 2 1", utc, "2024-01-01T00:00:00Z", "2024-02-05T00:00:00Z"),
        FireCase("0 0 30 1,2 *", utc, "2024-02-01T00:00:00Z", "2025-01-30T00:00:00Z"),
        FireCase("0 0 31 1-12 *", utc, "2024-04-01T00:00:00Z", "2024-05-31T00:00:00Z"),
        // Before the epoch.
        FireCase("0 0 1 1 *", utc, "1969-06-01T00:00:00Z", "1970-01-01T00:00:00Z"),
    ]

    @Test(arguments: utcCases)
    func nextFireInUTC(_ test: FireCase) throws {
        try Self.check(test)
    }

    @Test func fireTimeIsStrictlyAfterAnInstantWithAFraction() throws {
        let cron = try CronExpression(parsing: "*/15 * * * *")
        let utc = try #require(TimeZone(identifier: "UTC"))
        let fire = Self.instant("2024-05-01T10:15:00Z")
        #expect(cron.nextFire(after: Instant(nanoseconds: fire.nanoseconds - 1), in: utc) == fire)
        let later = Instant(nanoseconds: fire.nanoseconds + 500_000_000)
        #expect(cron.nextFire(after: later, in: utc) == Self.instant("2024-05-01T10:30:00Z"))
    }

    // MARK: Daylight-saving time
    // Europe/Berlin 2024: 02:00 CET → 03:00 CEST on 31 March; 03:00 CEST → 02:00 CET on 27 October.
    // America/New_York 2024: 02:00 EST → 03:00 EDT on 10 March; 02:00 EDT → 01:00 EST on 3 November.

    static let fixedTimeCases: [FireCase] = [
        // A fixed time inside the gap moves to the instant the gap ends.
        FireCase("30 2 * * *", berlin, "2024-03-30T02:30:00+01:00", "2024-03-31T03:00:00+02:00"),
        FireCase("30 2 * * *", berlin, "2024-03-31T03:00:00+02:00", "2024-04-01T02:30:00+02:00"),
        FireCase("0,30 2 * * *", berlin, "2024-03-31T01:59:00+01:00", "2024-03-31T03:00:00+02:00"),
        FireCase("0,30 2 * * *", berlin, "2024-03-31T03:00:00+02:00", "2024-04-01T02:00:00+02:00"),
        FireCase("30 2,3 * * *", berlin, "2024-03-31T03:00:00+02:00", "2024-03-31T03:30:00+02:00"),
        FireCase("30 2 * * *", newYork, "2024-03-09T02:30:00-05:00", "2024-03-10T03:00:00-04:00"),
        FireCase("30 2 * * *", newYork, "2024-03-10T03:00:00-04:00", "2024-03-11T02:30:00-04:00"),
        // A fixed time inside the repeated hour fires once, at its first occurrence.
        FireCase("30 2 * * *", berlin, "2024-10-26T02:30:00+02:00", "2024-10-27T02:30:00+02:00"),
        FireCase("30 2 * * *", berlin, "2024-10-27T02:30:00+02:00", "2024-10-28T02:30:00+01:00"),
        FireCase("0 3 * * *", berlin, "2024-10-27T02:45:00+01:00", "2024-10-27T03:00:00+01:00"),
        FireCase("30 1 * * *", newYork, "2024-11-02T01:30:00-04:00", "2024-11-03T01:30:00-04:00"),
        FireCase("30 1 * * *", newYork, "2024-11-03T01:30:00-04:00", "2024-11-04T01:30:00-05:00"),
        // Ordinary days keep the wall-clock time across the change.
        FireCase("0 9 * * mon-fri", newYork, "2024-03-08T09:00:00-05:00", "2024-03-11T09:00:00-04:00"),
        FireCase("@daily", berlin, "2024-10-26T23:00:00+02:00", "2024-10-27T00:00:00+02:00"),
        FireCase("@daily", berlin, "2024-10-27T00:00:00+02:00", "2024-10-28T00:00:00+01:00"),
    ]

    @Test(arguments: fixedTimeCases)
    func fixedTimeJobMovesOutOfGapAndFiresOnceInRepeatedHour(_ test: FireCase) throws {
        try Self.check(test)
    }

    static let secondPassCases: [FireCase] = [
        FireCase("30 2 * * *", berlin, "2024-10-27T02:45:00+01:00", "2024-10-28T02:30:00+01:00"),
        FireCase("30 2 * * *", berlin, "2024-10-27T02:10:00+01:00", "2024-10-28T02:30:00+01:00"),
        FireCase("30 1 * * *", newYork, "2024-11-03T01:45:00-05:00", "2024-11-04T01:30:00-05:00"),
        FireCase("30 1 * * *", newYork, "2024-11-03T01:10:00-05:00", "2024-11-04T01:30:00-05:00"),
        FireCase("*/15 * * * *", berlin, "2024-10-27T02:45:00+01:00", "2024-10-27T03:00:00+01:00"),
        FireCase("* 1 * * *", newYork, "2024-11-03T01:59:00-05:00", "2024-11-04T01:00:00-05:00"),
    ]

    /// A success logged in the second pass of a repeated hour: the next due time must be strictly
    /// after that success, never the first-pass wall-clock time it already passed.
    @Test(arguments: secondPassCases)
    func successInSecondPassOfRepeatedHourGetsALaterDueTime(_ test: FireCase) throws {
        try Self.check(test)
    }

    static let realTimeCases: [FireCase] = [
        // Wall-clock times inside the gap never happen.
        FireCase("*/15 * * * *", berlin, "2024-03-31T01:45:00+01:00", "2024-03-31T03:00:00+02:00"),
        FireCase("0 * * * *", berlin, "2024-03-31T01:00:00+01:00", "2024-03-31T03:00:00+02:00"),
        FireCase("*/30 2 * * *", berlin, "2024-03-30T02:30:00+01:00", "2024-04-01T02:00:00+02:00"),
        FireCase("30 * * * *", newYork, "2024-03-10T01:30:00-05:00", "2024-03-10T03:30:00-04:00"),
        // Wall-clock times inside the repeated hour happen twice.
        FireCase("*/15 * * * *", berlin, "2024-10-27T02:30:00+02:00", "2024-10-27T02:45:00+02:00"),
        FireCase("*/15 * * * *", berlin, "2024-10-27T02:45:00+02:00", "2024-10-27T02:00:00+01:00"),
        FireCase("0 * * * *", berlin, "2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00"),
        FireCase("*/20 2 * * *", berlin, "2024-10-27T02:40:00+02:00", "2024-10-27T02:00:00+01:00"),
        FireCase("30 * * * *", newYork, "2024-11-03T01:30:00-04:00", "2024-11-03T01:30:00-05:00"),
        FireCase("* 1 * * *", newYork, "2024-11-03T01:59:00-04:00", "2024-11-03T01:00:00-05:00"),
    ]

    @Test(arguments: realTimeCases)
    func starMinuteOrHourJobFiresAtWallClockTimesThatReallyOccur(_ test: FireCase) throws {
        try Self.check(test)
    }

    @Test func everyQuarterHourFiresThroughBothPassesOfTheRepeatedHour() throws {
        let cron = try CronExpression(parsing: "*/15 * * * *")
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        var at = Self.instant("2024-10-27T02:30:00+02:00")
        var fires: [Instant] = []
        for _ in 0..<6 {
            at = try #require(cron.nextFire(after: at, in: berlin))
            fires.append(at)
        }
        let expected = [
            "2024-10-27T02:45:00+02:00", "2024-10-27T02:00:00+01:00", "2024-10-27T02:15:00+01:00",
            "2024-10-27T02:30:00+01:00", "2024-10-27T02:45:00+01:00", "2024-10-27T03:00:00+01:00",
        ].map(Self.instant)
        #expect(fires == expected)
    }

    /// Counting a whole year pins both rules at once: the gap loses one hourly fire and the repeated
    /// hour adds one, while a fixed daily time fires exactly once on each of 2024's 366 days.
    @Test(arguments: [
        ("0 * * * *", "Europe/Berlin", 366 * 24), ("0 * * * *", "America/New_York", 366 * 24),
        ("30 2 * * *", "Europe/Berlin", 366), ("30 1 * * *", "America/New_York", 366),
        ("*/30 2 * * *", "Europe/Berlin", 366 * 2), ("30 1 * * *", "UTC", 366),
    ])
    func fireCountOverLeapYear2024(_ expression: String, _ zone: String, _ count: Int) throws {
        let cron = try CronExpression(parsing: expression)
        let timezone = try #require(TimeZone(identifier: zone))
        let offsetAtStart = Int64(timezone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_704_067_200)))
        let offsetAtEnd = Int64(timezone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_735_689_600)))
        let start = Instant(seconds: 1_704_067_200 - offsetAtStart - 1)
        let end = Instant(seconds: 1_735_689_600 - offsetAtEnd)
        var at = start
        var fires = 0
        while let next = cron.nextFire(after: at, in: timezone), next < end {
            #expect(next > at)
            fires += 1
            at = next
        }
        #expect(fires == count)
    }

    // MARK: Helpers

    private static func check(_ test: FireCase) throws {
        let cron = try CronExpression(parsing: test.expression)
        let timezone = try #require(TimeZone(identifier: test.zone))
        let fire = cron.nextFire(after: instant(test.after), in: timezone)
        #expect(fire == test.next.map(instant))
    }

    private static func field(_ kind: CronField.Kind, of cron: CronExpression) -> CronField {
        switch kind {
        case .minute: cron.minutes
        case .hour: cron.hours
        case .dayOfMonth: cron.daysOfMonth
        case .month: cron.months
        case .dayOfWeek: cron.daysOfWeek
        }
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM`, the only forms these tables use.
    private static func instant(_ text: String) -> Instant {
        let digits = text.split(whereSeparator: { !$0.isNumber }).map { Int($0)! }
        let days = CivilDate.days(year: digits[0], month: digits[1], day: digits[2])
        var seconds = days * 86_400 + digits[3] * 3600 + digits[4] * 60 + digits[5]
        if !text.hasSuffix("Z") {
            let offset = digits[6] * 3600 + digits[7] * 60
            seconds -= text.dropFirst(19).hasPrefix("-") ? -offset : offset
        }
        return Instant(seconds: Int64(seconds))
    }
}

extension CronTests {
    /// One expression and the values one of its fields must hold.
    struct FieldCase: Sendable, CustomTestStringConvertible {
        var expression: String
        var kind: CronField.Kind
        var values: [Int]
        var testDescription: String { "\(expression) → \(kind.name) \(values)" }
    }

    /// An expression that must not parse, and the exact message.
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var expression: String
        var message: String
        var testDescription: String { "'\(expression)'" }

        init(_ expression: String, _ message: String) {
            self.expression = expression
            self.message = message
        }
    }

    /// An expression, a zone, an instant, and the fire time that must follow it (nil: none).
    struct FireCase: Sendable, CustomTestStringConvertible {
        var expression: String
        var zone: String
        var after: String
        var next: String?
        var testDescription: String { "\(expression) in \(zone) after \(after) → \(next ?? "nil")" }

        init(_ expression: String, _ zone: String, _ after: String, _ next: String?) {
            self.expression = expression
            self.zone = zone
            self.after = after
            self.next = next
        }
    }
}
