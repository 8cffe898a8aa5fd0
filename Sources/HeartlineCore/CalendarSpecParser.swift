import Foundation

/// Reads the text of a systemd calendar expression into its fields (systemd.time(7), "Calendar
/// Events"), accepting what systemd 252's `calendar_spec_from_string` accepts.
///
/// The expression is read in sections separated by spaces: a time zone last (` UTC` in any case,
/// or a zone name that exists), then either a shorthand word or up to three sections in this
/// order: weekdays, a date (`Y-M-D`, `M-D`, or `@EPOCH`) and a time (`H:M` or `H:M:S`). Every
/// error message names the part it is about and what was expected there.
struct CalendarSpecParser {
    /// The fields of a parsed expression, normalized as systemd normalizes them.
    struct Parts {
        var weekdays: UInt8?
        var years: [CalendarComponent] = []
        var months: [CalendarComponent] = []
        var days: [CalendarComponent] = []
        var daysFromEndOfMonth = false
        var hours: [CalendarComponent] = []
        var minutes: [CalendarComponent] = []
        var seconds: [CalendarComponent] = [CalendarComponent(start: 0)]
        var timezone: TimeZone?
        var timezoneName: String?
    }

    /// One field of the expression: its name in messages and the values it allows.
    enum Field {
        case year, month, day, dayFromEnd, hour, minute, second

        var name: String {
            switch self {
            case .year: "year"
            case .month: "month"
            case .day, .dayFromEnd: "day"
            case .hour: "hour"
            case .minute: "minute"
            case .second: "second"
            }
        }

        /// The allowed values, in microseconds for seconds; days after `~` reach 28 back at most.
        var bounds: ClosedRange<Int> {
            switch self {
            case .year: 1970...2199
            case .month: 1...12
            case .day: 1...31
            case .dayFromEnd: 1...28
            case .hour: 0...23
            case .minute: 0...59
            case .second: 0...59_999_999
            }
        }

        var unit: Int { self == .second ? 1_000_000 : 1 }
    }

    /// systemd refuses a field with more than this many comma-separated items.
    private static let maximumItems = 241

    private let text: String
    private var parts = Parts()

    /// Creates a parser for an expression with surrounding whitespace already removed.
    init(_ text: String) {
        self.text = text
    }

    /// Parses the whole expression.
    ///
    /// - Returns: The fields, each normalized: ranges cut to their last reachable value, items
    ///   sorted and without duplicates, two-digit years made four-digit.
    /// - Throws: ``CalendarSpecError`` with code ``CalendarSpecError/Code/invalidSyntax``.
    mutating func parse() throws(CalendarSpecError) -> Parts {
        guard !text.isEmpty else {
            throw CalendarSpecError(
                message: "empty calendar expression; write e.g. 'Mon..Fri *-*-* 02:30:00' or 'daily'")
        }
        let body = try takeTimezone()
        if !applyShorthand(body) {
            try parseSections(body)
        }
        return parts
    }

    // MARK: Time zone

    /// Removes and records a trailing zone: ` UTC` in any case, or a last word naming a zone.
    private mutating func takeTimezone() throws(CalendarSpecError) -> String {
        if text.count > 4, text.suffix(4).uppercased() == " UTC" {
            parts.timezone = TimeZone(identifier: "UTC")
            parts.timezoneName = "UTC"
            return String(text.dropLast(4)).trimmingCharacters(in: .whitespaces)
        }
        guard let space = text.lastIndex(of: " ") else { return text }
        let word = String(text[text.index(after: space)...])
        let body = String(text[..<space]).trimmingCharacters(in: .whitespaces)
        if Self.isAbbreviation(word) {
            throw CalendarSpecError(
                message: "'\(word)' is a time zone abbreviation, which systemd reads as the machine's own zone with "
                    + "daylight saving time forced on or off; write an IANA zone name such as 'Europe/Berlin', "
                    + "or put the zone in 'timezone:'")
        }
        if let zone = Self.zone(named: word) {
            parts.timezone = zone
            parts.timezoneName = word
            return body
        }
        if word.first?.isLetter == true, word.contains("/") {
            let close = EditDistance.suggestions(for: word, among: TimeZone.knownTimeZoneIdentifiers)
            let hint =
                close.isEmpty
                ? "use an IANA name such as 'Europe/Berlin'" : "did you mean \(EditDistance.quotedList(close))?"
            throw CalendarSpecError(message: "unknown time zone '\(word)'; \(hint)")
        }
        return text
    }

