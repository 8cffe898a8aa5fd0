import Foundation
import HeartlineCore
import Testing

/// `calendar:` expressions (systemd.time(7), SPEC §7). Every normalized form and elapse below was
/// printed by systemd 252's `systemd-analyze calendar` for the same expression, zone and base time;
/// `CalendarConformanceTests` compares hundreds more against the real binary.
struct CalendarSpecTests {
    // MARK: Accepted forms

    static let normalizedCases: [(String, String)] = [
        ("Mon..Fri *-*-* 02:30:00", "Mon..Fri *-*-* 02:30:00"),
        ("mon-wed 10:00", "Mon..Wed *-*-* 10:00:00"),
        ("Monday", "Mon *-*-* 00:00:00"),
        ("mOnDaY", "Mon *-*-* 00:00:00"),
        ("Mon,", "Mon *-*-* 00:00:00"),
        ("Mon..Mon", "Mon *-*-* 00:00:00"),
        ("Mon..Tue", "Mon,Tue *-*-* 00:00:00"),
        ("Tue,Mon", "Mon,Tue *-*-* 00:00:00"),
        ("Sat,Sun 10:00", "Sat,Sun *-*-* 10:00:00"),
        ("Mon..Wed,Fri *-*-* 1,2:3", "Mon..Wed,Fri *-*-* 01,02:03:00"),
        ("Mon..Sun 12:00", "*-*-* 12:00:00"),
        ("Mon  *-*-*  12:00", "Mon *-*-* 12:00:00"),
        ("12-25", "*-12-25 00:00:00"),
        ("25-12-25", "2025-12-25 00:00:00"),
        ("70-01-01 12:00", "1970-01-01 12:00:00"),
        ("2025-1-1 1:1:1", "2025-01-01 01:01:01"),
        ("*-*", "*-*-* 00:00:00"),
        ("*-*-* *:*", "*-*-* *:*:00"),
        ("*-*-* *:*:*", "*-*-* *:*:*"),
        ("*:*:0/1,5", "*-*-* *:*:*"),
        ("*-02~03", "*-02~03 00:00:00"),
        ("*~03", "*-*~03 00:00:00"),
        ("*-02~*", "*-02-* 00:00:00"),
        ("*-02~7/1", "*-02~07/1 00:00:00"),
        ("*-02~01..03", "*-02~01..03 00:00:00"),
        ("*-*~1..7/2", "*-*~01..07/2 00:00:00"),
        ("*-1..12/3-1", "*-01..10/3-01 00:00:00"),
        ("2025..2030/2-1-1", "2025..2029/2-01-01 00:00:00"),
        ("05,10/1,5/1-21..22,09,5..7 2:*:12/6", "*-05,05/1,10/1-05..07,09,21..22 02:*:12/6"),
        ("*:5..5", "*-*-* *:05:00"),
        ("*:5..7/5", "*-*-* *:05:00"),
        ("*-*-* 0..23/25:00", "*-*-* 00:00:00"),
        ("0/2:00", "*-*-* 00/2:00:00"),
        ("*:50/9", "*-*-* *:50/9:00"),
        ("*:*:0/7.25", "*-*-* *:*:00/7.250000"),
        ("*:*:1.5..3", "*-*-* *:*:01.500000..02.500000"),
        ("*:*:1.5..3/0.5", "*-*-* *:*:01.500000..03/0.500000"),
        ("12:00:01,3.5,2", "*-*-* 12:00:01,02,03.500000"),
        ("*-*-* 00:00:01.1234567", "*-*-* 00:00:01.123457"),
        ("12:00:00.9999999", "*-*-* 12:00:01"),
        ("12:00:0.0000001", "*-*-* 12:00:00"),
        ("minutely", "*-*-* *:*:00"),
        ("hourly", "*-*-* *:00:00"),
        ("DAILY", "*-*-* 00:00:00"),
        ("weekly", "Mon *-*-* 00:00:00"),
        ("monthly", "*-*-01 00:00:00"),
        ("quarterly", "*-01,04,07,10-01 00:00:00"),
        ("semiannually", "*-01,07-01 00:00:00"),
        ("bi-annually", "*-01,07-01 00:00:00"),
        ("yearly", "*-01-01 00:00:00"),
        ("annually", "*-01-01 00:00:00"),
        ("daily UTC", "*-*-* 00:00:00 UTC"),
        ("daily utc", "*-*-* 00:00:00 UTC"),
        ("weekly Europe/Berlin", "Mon *-*-* 00:00:00 Europe/Berlin"),
        ("Mon 10:00 Asia/Kolkata", "Mon *-*-* 10:00:00 Asia/Kolkata"),
        ("10:00 Etc/UTC", "*-*-* 10:00:00 Etc/UTC"),
        ("@1743294700", "2025-03-30 00:31:40 UTC"),
        ("@1743294700 Europe/Berlin", "2025-03-30 00:31:40 UTC"),
        ("  daily  ", "*-*-* 00:00:00"),
    ]

