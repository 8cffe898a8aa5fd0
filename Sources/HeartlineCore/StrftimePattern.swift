/// A strftime-style pattern compiled into steps that read a stamp from bytes, for the
/// `timestamp: format:` patterns of SPEC §1 such as Spark's `%y/%m/%d %H:%M:%S`.
///
/// Reading follows POSIX `strptime`: a numeric field takes one digit up to its width (`%m` two,
/// `%Y` four, `%j` three), so `081109` reads as `%y%m%d` and HealthApp's unpadded `22:5:9` as
/// `%H:%M:%S`. A literal character matches itself, and a space (or a run of spaces) in the pattern
/// matches one or more spaces or tabs.
struct StrftimePattern: Sendable {
    /// The directives, as the error message lists them.
    static let directives = "%Y %y %m %d %e %j %H %k %I %l %M %S %f %L %p %b %B %h %a %A %z %Z %s %T %F %%"

    private let steps: [Step]
    /// Whether `%I`/`%l` gives the hour, so that `%p` applies.
    private let readsTwelveHour: Bool
    /// Whether the day comes from `%j` because the pattern has no month and day.
    private let readsDayOfYear: Bool

    /// Compiles a pattern.
    ///
    /// - Throws: ``TimestampError`` for an unknown directive, a `%` at the end, or a pattern that
    ///   reads no calendar day (it needs a day with a month, `%j` with a year, `%F`, or `%s`).
    init(_ pattern: String) throws(TimestampError) {
        let bytes = Array(pattern.utf8)
        var steps: [Step] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") {
                if case .spaces = steps.last {} else { steps.append(.spaces) }
                index += 1
            } else if byte != UInt8(ascii: "%") {
                steps.append(.literal(byte))
                index += 1
            } else if index + 1 == bytes.count {
                throw TimestampError(
                    code: .incompleteDirective,
                    message: "the pattern ends with a lone %; write %% for a literal percent sign",
                    offset: index)
            } else if let directive = Self.steps(for: bytes[index + 1]) {
                steps += directive
                index += 2
            } else {
                let name = String(decoding: bytes[(index + 1)...].prefix(4), as: UTF8.self).unicodeScalars.first
                throw TimestampError(
                    code: .unknownDirective,
                    message:
                        "unknown strftime directive %\(name.map(String.init) ?? ""); use one of \(Self.directives)",
                    offset: index)
            }
        }
        var fields = Set<NumberField>()
        var readsMonthName = false
        var readsEpoch = false
        for step in steps {
            switch step {
            case .number(let field, _, _): fields.insert(field)
            case .monthName: readsMonthName = true
            case .epochSeconds: readsEpoch = true
            default: break
            }
        }
        let readsYear = fields.contains(.year) || fields.contains(.shortYear)
        let readsMonthAndDay = (fields.contains(.month) || readsMonthName) && fields.contains(.day)
        guard readsEpoch || readsMonthAndDay || (fields.contains(.dayOfYear) && readsYear) else {
            throw TimestampError(
                code: .missingDate,
                message: "the pattern reads no date; add a day (%d or %e) with a month (%m or %b), "
                    + "%j with a year (%Y or %y), %F, or epoch seconds (%s)",
                offset: bytes.count)
        }
        self.steps = steps
        self.readsTwelveHour = fields.contains(.twelveHour)
        self.readsDayOfYear = !readsMonthAndDay && !readsEpoch
    }

    /// Whether a stamp that fits the pattern starts at `start`; it then replaces `fields`.
    ///
    /// The line may go on after the stamp. A pattern without `%Y`/`%y` gives a year-less stamp.
    func match(_ bytes: UnsafeRawBufferPointer, at start: Int, into fields: inout StampFields) -> Bool {
        var index = start
        var values = Values()
        for step in steps {
            switch step {
            case .literal(let byte):
                guard StampBytes.byte(bytes, index, is: byte) else { return false }
                index += 1
            case .spaces:
                guard index < bytes.count, StampBytes.isSpace(bytes[index]) else { return false }
                while index < bytes.count && StampBytes.isSpace(bytes[index]) { index += 1 }
            case .number(let field, let width, let spacePadded):
                if spacePadded && StampBytes.byte(bytes, index, is: UInt8(ascii: " ")) { index += 1 }
                guard let value = StampBytes.digits(bytes, &index, upTo: width) else { return false }
                values.set(field, value)
            case .fraction:
                guard let nanosecond = StampBytes.fraction(bytes, &index) else { return false }
                values.nanosecond = nanosecond
            case .monthName:
                guard let month = StampBytes.monthName(bytes, &index) else { return false }
                values.month = month
            case .weekdayName:
                guard StampBytes.weekdayName(bytes, &index) != nil else { return false }
            case .meridiem:
                guard let afternoon = Self.meridiem(bytes, &index) else { return false }
                values.afternoon = afternoon
            case .utcOffset:
                guard let offset = StampBytes.utcOffset(bytes, &index) else { return false }
                values.utcOffset = offset
            case .zoneName:
                guard Self.utcZoneName(bytes, &index) else { return false }
                values.utcOffset = 0
            case .epochSeconds:
                guard let seconds = Self.epochSeconds(bytes, &index) else { return false }
                values.epochSeconds = seconds
            }
        }
        guard let read = self.fields(of: values) else { return false }
        fields = read
        return true
    }

    /// The stamp the values spell, or nil when they are out of range.
    private func fields(of values: Values) -> StampFields? {
        if let epochSeconds = values.epochSeconds {
            return StampFields(nanosecond: values.nanosecond, epochSeconds: epochSeconds)
        }
        var hour = values.hour
        if readsTwelveHour {
            guard (1...12).contains(values.twelveHour) else { return nil }
            hour = values.twelveHour % 12 + (values.afternoon ? 12 : 0)
        }
        guard hour < 24, values.minute < 60, values.second <= 60 else { return nil }
        var fields = StampFields(
            year: values.year, month: values.month, day: values.day,
            secondOfDay: hour * 3600 + values.minute * 60 + values.second,
            nanosecond: values.nanosecond, utcOffset: values.utcOffset)
        if readsDayOfYear, let year = values.year {
            let daysInYear = StampBytes.daysIn(month: 2, year: year) == 29 ? 366 : 365
            guard (1...daysInYear).contains(values.dayOfYear) else { return nil }
            let date = CivilDate.date(days: CivilDate.days(year: year, month: 1, day: 1) + values.dayOfYear - 1)
            fields.month = date.month
            fields.day = date.day
        }
        return fields
    }

    /// `AM` or `PM`, any case: whether it is the afternoon.
    private static func meridiem(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Bool? {
        guard index + 2 <= bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
        let afternoon: Bool
        switch bytes[index] | 0x20 {
        case UInt8(ascii: "a"): afternoon = false
        case UInt8(ascii: "p"): afternoon = true
        default: return nil
        }
        index += 2
        return afternoon
    }

    /// `UTC`, `GMT` or `Z`, any case: the only zone names `%Z` reads, since abbreviations such as
    /// `CST` name several zones.
    private static func utcZoneName(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Bool {
        if let key = StampBytes.threeLetters(bytes, index), key == 0x75_7463 || key == 0x67_6D74 {
            index += 3
            return true
        }
        guard index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "z") else { return false }
        index += 1
        return true
    }

    /// `%s`: an optionally negative whole number of seconds since the epoch, at most 18 digits.
    private static func epochSeconds(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int64? {
        let negative = StampBytes.byte(bytes, index, is: UInt8(ascii: "-"))
        if negative { index += 1 }
        let start = index
        var seconds: Int64 = 0
        while let d = StampBytes.digit(bytes, index) {
            guard index - start < 18 else { return nil }
            seconds = seconds * 10 + Int64(d)
            index += 1
        }
        guard index > start else { return nil }
        return negative ? -seconds : seconds
    }

    /// The steps of one directive letter, or nil when the letter is no directive.
    private static func steps(for directive: UInt8) -> [Step]? {
        switch directive {
        case UInt8(ascii: "Y"): [.number(.year, width: 4, spacePadded: false)]
        case UInt8(ascii: "y"): [.number(.shortYear, width: 2, spacePadded: false)]
        case UInt8(ascii: "m"): [.number(.month, width: 2, spacePadded: false)]
        case UInt8(ascii: "d"): [.number(.day, width: 2, spacePadded: false)]
        case UInt8(ascii: "e"): [.number(.day, width: 2, spacePadded: true)]
        case UInt8(ascii: "j"): [.number(.dayOfYear, width: 3, spacePadded: false)]
        case UInt8(ascii: "H"): [.number(.hour, width: 2, spacePadded: false)]
        case UInt8(ascii: "k"): [.number(.hour, width: 2, spacePadded: true)]
        case UInt8(ascii: "I"): [.number(.twelveHour, width: 2, spacePadded: false)]
        case UInt8(ascii: "l"): [.number(.twelveHour, width: 2, spacePadded: true)]
        case UInt8(ascii: "M"): [.number(.minute, width: 2, spacePadded: false)]
        case UInt8(ascii: "S"): [.number(.second, width: 2, spacePadded: false)]
        case UInt8(ascii: "L"): [.number(.millisecond, width: 3, spacePadded: false)]
        case UInt8(ascii: "f"): [.fraction]
        case UInt8(ascii: "p"): [.meridiem]
        case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "h"): [.monthName]
        case UInt8(ascii: "a"), UInt8(ascii: "A"): [.weekdayName]
        case UInt8(ascii: "z"): [.utcOffset]
        case UInt8(ascii: "Z"): [.zoneName]
        case UInt8(ascii: "s"): [.epochSeconds]
        case UInt8(ascii: "%"): [.literal(UInt8(ascii: "%"))]
        case UInt8(ascii: "T"):
            [
                .number(.hour, width: 2, spacePadded: false), .literal(UInt8(ascii: ":")),
                .number(.minute, width: 2, spacePadded: false), .literal(UInt8(ascii: ":")),
                .number(.second, width: 2, spacePadded: false),
            ]
        case UInt8(ascii: "F"):
            [
                .number(.year, width: 4, spacePadded: false), .literal(UInt8(ascii: "-")),
                .number(.month, width: 2, spacePadded: false), .literal(UInt8(ascii: "-")),
                .number(.day, width: 2, spacePadded: false),
            ]
        default: nil
        }
    }

    /// One thing the pattern reads.
    private enum Step: Sendable {
        case literal(UInt8)
        case spaces
        case number(NumberField, width: Int, spacePadded: Bool)
        case fraction
        case monthName
        case weekdayName
        case meridiem
        case utcOffset
        case zoneName
        case epochSeconds
    }

    /// The numeric fields; `%L` is whole milliseconds (1-3 digits, as Ruby's `%L`), which HealthApp
    /// writes unpadded (`:97`, then `:100`) where `%f` would read 970 ms.
    private enum NumberField: Hashable, Sendable {
        case year, shortYear, month, day, dayOfYear, hour, twelveHour, minute, second, millisecond
    }

    /// The values read so far, with the defaults of fields the pattern leaves out.
    private struct Values {
        var year: Int?
        var month = 1
        var day = 1
        var dayOfYear = 1
        var hour = 0
        var twelveHour = 12
        var minute = 0
        var second = 0
        var nanosecond = 0
        var afternoon = false
        var utcOffset: Int?
        var epochSeconds: Int64?

        mutating func set(_ field: NumberField, _ value: Int) {
            switch field {
            case .year: year = value
            // POSIX strptime: 69-99 are 1969-1999, 00-68 are 2000-2068.
            case .shortYear: year = value < 69 ? 2000 + value : 1900 + value
            case .month: month = value
            case .day: day = value
            case .dayOfYear: dayOfYear = value
            case .hour: hour = value
            case .twelveHour: twelveHour = value
            case .minute: minute = value
            case .second: second = value
            case .millisecond: nanosecond = value * 1_000_000
            }
        }
    }
}