    /// A zone from the time-zone database by its exact name; Foundation's synthesized `GMT+1`-style
    /// zones, which are no database file and which systemd refuses, do not count.
    private static func zone(named name: String) -> TimeZone? {
        guard let zone = TimeZone(identifier: name), zone.identifier == name || !name.hasPrefix("GMT") else {
            return nil
        }
        return zone
    }

    /// Whether a last word reads as a zone abbreviation such as `CET` or `EST`: 3 to 5 capital
    /// letters. systemd first compares such a word with the abbreviations of the zone it runs in
    /// (and then means that zone with daylight saving time forced on or off), so what it means
    /// depends on the machine; Heartline refuses it rather than guess.
    private static func isAbbreviation(_ word: String) -> Bool {
        (3...5).contains(word.count) && word.allSatisfy { $0.isASCII && $0.isUppercase }
    }

    // MARK: Shorthands

    /// The shorthand words and the normalized expression each stands for (systemd.time(7)).
    private static let shorthands: [(words: [String], months: [Int], day: Int?, weekday: Bool, fixed: Int)] = [
        (["minutely"], [], nil, false, 1),
        (["hourly"], [], nil, false, 2),
        (["daily"], [], nil, false, 3),
        (["weekly"], [], nil, true, 3),
        (["monthly"], [], 1, false, 3),
        (["quarterly"], [1, 4, 7, 10], 1, false, 3),
        (["semiannually", "semi-annually", "biannually", "bi-annually"], [1, 7], 1, false, 3),
        (["yearly", "annually", "anually"], [1], 1, false, 3),
    ]

    /// Fills the fields of a shorthand word; false when `body` is none.
    ///
    /// `fixed` counts the time fields set to zero from the seconds up: 1 for `*:*:00`, 2 for
    /// `*:00:00`, 3 for `00:00:00`.
    private mutating func applyShorthand(_ body: String) -> Bool {
        let lower = body.lowercased()
        guard let shorthand = Self.shorthands.first(where: { $0.words.contains(lower) }) else { return false }
        let zero = [CalendarComponent(start: 0)]
        parts.seconds = zero
        if shorthand.fixed >= 2 { parts.minutes = zero }
        if shorthand.fixed >= 3 { parts.hours = zero }
        parts.months = shorthand.months.map { CalendarComponent(start: $0) }
        parts.days = shorthand.day.map { [CalendarComponent(start: $0)] } ?? []
        if shorthand.weekday { parts.weekdays = 1 }
        return true
    }

    // MARK: Sections

