public import Foundation

/// A systemd calendar expression, as `OnCalendar=` takes it (systemd.time(7), "Calendar Events";
/// SPEC §7 `calendar:`).
///
/// The grammar and its meaning are systemd 252's: an optional weekday list (`Mon..Fri`, `Sat,Sun`,
/// long names, any case), a date `Y-M-D` or `M-D` whose day may count back from the end of the
/// month after `~` (`*-02~03` is the third last day of February), a time `H:M` or `H:M:S` with
/// fractional seconds, and an optional time zone last (`Europe/Berlin`, `UTC`). Every field takes
/// `*`, values, lists `a,b`, ranges `a..b` and repetitions `a/n` or `a..b/n`. An omitted date means
/// every day and an omitted time midnight. The words `minutely`, `hourly`, `daily`, `weekly`,
/// `monthly`, `quarterly`, `semiannually` (`semi-annually`, `biannually`, `bi-annually`), `yearly`
/// and `annually` stand for their normalized forms, and `@EPOCH` for one instant, in seconds since
/// 1970 UTC. Two-digit years mean 1970...2069, and years run from 1970 to 2199.
///
/// ``nextElapse(after:in:)`` finds the instants systemd's own `systemd-analyze calendar` prints,
/// daylight-saving changes included.
public struct CalendarSpec: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    /// The selected weekdays as bits, Monday = bit 0 ... Sunday = bit 6; nil for every day.
    package let weekdays: UInt8?
    /// Years 1970...2199; empty for every year.
    package let years: [CalendarComponent]
    /// Months 1...12; empty for every month.
    package let months: [CalendarComponent]
    /// Days of the month 1...31, or 1...28 counted back from the last day when
    /// ``daysFromEndOfMonth``; empty for every day.
    package let days: [CalendarComponent]
    /// Whether ``days`` count back from the end of the month (written `~`), 1 being the last day.
    package let daysFromEndOfMonth: Bool
    /// Hours 0...23; empty for every hour.
    package let hours: [CalendarComponent]
    /// Minutes 0...59; empty for every minute.
    package let minutes: [CalendarComponent]
    /// Seconds in microseconds, 0...59_999_999; never empty (`*` is every whole second).
    package let seconds: [CalendarComponent]
    /// The zone written in the expression, which wins over the schedule's; nil when none was.
    public let timezone: TimeZone?
    /// The zone as the normalized form writes it: `UTC` or the name as written.
    package let timezoneName: String?

    /// Parses an `OnCalendar=` expression as systemd 252 does, refusing what it refuses.
    ///
    /// Leading and trailing whitespace is ignored (a unit file's value is trimmed the same way).
    /// An expression that is well formed but has no elapse from 1970 to 2199, such as `*-02-30` or
    /// `Mon 2025-01-01` (a Wednesday), is refused too, as systemd would say "never" for it and
    /// `missing` would stay silent.
    /// - Parameter source: The expression as written in the pattern file.
    /// - Throws: ``CalendarSpecError`` saying which part is wrong and what was expected, or with
    ///   code ``CalendarSpecError/Code/neverElapses``.
    public init(parsing source: String) throws(CalendarSpecError) {
        var parser = CalendarSpecParser(source.trimmingCharacters(in: .whitespaces))
        let parts = try parser.parse()
        self.source = source
        weekdays = parts.weekdays
        years = parts.years
        months = parts.months
        days = parts.days
        daysFromEndOfMonth = parts.daysFromEndOfMonth
        hours = parts.hours
        minutes = parts.minutes
        seconds = parts.seconds
        timezone = parts.timezone
        timezoneName = parts.timezoneName
        try requireAnElapse()
    }

    /// The expression as written.
    public var description: String { source }

    /// The expression as `systemd-analyze calendar` prints it under "Normalized form", e.g.
    /// `Mon..Fri *-*-* 02:30:00 Europe/Berlin` for `mon-fri 2:30 Europe/Berlin`.
    public var normalized: String {
        var text = ""
        if let weekdays { text += Self.weekdayText(weekdays) + " " }
        text += Self.chainText(years, width: 4) + "-" + Self.chainText(months, width: 2)
        text += (daysFromEndOfMonth ? "~" : "-") + Self.chainText(days, width: 2)
        text += " " + Self.chainText(hours, width: 2) + ":" + Self.chainText(minutes, width: 2)
        let everySecond = seconds.contains(CalendarComponent(start: 0, step: 1_000_000))
        text += ":" + (everySecond ? "*" : Self.chainText(seconds, width: 2, microseconds: true))
        if let timezoneName { text += " " + timezoneName }
        return text
    }

    /// The English weekday names, Monday first as systemd numbers them.
    package static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// Refuses an expression that never elapses, naming the reason when it is a day no selected
    /// month has.
    private func requireAnElapse() throws(CalendarSpecError) {
        let utc = TimeZone(identifier: "UTC")!
        let before1970 = Instant(nanoseconds: -1_000)
        guard nextElapse(after: before1970, in: timezone ?? utc) == nil else { return }
        var reason = "no date from 1970 to 2199 matches it"
        if weekdays != nil { reason += " on the weekdays selected" }
        if !daysFromEndOfMonth, let firstDay = days.map(\.start).min() {
            let selected = (1...12).filter { month in
                months.isEmpty || months.contains { Self.matches($0, month) }
            }
            if !selected.isEmpty, selected.allSatisfy({ Self.longestMonths[$0 - 1].days < firstDay }) {
                reason = Self.monthLengthReason(selected)
            }
        }
        throw CalendarSpecError(code: .neverElapses, message: "calendar '\(source)' never elapses: \(reason)")
    }

    private static func matches(_ item: CalendarComponent, _ value: Int) -> Bool {
        guard value >= item.start else { return false }
        if item.step == 0 { return value == item.start }
        return (value - item.start) % item.step == 0 && value <= (item.stop ?? Int.max)
    }

    /// "February has at most 29 days; April and June have at most 30 days".
    private static func monthLengthReason(_ selected: [Int]) -> String {
        let lengths = Set(selected.map { longestMonths[$0 - 1].days }).sorted()
        return lengths.map { length in
            let names = selected.filter { longestMonths[$0 - 1].days == length }.map { longestMonths[$0 - 1].name }
            var list = names.last ?? ""
            if names.count > 1 { list = names.dropLast().joined(separator: ", ") + " and " + list }
            return "\(list) \(names.count == 1 ? "has" : "have") at most \(length) days"
        }.joined(separator: "; ")
    }

    /// Month names and their longest length, February's in a leap year.
    private static let longestMonths: [(name: String, days: Int)] = [
        ("January", 31), ("February", 29), ("March", 31), ("April", 30), ("May", 31), ("June", 30),
        ("July", 31), ("August", 31), ("September", 30), ("October", 31), ("November", 30), ("December", 31),
    ]

    /// `Mon..Wed,Fri`: runs of three or more days as ranges, shorter runs as lists (systemd's form).
    private static func weekdayText(_ bits: UInt8) -> String {
        var runs: [String] = []
        var day = 0
        while day < 7 {
            guard bits & (1 << day) != 0 else {
                day += 1
                continue
            }
            var last = day
            while last + 1 < 7, bits & (1 << (last + 1)) != 0 { last += 1 }
            switch last - day {
            case 0: runs.append(weekdayNames[day])
            case 1: runs.append(weekdayNames[day] + "," + weekdayNames[last])
            default: runs.append(weekdayNames[day] + ".." + weekdayNames[last])
            }
            day = last + 1
        }
        return runs.joined(separator: ",")
    }

    private static func chainText(_ chain: [CalendarComponent], width: Int, microseconds: Bool = false) -> String {
        chain.isEmpty ? "*" : chain.map { $0.text(width: width, microseconds: microseconds) }.joined(separator: ",")
    }
}

/// A calendar expression that does not parse, or that parses but never elapses.
public struct CalendarSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which kind of problem this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// The expression is not written as systemd.time(7) allows.
        public static let invalidSyntax = Code(name: "invalidSyntax")
        /// The expression is well formed but has no elapse, e.g. `*-02-30`.
        public static let neverElapses = Code(name: "neverElapses")

        /// The code's name.
        public var description: String { name }
    }

    /// Which kind of problem this is.
    public var code: Code
    /// What is wrong and what was expected, e.g. "minute 60 is out of range 0-59".
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: Which kind of problem this is; syntax unless said otherwise.
    ///   - message: What is wrong and what was expected.
    public init(code: Code = .invalidSyntax, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