    @Test(arguments: normalizedCases)
    func acceptedExpressionHasSystemdsNormalizedForm(_ expression: String, _ normalized: String) throws {
        let spec = try CalendarSpec(parsing: expression)
        #expect(spec.normalized == normalized)
        #expect(spec.description == expression)
    }

    @Test func zoneInTheExpressionIsKept() throws {
        #expect(try CalendarSpec(parsing: "daily Asia/Kolkata").timezone?.identifier == "Asia/Kolkata")
        #expect(try CalendarSpec(parsing: "daily UTC").timezone?.secondsFromGMT() == 0)
        #expect(try CalendarSpec(parsing: "daily").timezone == nil)
    }

    // MARK: Refused forms

    static let errorCases: [(String, String)] = [
        ("", "empty calendar expression; write e.g. 'Mon..Fri *-*-* 02:30:00' or 'daily'"),
        (
            "Europe/Berlin",
            "'Europe/Berlin' is a time zone with no calendar event before it; write e.g. 'daily Europe/Berlin'"
        ),
        ("dialy", "'dialy' is neither a shorthand such as 'daily' nor a weekday such as 'Mon'; did you mean 'daily'?"),
        (
            "Mondays",
            "'Mondays' is neither a shorthand such as 'daily' nor a weekday such as 'Mon'; did you mean 'Monday'?"
        ),
        ("daily Mon", "'daily' is a shorthand and stands alone, followed at most by a time zone"),
        (
            "Fri..Mon",
            "weekday range in 'Fri..Mon' runs backwards; systemd weeks start on Monday, so write e.g. 'Fri..Sun,Mon' "
                + "for Friday to Monday"
        ),
        ("Mon.Fri", "a weekday range is written with '..', as in 'Mon..Fri', not 'Mon.Fri'"),
        ("Mon-Wed-Fri", "'Mon-Wed-Fri' chains ranges; separate ranges with ',' as in 'Mon..Wed,Fri..Sun'"),
        (
            "Mon.. 12:00",
            "weekday range in 'Mon..' has no end; expected weekdays such as 'Mon', 'Mon..Fri' or 'Sat,Sun'"
        ),
        ("Mon,foo", "'foo' in 'Mon,foo' is not a weekday; expected weekdays such as 'Mon', 'Mon..Fri' or 'Sat,Sun'"),
        ("*", "'*' is neither a date nor a time; expected a date Y-M-D or M-D, or a time H:M or H:M:S"),
        ("Mon 12", "'12' is neither a date nor a time; expected a date Y-M-D or M-D, or a time H:M or H:M:S"),
        ("1-2-3-4", "'1-2-3-4' has more than three parts; expected a date Y-M-D or M-D, or a time H:M or H:M:S"),
        (
            "2025~02-03",
            "'~' in '2025~02-03' may only stand before the day, as in '*-02~03' (third last day of February)"
        ),
        ("1:2:3:4", "time '1:2:3:4' has 4 parts; expected H:M or H:M:S"),
        ("12:00 Mon", "unexpected 'Mon' after the time; expected nothing but a time zone there"),
        ("1969-01-01", "year '1969' is out of range 1970-2199"),
        ("2200-01-01", "year '2200' is out of range 1970-2199"),
        ("*-13-01", "month '13' is out of range 1-12"),
        ("*-*-32", "day '32' is out of range 1-31"),
        ("*-*-* 24:00", "hour '24' is out of range 0-23"),
        ("*:60", "minute '60' is out of range 0-59"),
        ("*:*:60", "second '60' is out of range 0-59.999999"),
        ("*-02~29", "day '~29' is out of range 1-28; '~' counts at most 28 days back from the last day"),
        (
            "*-02~1/2",
            "day '~1/2' has no room to repeat: systemd wants the start at least one step from the last day, e.g. "
                + "'~07/1' for the last seven days"
        ),
        (
            "*:50/10",
            "minute '50/10' has no room to repeat within 0-59: systemd wants at least one repetition to fit; write the "
                + "single value or a smaller step"
        ),
        ("*:0/60", "minute repetition in '0/60' is longer than the range 0-59; use a smaller step"),
        ("5..3:00", "hour range '5..3' runs backwards; write the smaller value first"),
        ("*-02~03..01", "day range '~03..01' runs backwards; write the smaller value first"),
        ("*:*:0/0", "second repetition in '0/0' is 0; it must be more than 0"),
        ("*/2:00", "hour '*/2': systemd repeats from a start value, so write e.g. '0/2'"),
        ("*-*-*/2", "day '*/2': systemd repeats from a start value, so write e.g. '1/2'"),
        ("1,*:00", "'*' stands alone in the hour, not in a list; write '*' or list values"),
        ("1,,2:00", "hour in '1,,2:00' has an empty list item; remove the extra comma"),
        (
            "1.5:00",
            "unexpected '.5' in hour '1.5'; expected a value, a range a..b, a repetition a/n or a..b/n; only seconds "
                + "take a fraction"
        ),
        ("+5:00", "expected a number or '*' for the hour in '+5', found '+5'"),
        ("12:00:00.", "second '00.' has a '.' without fraction digits after it"),
        (
            "*:*:1..1.5",
            "second range '1..1.5' is shorter than one second, the step of a range without a repetition; add a "
                + "repetition such as '1..1.5/0.5'"
        ),
        ("@7258118400", "'@7258118400' falls in 2200; systemd takes years from 1970 to 2199"),
        ("@-5", "'@-5' is not '@' followed by seconds since 1970-01-01 UTC"),
        ("daily Europe/Nowhere", "unknown time zone 'Europe/Nowhere'; use an IANA name such as 'Europe/Berlin'"),
        ("10:00 europe/berlin", "unknown time zone 'europe/berlin'; did you mean 'Europe/Berlin'?"),
        (
            "daily CET",
            "'CET' is a time zone abbreviation, which systemd reads as the machine's own zone with daylight saving "
                + "time forced on or off; write an IANA zone name such as 'Europe/Berlin', or put the zone in "
                + "'timezone:'"
        ),
    ]