    private mutating func parseSections(_ body: String) throws(CalendarSpecError) {
        var sections = body.split(separator: " ")[...]
        if sections.count == 1, let word = sections.first, Self.zone(named: String(word)) != nil {
            throw CalendarSpecError(
                message: "'\(word)' is a time zone with no calendar event before it; write e.g. 'daily \(word)'")
        }
        if sections.count == 1, let word = sections.first, word.allSatisfy(\.isLetter),
            !Self.weekdayNames.contains(where: { $0.name == word.lowercased() })
        {
            let weekdays = Self.weekdayNames.map { $0.name.prefix(1).uppercased() + $0.name.dropFirst() }
            let close = EditDistance.suggestions(for: String(word), among: Self.shorthands.flatMap(\.words) + weekdays)
            let hint = close.isEmpty ? "" : "; did you mean \(EditDistance.quotedList(close))?"
            throw CalendarSpecError(
                message: "'\(word)' is neither a shorthand such as 'daily' nor a weekday such as 'Mon'\(hint)")
        }
        if sections.count > 1, let word = sections.first(where: { isShorthand($0) }) {
            throw CalendarSpecError(
                message: "'\(word)' is a shorthand and stands alone, followed at most by a time zone")
        }
        if let first = sections.first, first.first?.isLetter == true {
            try parseWeekdays(first)
            sections = sections.dropFirst()
        }
        var sawDate = false
        var sawTime = false
        if let section = sections.first, section.hasPrefix("@") {
            try parseEpoch(section)
            sections = sections.dropFirst()
            sawDate = true
            sawTime = true
        }
        if !sawDate, let section = sections.first, !section.contains(":") {
            try parseDate(section)
            sections = sections.dropFirst()
            sawDate = true
        }
        if !sawTime, let section = sections.first, section.contains(":") {
            try parseTime(section)
            sections = sections.dropFirst()
            sawTime = true
        }
        if !sawTime {
            parts.hours = [CalendarComponent(start: 0)]
            parts.minutes = [CalendarComponent(start: 0)]
        }
        if let extra = sections.first {
            let after = sawTime ? "the time" : sawDate ? "the date" : "the weekdays"
            let expected = sawTime ? "nothing but a time zone" : "a time H:M or H:M:S"
            throw CalendarSpecError(message: "unexpected '\(extra)' after \(after); expected \(expected) there")
        }
        if let weekdays = parts.weekdays, weekdays == 0 || weekdays == 0x7F { parts.weekdays = nil }
        if parts.days.isEmpty { parts.daysFromEndOfMonth = false }
    }

    private func isShorthand(_ word: Substring) -> Bool {
        Self.shorthands.contains { $0.words.contains(word.lowercased()) }
    }

    /// The weekday names, long before short so that `Monday` is not read as `Mon` + `day`.
    private static let weekdayNames: [(name: String, number: Int)] = [
        ("monday", 0), ("mon", 0), ("tuesday", 1), ("tue", 1), ("wednesday", 2), ("wed", 2),
        ("thursday", 3), ("thu", 3), ("friday", 4), ("fri", 4), ("saturday", 5), ("sat", 5),
        ("sunday", 6), ("sun", 6),
    ]

    /// `Mon..Fri`, `Sat,Sun`, `Mon-Wed` (the old range syntax), long names, any case; a trailing
    /// comma is allowed, an open range is not.
    private mutating func parseWeekdays(_ section: Substring) throws(CalendarSpecError) {
        let expected = "expected weekdays such as 'Mon', 'Mon..Fri' or 'Sat,Sun'"
        var bits: UInt8 = 0
        var rest = section
        var rangeStart: Int?
        while !rest.isEmpty {
            let lower = rest.lowercased()
            guard let (name, number) = Self.weekdayNames.first(where: { lower.hasPrefix($0.name) }) else {
                let word = rest.prefix { $0.isLetter }
                let shown = word.isEmpty ? String(rest) : String(word)
                throw CalendarSpecError(message: "'\(shown)' in '\(section)' is not a weekday; \(expected)")
            }
            let after = rest.dropFirst(name.count)
            if let next = after.first, !"-.,".contains(next) {
                let word = rest.prefix { $0.isLetter || $0.isNumber }
                throw CalendarSpecError(message: "'\(word)' in '\(section)' is not a weekday; \(expected)")
            }
            if let first = rangeStart {
                guard first <= number else {
                    throw CalendarSpecError(
                        message: "weekday range in '\(section)' runs backwards; systemd weeks start on Monday, "
                            + "so write e.g. 'Fri..Sun,Mon' for Friday to Monday")
                }
                for day in first...number { bits |= 1 << day }
            }
            bits |= 1 << number
            rest = after
            guard let separator = rest.first else { break }
            switch separator {
            case ".":
                guard rest.hasPrefix("..") else {
                    throw CalendarSpecError(
                        message: "a weekday range is written with '..', as in 'Mon..Fri', not '\(section)'")
                }
                fallthrough
            case "-":
                guard rangeStart == nil else {
                    throw CalendarSpecError(
                        message: "'\(section)' chains ranges; separate ranges with ',' as in 'Mon..Wed,Fri..Sun'")
                }
                rangeStart = number
                rest = rest.dropFirst(separator == "." ? 2 : 1)
                if rest.isEmpty {
                    throw CalendarSpecError(message: "weekday range in '\(section)' has no end; \(expected)")
                }
            default:
                rangeStart = nil
                rest = rest.dropFirst()
            }
        }
        parts.weekdays = bits
    }

