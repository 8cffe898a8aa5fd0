/// Byte-level readers shared by the timestamp formats.
///
/// Each reader looks at `bytes` from `index`, advances `index` past what it read on success, and
/// leaves it unspecified on failure: callers keep their own start position. Everything works on
/// ASCII bytes with no allocation, because it runs on every log line.
enum StampBytes {
    /// The value of an ASCII digit at `index`, or nil past the end or on any other byte.
    @inline(__always)
    static func digit(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        let value = bytes[index] &- UInt8(ascii: "0")
        return value < 10 ? Int(value) : nil
    }

    /// Whether the byte at `index` is `byte`.
    @inline(__always)
    static func byte(_ bytes: UnsafeRawBufferPointer, _ index: Int, is byte: UInt8) -> Bool {
        index < bytes.count && bytes[index] == byte
    }

    /// Whether a byte is a space or a tab, the separators of log tokens.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// Whether a byte is an ASCII letter.
    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26
    }

    /// Exactly `count` digits as a number.
    @inline(__always)
    static func digits(_ bytes: UnsafeRawBufferPointer, _ index: inout Int, count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let d = digit(bytes, index) else { return nil }
            value = value * 10 + d
            index += 1
        }
        return value
    }

    /// One to `maxCount` digits, as many as there are, as a number (strptime's field width rule:
    /// `081109` reads as `%y%m%d`, `9:5` as `%H:%M`).
    @inline(__always)
    static func digits(_ bytes: UnsafeRawBufferPointer, _ index: inout Int, upTo maxCount: Int) -> Int? {
        guard var value = digit(bytes, index) else { return nil }
        index += 1
        var read = 1
        while read < maxCount, let d = digit(bytes, index) {
            value = value * 10 + d
            index += 1
            read += 1
        }
        return value
    }

    /// Fraction digits after a decimal separator, as nanoseconds.
    ///
    /// Any number of digits is consumed; the first nine count and the rest are truncated, so
    /// `747` gives exactly 747_000_000 ns. Nil when no digit is there.
    static func fraction(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int? {
        var nanoseconds = 0
        var read = 0
        while let d = digit(bytes, index) {
            if read < 9 {
                nanoseconds = nanoseconds * 10 + d
                read += 1
            }
            index += 1
        }
        guard read > 0 else { return nil }
        while read < 9 {
            nanoseconds *= 10
            read += 1
        }
        return nanoseconds
    }

    /// An optional `.` or `,` fraction: nanoseconds, or 0 when no separator followed by a digit is there.
    @inline(__always)
    static func optionalFraction(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int {
        guard index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ","),
            digit(bytes, index + 1) != nil
        else { return 0 }
        index += 1
        return fraction(bytes, &index) ?? 0
    }

    /// `HH:MM:SS` with an optional `.`/`,` fraction: the second of the day and the nanoseconds.
    ///
    /// Two digits each; hour 0-23, minute 0-59, second 0-60 (60 is a leap second and reads as the
    /// next minute's first second). With `secondsOptional`, `HH:MM` alone also reads (ISO 8601).
    @inline(__always)
    static func clock(
        _ bytes: UnsafeRawBufferPointer,
        _ index: inout Int,
        secondsOptional: Bool = false
    ) -> (secondOfDay: Int, nanosecond: Int)? {
        guard let hour = digits(bytes, &index, count: 2), hour < 24,
            byte(bytes, index, is: UInt8(ascii: ":"))
        else { return nil }
        index += 1
        guard let minute = digits(bytes, &index, count: 2), minute < 60 else { return nil }
        guard byte(bytes, index, is: UInt8(ascii: ":")), digit(bytes, index + 1) != nil else {
            return secondsOptional ? (hour * 3600 + minute * 60, 0) : nil
        }
        index += 1
        guard let second = digits(bytes, &index, count: 2), second <= 60 else { return nil }
        let nanosecond = optionalFraction(bytes, &index)
        return (hour * 3600 + minute * 60 + second, nanosecond)
    }

    /// A UTC offset: `Z`, `+hh:mm`, `+hhmm` or `+hh` (or `-`), as seconds east of UTC.
    static func utcOffset(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int? {
        guard index < bytes.count else { return nil }
        let sign: Int
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
            return 0
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        index += 1
        guard let hours = digits(bytes, &index, count: 2), hours < 24 else { return nil }
        var minutes = 0
        let afterHours = index
        if byte(bytes, index, is: UInt8(ascii: ":")) { index += 1 }
        if let value = digits(bytes, &index, count: 2) {
            guard value < 60 else { return nil }
            minutes = value
        } else {
            index = afterHours
        }
        return sign * (hours * 3600 + minutes * 60)
    }

    /// Three letters, any case, packed into one number for a `switch` (`jan` is 0x6A616E).
    @inline(__always)
    static func threeLetters(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> UInt32? {
        guard index + 3 <= bytes.count else { return nil }
        let a = bytes[index] | 0x20
        let b = bytes[index + 1] | 0x20
        let c = bytes[index + 2] | 0x20
        return UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
    }

    /// An English month abbreviation (`Jan` ... `Dec`, any case): 1...12.
    @inline(__always)
    static func monthAbbreviation(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int? {
        guard let key = threeLetters(bytes, index) else { return nil }
        let month: Int
        switch key {
        case 0x6A_616E: month = 1
        case 0x66_6562: month = 2
        case 0x6D_6172: month = 3
        case 0x61_7072: month = 4
        case 0x6D_6179: month = 5
        case 0x6A_756E: month = 6
        case 0x6A_756C: month = 7
        case 0x61_7567: month = 8
        case 0x73_6570: month = 9
        case 0x6F_6374: month = 10
        case 0x6E_6F76: month = 11
        case 0x64_6563: month = 12
        default: return nil
        }
        index += 3
        return month
    }

    /// An English month name, full (`January`) or abbreviated (`Jan`), any case: 1...12.
    static func monthName(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int? {
        guard let month = monthAbbreviation(bytes, &index) else { return nil }
        let rest: StaticString
        switch month {
        case 1: rest = "uary"
        case 2: rest = "ruary"
        case 3: rest = "ch"
        case 4: rest = "il"
        case 6: rest = "e"
        case 7: rest = "y"
        case 8: rest = "ust"
        case 9: rest = "tember"
        case 10: rest = "ober"
        case 11, 12: rest = "ember"
        default: return month
        }
        skipSuffix(rest, bytes, &index)
        return month
    }

    /// An English weekday name, full (`Sunday`) or abbreviated (`Sun`), any case: 0 = Sunday ... 6.
    static func weekdayName(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int? {
        guard let key = threeLetters(bytes, index) else { return nil }
        let weekday: Int
        let rest: StaticString
        switch key {
        case 0x73_756E: (weekday, rest) = (0, "day")
        case 0x6D_6F6E: (weekday, rest) = (1, "day")
        case 0x74_7565: (weekday, rest) = (2, "sday")
        case 0x77_6564: (weekday, rest) = (3, "nesday")
        case 0x74_6875: (weekday, rest) = (4, "rsday")
        case 0x66_7269: (weekday, rest) = (5, "day")
        case 0x73_6174: (weekday, rest) = (6, "urday")
        default: return nil
        }
        index += 3
        skipSuffix(rest, bytes, &index)
        return weekday
    }

    /// Moves past `suffix` (lowercase letters) when the bytes at `index` spell it in any case.
    private static func skipSuffix(_ suffix: StaticString, _ bytes: UnsafeRawBufferPointer, _ index: inout Int) {
        let count = suffix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return }
        let letters = suffix.utf8Start
        for offset in 0..<count where bytes[index + offset] | 0x20 != letters[offset] { return }
        index += count
    }

    /// Whether a number token may end at `index`: the end of the line or a byte that cannot
    /// continue a number, a word, a date (`-`, `/`, `:`) or a dotted number (`1.2.3`).
    @inline(__always)
    static func endsNumber(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> Bool {
        guard index < bytes.count else { return true }
        let byte = bytes[index]
        if digit(bytes, index) != nil || isLetter(byte) { return false }
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ":"): return false
        case UInt8(ascii: "."): return digit(bytes, index + 1) == nil
        default: return true
        }
    }

    /// Days in a month of the proleptic Gregorian calendar.
    @inline(__always)
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