    @Test(arguments: errorCases)
    func malformedExpressionIsRefusedSayingWhatWasExpected(_ expression: String, _ message: String) {
        #expect(throws: CalendarSpecError(message: message)) {
            try CalendarSpec(parsing: expression)
        }
    }

    static let neverCases: [(String, String)] = [
        ("*-02-30", "calendar '*-02-30' never elapses: February has at most 29 days"),
        ("*-04,06-31 12:00", "calendar '*-04,06-31 12:00' never elapses: April and June have at most 30 days"),
        (
            "Mon 2025-01-01",
            "calendar 'Mon 2025-01-01' never elapses: no date from 1970 to 2199 matches it on the weekdays selected"
        ),
        (
            "Sun 2026-01~04",
            "calendar 'Sun 2026-01~04' never elapses: no date from 1970 to 2199 matches it on the weekdays selected"
        ),
    ]

    /// systemd says "Next elapse: never" for these; as a schedule they would keep `missing` silent.
    @Test(arguments: neverCases)
    func expressionThatNeverElapsesIsRefusedWithTheReason(_ expression: String, _ message: String) {
        #expect(throws: CalendarSpecError(code: .neverElapses, message: message)) {
            try CalendarSpec(parsing: expression)
        }
    }

    @Test(arguments: ["*-02-29", "Mon *-02-29", "*-*-31", "2024-02-29", "*-02~28"])
    func lookAlikeThatElapsesIsAccepted(_ expression: String) throws {
        _ = try CalendarSpec(parsing: expression)
    }

    // MARK: Next elapse

    static let elapseCases: [ElapseCase] = [
        // Fields, shorthands, `~`, zones in the expression.
        ElapseCase("Fri *-*-13", "UTC", "2025-03-29T00:00:00Z", "2025-06-13T00:00:00Z"),
        ElapseCase("*-02-29", "UTC", "2024-02-28T00:00:00Z", "2024-02-29T00:00:00Z"),
        ElapseCase("*-02~03", "UTC", "2025-03-29T00:00:00Z", "2026-02-26T00:00:00Z"),
        ElapseCase("*-02~03", "UTC", "2027-03-01T00:00:00Z", "2028-02-27T00:00:00Z"),
        ElapseCase("*-*~01..03/2 12:00", "UTC", "2025-03-29T00:00:00Z", "2025-03-29T12:00:00Z"),
        ElapseCase("*-*~07/2", "UTC", "2025-01-31T00:00:00Z", "2025-02-22T00:00:00Z"),
        ElapseCase("weekly", "UTC", "2025-03-29T00:00:00Z", "2025-03-31T00:00:00Z"),
        ElapseCase("quarterly", "UTC", "2025-03-29T00:00:00Z", "2025-04-01T00:00:00Z"),
        ElapseCase("Mon..Fri 09:00", "America/New_York", "2025-03-07T09:00:00-05:00", "2025-03-10T09:00:00-04:00"),
        ElapseCase("daily Asia/Kolkata", "Europe/Berlin", "2025-03-29T00:00:00Z", "2025-03-29T19:30:00+01:00"),
        ElapseCase("daily UTC", "Europe/Berlin", "2025-03-29T00:00:00Z", "2025-03-30T01:00:00+01:00"),
        ElapseCase("@1743294700", "UTC", "2025-03-30T00:00:00Z", "2025-03-30T00:31:40Z"),
        ElapseCase("@1743294700", "UTC", "2025-03-30T00:31:40Z", nil),
        ElapseCase("*-*-* 12:00", "UTC", "2199-12-31T12:00:00Z", nil),
        // Strictly after, to the microsecond.
        ElapseCase("daily", "UTC", "2025-03-30T00:00:00Z", "2025-03-31T00:00:00Z"),
        ElapseCase("daily", "UTC", "2025-03-29T23:59:59.999999Z", "2025-03-30T00:00:00Z"),
        ElapseCase("*:*:0/7.25", "UTC", "2025-03-30T00:30:00Z", "2025-03-30T00:30:07.25Z"),
        // A repetition past 59 s carries its fraction into the next minute, as systemd's does.
        ElapseCase("*:*:0/7.25", "UTC", "2025-03-30T00:30:58Z", "2025-03-30T00:31:07.25Z"),
        // Spring forward: a time in the gap does not occur; the search goes on after the gap.
        ElapseCase("*-*-* 02:30", "Europe/Berlin", "2025-03-29T02:30:00+01:00", "2025-03-31T02:30:00+02:00"),
        ElapseCase("*:0/20", "Europe/Berlin", "2025-03-30T01:40:00+01:00", "2025-03-30T03:00:00+02:00"),
        ElapseCase("02/1:15", "Europe/Berlin", "2025-03-30T01:15:00+01:00", "2025-03-30T03:15:00+02:00"),
        ElapseCase("*-*-* 02:30", "Australia/Sydney", "2025-10-05T01:30:00+10:00", "2025-10-06T02:30:00+11:00"),
        ElapseCase("*-*-* 02:10", "Australia/Lord_Howe", "2025-10-04T02:10:00+10:30", "2025-10-06T02:10:00+11:00"),
        ElapseCase("*:0/15", "Australia/Lord_Howe", "2025-10-05T01:50:00+10:30", "2025-10-05T02:30:00+11:00"),
        ElapseCase("*-*-* 00:30", "America/Santiago", "2025-09-06T12:00:00-04:00", "2025-09-08T00:30:00-03:00"),
        // Fall back: the first pass elapses and the second is skipped, unless the search starts in it.
        ElapseCase("*-*-* 02:30", "Europe/Berlin", "2025-10-25T02:30:00+02:00", "2025-10-26T02:30:00+02:00"),
        ElapseCase("*-*-* 02:30", "Europe/Berlin", "2025-10-26T02:30:00+02:00", "2025-10-27T02:30:00+01:00"),
        ElapseCase("*:0/20", "Europe/Berlin", "2025-10-26T02:40:00+02:00", "2025-10-26T03:00:00+01:00"),
        ElapseCase("*:0/20", "Europe/Berlin", "2025-10-26T02:10:00+01:00", "2025-10-26T02:20:00+01:00"),
        ElapseCase("*-*-* 02:30", "Europe/Berlin", "2025-10-26T02:10:00+01:00", "2025-10-26T02:30:00+01:00"),
        ElapseCase("*-*-* 01:30", "America/New_York", "2025-11-02T01:30:00-04:00", "2025-11-03T01:30:00-05:00"),
        ElapseCase("*:0/20", "Australia/Lord_Howe", "2026-04-05T01:40:00+11:00", "2026-04-05T02:00:00+10:30"),
        ElapseCase("*:0/20", "America/Santiago", "2026-04-04T23:30:00-03:00", "2026-04-04T23:40:00-03:00"),
        // systemd reads 24:00 as 00:00 Sunday, inside Santiago's gap, which reads as Saturday 23:00 before the
        // start; it moves an hour on and keeps the DST flag from then on.
        ElapseCase("23:0/20:12", "America/Santiago", "2026-09-05T23:40:12-04:00", "2026-09-06T23:00:12-03:00"),
        // There systemd 252 gives up ("Infinite loop in calendar calculation"): no elapse.
        ElapseCase("18/4:55", "America/Santiago", "2025-09-06T23:15:00-04:00", nil),
    ]

    @Test(arguments: elapseCases)
    func nextElapseIsSystemds(_ test: ElapseCase) throws {
        let spec = try CalendarSpec(parsing: test.expression)
        let zone = try #require(TimeZone(identifier: test.zone))
        #expect(spec.nextElapse(after: Self.instant(test.after), in: zone) == test.next.map(Self.instant))
    }

    /// Hourly in Berlin through 2025: the spring gap loses one elapse and the repeated autumn hour
    /// adds none (its second pass is skipped), so 8,760 - 1 elapses; a daily 02:30 loses the gap day.
    @Test(arguments: [("hourly", 8_759), ("*-*-* 02:30", 364), ("*:0/30", 17_518)])
    func elapseCountOverBerlin2025(_ expression: String, _ count: Int) throws {
        let spec = try CalendarSpec(parsing: expression)
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        var at = Self.instant("2024-12-31T23:59:59+01:00")
        let end = Self.instant("2025-12-31T23:59:59+01:00")
        var elapses = 0
        while let next = spec.nextElapse(after: at, in: berlin), next <= end {
            #expect(next > at)
            elapses += 1
            at = next
        }
        #expect(elapses == count)
    }

    // MARK: Helpers

    /// Reads `YYYY-MM-DDTHH:MM:SS[.ffffff]` followed by `Z` or `±HH:MM`, the only forms these tables use.
    static func instant(_ text: String) -> Instant {
        let (stamp, zone) = text.hasSuffix("Z") ? (text.dropLast(), "") : (text.dropLast(6), String(text.suffix(6)))
        let parts = stamp.split(separator: ".")
        let digits = parts[0].split(whereSeparator: { !$0.isNumber }).map { Int($0)! }
        let days = CivilDate.days(year: digits[0], month: digits[1], day: digits[2])
        var seconds = days * 86_400 + digits[3] * 3600 + digits[4] * 60 + digits[5]
        if !zone.isEmpty {
            let offset = Int(zone.dropFirst().prefix(2))! * 3600 + Int(zone.suffix(2))! * 60
            seconds -= zone.hasPrefix("-") ? -offset : offset
        }
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let nanoseconds = Int64((fraction + String(repeating: "0", count: 9 - fraction.count)))!
        return Instant(nanoseconds: Int64(seconds) * 1_000_000_000 + nanoseconds)
    }
}

extension CalendarSpecTests {
    /// An expression, the default zone, an instant, and the elapse that must follow it (nil: none).
    struct ElapseCase: Sendable, CustomTestStringConvertible {
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