    /// `@EPOCH`: one instant in whole seconds since 1970-01-01T00:00:00Z; always UTC.
    private mutating func parseEpoch(_ section: Substring) throws(CalendarSpecError) {
        let digits = section.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), digits.count <= 12, let seconds = Int(digits) else {
            throw CalendarSpecError(message: "'\(section)' is not '@' followed by seconds since 1970-01-01 UTC")
        }
        let day = seconds / 86_400
        let (year, month, dayOfMonth) = CivilDate.date(days: day)
        let second = seconds % 86_400
        guard Field.year.bounds.contains(year) else {
            throw CalendarSpecError(message: "'\(section)' falls in \(year); systemd takes years from 1970 to 2199")
        }
        parts.years = [CalendarComponent(start: year)]
        parts.months = [CalendarComponent(start: month)]
        parts.days = [CalendarComponent(start: dayOfMonth)]
        parts.hours = [CalendarComponent(start: second / 3600)]
        parts.minutes = [CalendarComponent(start: second % 3600 / 60)]
        parts.seconds = [CalendarComponent(start: second % 60 * 1_000_000)]
        parts.timezone = TimeZone(identifier: "UTC")
        parts.timezoneName = "UTC"
    }

    /// `Y-M-D` or `M-D`; the last separator may be `~` to count the day back from the month's end.
    private mutating func parseDate(_ section: Substring) throws(CalendarSpecError) {
        var pieces: [Substring] = []
        var separators: [Character] = []
        var start = section.startIndex
        for index in section.indices where section[index] == "-" || section[index] == "~" {
            pieces.append(section[start..<index])
            separators.append(section[index])
            start = section.index(after: index)
        }
        pieces.append(section[start...])
        guard pieces.count == 2 || pieces.count == 3 else {
            let what = pieces.count == 1 ? "is neither a date nor a time" : "has more than three parts"
            throw CalendarSpecError(
                message: "'\(section)' \(what); expected a date Y-M-D or M-D, or a time H:M or H:M:S")
        }
        if separators.dropLast().contains("~") {
            throw CalendarSpecError(
                message:
                    "'~' in '\(section)' may only stand before the day, as in '*-02~03' (third last day of February)")
        }
        let fromEnd = separators.last == "~"
        let fields: [Field] = (pieces.count == 3 ? [.year, .month] : [.month]) + [fromEnd ? .dayFromEnd : .day]
        var chains: [[CalendarComponent]] = []
        for (piece, field) in zip(pieces, fields) {
            chains.append(try chain(piece, field: field, in: section))
        }
        if pieces.count == 3 { parts.years = chains.removeFirst() }
        parts.months = chains[0]
        parts.days = chains[1]
        parts.daysFromEndOfMonth = fromEnd
    }

    /// `H:M` (seconds 0) or `H:M:S`, seconds with up to six fraction digits.
    private mutating func parseTime(_ section: Substring) throws(CalendarSpecError) {
        let pieces = section.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2 || pieces.count == 3 else {
            throw CalendarSpecError(message: "time '\(section)' has \(pieces.count) parts; expected H:M or H:M:S")
        }
        parts.hours = try chain(pieces[0], field: .hour, in: section)
        parts.minutes = try chain(pieces[1], field: .minute, in: section)
        parts.seconds =
            pieces.count == 3 ? try chain(pieces[2], field: .second, in: section) : [CalendarComponent(start: 0)]
    }

    // MARK: Fields

    /// One field: `*`, or a comma-separated list of values, ranges and repetitions, normalized and
    /// checked against the field's bounds.
    private func chain(_ piece: Substring, field: Field, in section: Substring) throws(CalendarSpecError)
        -> [CalendarComponent]
    {
        if piece == "*" {
            return field == .second ? [CalendarComponent(start: 0, step: 1_000_000)] : []
        }
        let items = piece.split(separator: ",", omittingEmptySubsequences: false)
        guard items.count <= Self.maximumItems else {
            throw CalendarSpecError(
                message:
                    "\(field.name) in '\(section)' lists \(items.count) items; "
                    + "systemd takes at most \(Self.maximumItems)"
            )
        }
        var components: [CalendarComponent] = []
        for item in items {
            guard !item.isEmpty else {
                throw CalendarSpecError(
                    message: "\(field.name) in '\(section)' has an empty list item; remove the extra comma")
            }
            var component = try Self.component(item, field: field)
            if field == .year { component = Self.fullYear(component) }
            component = component.normalized
            try Self.check(component, written: item, field: field)
            components.append(component)
        }
        var unique: [CalendarComponent] = []
        for component in components.sorted() where unique.last != component {
            unique.append(component)
        }
        return unique
    }

    /// `a`, `a..b`, `a/n` or `a..b/n`, each number possibly with a fraction in the seconds field.
    private static func component(_ item: Substring, field: Field) throws(CalendarSpecError) -> CalendarComponent {
        if item == "*" {
            throw CalendarSpecError(
                message: "'*' stands alone in the \(field.name), not in a list; write '*' or list values")
        }
        if item.hasPrefix("*/") {
            throw CalendarSpecError(
                message: "\(field.name) '\(item)': systemd repeats from a start value, so write e.g. "
                    + "'\(field == .year ? "2025" : field == .month || field == .day ? "1" : "0")/\(item.dropFirst(2))'"
            )
        }
        var rest = item
        let start = try number(&rest, field: field, item: item)
        var stop: Int?
        var step = 0
        if rest.hasPrefix("..") {
            rest = rest.dropFirst(2)
            stop = try number(&rest, field: field, item: item)
            step = field.unit
        }
        var repeats = false
        if rest.hasPrefix("/") {
            rest = rest.dropFirst()
            step = try number(&rest, field: field, item: item)
            repeats = true
            guard step > 0 else {
                throw CalendarSpecError(message: "\(field.name) repetition in '\(item)' is 0; it must be more than 0")
            }
        }
        guard rest.isEmpty else {
            let hint = rest.first == "." && field != .second ? "; only seconds take a fraction" : ""
            throw CalendarSpecError(
                message: "unexpected '\(rest)' in \(field.name) '\(item)'; expected a value, a range a..b, "
                    + "a repetition a/n or a..b/n\(hint)")
        }
        if let stop, !repeats, field == .second, start + field.unit > stop {
            throw CalendarSpecError(
                message: "second range '\(item)' is shorter than one second, the step of a range without a "
                    + "repetition; add a repetition such as '\(item)/0.5'")
        }
        return CalendarComponent(start: start, stop: stop, step: step)
    }

    /// Reads a decimal number at the front of `rest`; in the seconds field an optional fraction
    /// (`.` and digits, six kept, the seventh rounding) makes it microseconds.
    private static func number(_ rest: inout Substring, field: Field, item: Substring) throws(CalendarSpecError) -> Int
    {
        let digits = rest.prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty else {
            let shown = rest.isEmpty ? "nothing" : "'\(rest)'"
            throw CalendarSpecError(
                message: "expected a number or '*' for the \(field.name) in '\(item)', found \(shown)")
        }
        rest = rest.dropFirst(digits.count)
        // Values beyond Int32 are refused by systemd as out of range, as the bounds check does here.
        var value = digits.reduce(0) { min($0 * 10 + Int($1.asciiValue! - 48), 1 << 40) }
        guard field == .second else { return value }
        value = min(value, 1 << 30) * 1_000_000
        if rest.hasPrefix("."), !rest.hasPrefix("..") {
            rest = rest.dropFirst()
            let fraction = rest.prefix(while: \.isASCIIDigit)
            guard !fraction.isEmpty else {
                throw CalendarSpecError(message: "second '\(item)' has a '.' without fraction digits after it")
            }
            rest = rest.dropFirst(fraction.count)
            var micro = 0
            for (position, digit) in fraction.prefix(7).enumerated() {
                let number = Int(digit.asciiValue! - 48)
                if position < 6 {
                    micro = micro * 10 + number
                } else if number >= 5 {
                    micro += 1
                }
            }
            for _ in fraction.count..<max(fraction.count, 6) { micro *= 10 }
            value += micro
        }
        return value
    }

    /// Two-digit years as systemd reads them: 0...69 are 2000...2069, 70...99 are 1970...1999.
    private static func fullYear(_ component: CalendarComponent) -> CalendarComponent {
        func full(_ year: Int) -> Int { year < 70 ? year + 2000 : year < 100 ? year + 1900 : year }
        return CalendarComponent(start: full(component.start), stop: component.stop.map(full), step: component.step)
    }

    /// Refuses a normalized item outside the field's bounds, a range that runs backwards, and a
    /// repetition with no room to repeat once, as systemd 252's `chain_valid` does.
    private static func check(_ component: CalendarComponent, written: Substring, field: Field)
        throws(CalendarSpecError)
    {
        let bounds = field.bounds
        let range = "\(show(bounds.lowerBound, field: field))-\(show(bounds.upperBound, field: field))"
        let fromEnd = field == .dayFromEnd
        let name = field.name
        let written = fromEnd ? "~" + written : String(written)
        func outOfRange() -> CalendarSpecError {
            let why = fromEnd ? "; '~' counts at most 28 days back from the last day" : ""
            return CalendarSpecError(message: "\(name) '\(written)' is out of range \(range)\(why)")
        }
        guard bounds.contains(component.start) else { throw outOfRange() }
        guard component.step <= bounds.upperBound - bounds.lowerBound else {
            throw CalendarSpecError(
                message: "\(name) repetition in '\(written)' is longer than the range \(range); use a smaller step")
        }
        if let stop = component.stop {
            guard bounds.contains(stop) else { throw outOfRange() }
            guard component.start + component.step <= stop else {
                throw CalendarSpecError(
                    message: "\(name) range '\(written)' runs backwards; write the smaller value first")
            }
        } else if component.step > 0 {
            if fromEnd, component.start - component.step < bounds.lowerBound {
                throw CalendarSpecError(
                    message: "\(name) '\(written)' has no room to repeat: systemd wants the start at least one step "
                        + "from the last day, e.g. '~07/1' for the last seven days")
            }
            if !fromEnd, component.start + component.step > bounds.upperBound {
                throw CalendarSpecError(
                    message: "\(name) '\(written)' has no room to repeat within \(range): systemd wants at least one "
                        + "repetition to fit; write the single value or a smaller step")
            }
        }
    }

    /// A value as written in messages: whole seconds with their fraction for the seconds field.
    private static func show(_ value: Int, field: Field) -> String {
        guard field == .second else { return String(value) }
        let fraction = value % 1_000_000
        guard fraction > 0 else { return String(value / 1_000_000) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(value / 1_000_000).\(digits)"
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0-9 (not any Unicode number).
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
