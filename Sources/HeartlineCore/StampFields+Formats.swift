/// Readers of the named stamp formats of SPEC §1 and §3, each at one position of a line.
///
/// A reader checks the format's shape first (a `-` at the fifth byte, a month name, ...) so that
/// trying a format that is not there costs a byte or two. On success it replaces `fields` and
/// returns true; on failure it leaves `fields` alone. (Returning an optional struct instead costs
/// a store-forwarding stall per call, a third of the time of a line.)
extension StampFields {
    /// RFC 3339 / ISO 8601: `2005-06-16T04:10:24Z`, `2015-07-29 17:41:44,747`, `... +02:00`.
    ///
    /// `T`, `t` or a space between date and time; seconds may be left out (ISO 8601 `HH:MM`);
    /// a fraction with `.` or `,` and any number of digits; an offset `Z`, `+hh:mm`, `+hhmm` or
    /// `+hh` right after the time, or after one space when the offset then ends the token
    /// (`2005-06-16 04:10:24 -0700`, as `git log` and some Java loggers write).
    static func rfc3339(
        _ bytes: UnsafeRawBufferPointer,
        at start: Int,
        into fields: inout StampFields
    ) -> Bool {
        guard start + 16 <= bytes.count, bytes[start + 4] == UInt8(ascii: "-") else { return false }
        var index = start
        guard let year = StampBytes.digits(bytes, &index, count: 4),
            StampBytes.byte(bytes, index, is: UInt8(ascii: "-"))
        else { return false }
        index += 1
        guard let month = StampBytes.digits(bytes, &index, count: 2),
            StampBytes.byte(bytes, index, is: UInt8(ascii: "-"))
        else { return false }
        index += 1
        guard let day = StampBytes.digits(bytes, &index, count: 2), index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " "): index += 1
        default: return false
        }
        guard let clock = StampBytes.clock(bytes, &index, secondsOptional: true) else { return false }
        var read = StampFields(
            year: year, month: month, day: day, secondOfDay: clock.secondOfDay, nanosecond: clock.nanosecond)
        if index < bytes.count {
            var offsetIndex = index
            if bytes[index] == UInt8(ascii: " ") {
                offsetIndex += 1
                if let offset = numericOffset(bytes, &offsetIndex), StampBytes.endsNumber(bytes, offsetIndex) {
                    read.utcOffset = offset
                }
            } else if isOffsetStart(bytes[index]) {
                guard let offset = StampBytes.utcOffset(bytes, &offsetIndex) else { return false }
                read.utcOffset = offset
            }
        }
        fields = read
        return true
    }

    /// BSD syslog (RFC 3164): `Jun 16 04:10:24`, `Jun  9 04:10:24`, `Nov 9 12:01:01`; year-less.
    ///
    /// The day may be padded with a space or not padded at all; an optional fraction after the
    /// seconds is read too.
    static func syslog(
        _ bytes: UnsafeRawBufferPointer,
        at start: Int,
        into fields: inout StampFields
    ) -> Bool {
        var index = start
        guard let month = StampBytes.monthAbbreviation(bytes, &index),
            StampBytes.byte(bytes, index, is: UInt8(ascii: " "))
        else { return false }
        while StampBytes.byte(bytes, index, is: UInt8(ascii: " ")) { index += 1 }
        guard let day = StampBytes.digits(bytes, &index, upTo: 2),
            StampBytes.byte(bytes, index, is: UInt8(ascii: " "))
        else { return false }
        index += 1
        guard let clock = StampBytes.clock(bytes, &index) else { return false }
        fields = StampFields(
            year: nil, month: month, day: day, secondOfDay: clock.secondOfDay, nanosecond: clock.nanosecond)
        return true
    }

    /// Apache access log (common log format), without its `[`: `16/Jun/2005:04:10:24 +0200`.
    ///
    /// The offset is optional; an optional fraction after the seconds is read too.
    static func apacheAccess(
        _ bytes: UnsafeRawBufferPointer,
        at start: Int,
        into fields: inout StampFields
    ) -> Bool {
        guard start + 20 <= bytes.count, bytes[start + 2] == UInt8(ascii: "/") else { return false }
        var index = start
        guard let day = StampBytes.digits(bytes, &index, count: 2) else { return false }
        index += 1
        guard let month = StampBytes.monthAbbreviation(bytes, &index),
            StampBytes.byte(bytes, index, is: UInt8(ascii: "/"))
        else { return false }
        index += 1
        guard let year = StampBytes.digits(bytes, &index, count: 4),
            StampBytes.byte(bytes, index, is: UInt8(ascii: ":"))
        else { return false }
        index += 1
        guard let clock = StampBytes.clock(bytes, &index) else { return false }
        var read = StampFields(
            year: year, month: month, day: day, secondOfDay: clock.secondOfDay, nanosecond: clock.nanosecond)
        if StampBytes.byte(bytes, index, is: UInt8(ascii: " ")), index + 1 < bytes.count,
            isOffsetStart(bytes[index + 1])
        {
            index += 1
            guard let offset = numericOffset(bytes, &index) else { return false }
            read.utcOffset = offset
        }
        fields = read
        return true
    }

    /// Apache error log and C `asctime`, without the `[`: `Sun Dec 04 04:47:44 2005`.
    ///
    /// The day may be zero-padded (Apache), space-padded (`asctime`) or bare; Apache 2.4's
    /// microseconds (`04:47:44.123456`) are read as a fraction.
    static func apacheError(
        _ bytes: UnsafeRawBufferPointer,
        at start: Int,
        into fields: inout StampFields
    ) -> Bool {
        var index = start
        guard StampBytes.weekdayName(bytes, &index) != nil,
            StampBytes.byte(bytes, index, is: UInt8(ascii: " "))
        else { return false }
        index += 1
        guard let month = StampBytes.monthAbbreviation(bytes, &index),
            StampBytes.byte(bytes, index, is: UInt8(ascii: " "))
        else { return false }
        while StampBytes.byte(bytes, index, is: UInt8(ascii: " ")) { index += 1 }
        guard let day = StampBytes.digits(bytes, &index, upTo: 2),
            StampBytes.byte(bytes, index, is: UInt8(ascii: " "))
        else { return false }
        index += 1
        guard let clock = StampBytes.clock(bytes, &index),
            StampBytes.byte(bytes, index, is: UInt8(ascii: " "))
        else { return false }
        index += 1
        guard let year = StampBytes.digits(bytes, &index, count: 4) else { return false }
        fields = StampFields(
            year: year, month: month, day: day, secondOfDay: clock.secondOfDay, nanosecond: clock.nanosecond)
        return true
    }

    /// Seconds since the Unix epoch with an optional `.` fraction: `1131566461`, `1131566461.123`.
    ///
    /// The number must end its token (see ``StampBytes/endsNumber(_:_:)``) and have a digit count in
    /// `digitCounts`: `auto` takes only 9 or 10 digits (1973 to 2286) so that ordinary numbers at
    /// the start of a line are not read as times.
    static func epoch(
        _ bytes: UnsafeRawBufferPointer,
        at start: Int,
        digitCounts: ClosedRange<Int>,
        into fields: inout StampFields
    ) -> Bool {
        var index = start
        var seconds: Int64 = 0
        while let d = StampBytes.digit(bytes, index) {
            // 18 digits always fit an Int64; a longer number is no epoch stamp.
            guard index - start < 18 else { return false }
            seconds = seconds * 10 + Int64(d)
            index += 1
        }
        guard digitCounts.contains(index - start) else { return false }
        var nanosecond = 0
        if StampBytes.byte(bytes, index, is: UInt8(ascii: ".")), StampBytes.digit(bytes, index + 1) != nil {
            index += 1
            nanosecond = StampBytes.fraction(bytes, &index) ?? 0
        }
        guard StampBytes.endsNumber(bytes, index) else { return false }
        fields = StampFields(nanosecond: nanosecond, epochSeconds: seconds)
        return true
    }

    /// Whether a byte starts a UTC offset (`Z`, `+`, `-`); one that starts there must be valid.
    private static func isOffsetStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"), UInt8(ascii: "+"), UInt8(ascii: "-"): true
        default: false
        }
    }

    /// `+hhmm`, `-hh:mm` or `+hh`: an offset that must start with a sign (no `Z`).
    private static func numericOffset(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else {
            return nil
        }
        return StampBytes.utcOffset(bytes, &index)
    }
}
