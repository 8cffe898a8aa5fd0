import Foundation

/// Reads the time stamp of a log line as an ``Instant``, fast enough to run on every line.
///
/// The formats are those of SPEC §1 and §3 (see ``TimestampFormat``); `auto` tries RFC 3339,
/// syslog, Apache and epoch seconds in turn. The stamp is looked for at the start of the line and,
/// when none is there, at the start of each following whitespace-separated token, up to the
/// fourth token and the first 64 bytes of the line; a token's leading `[` is skipped. So the
/// Thunderbird line `- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 ...` reads as epoch 1131566461.
///
/// A stamp without a UTC offset is wall-clock time in the spec's zone: inside a DST gap it takes
/// the offset from before the gap, inside a repeated hour its first occurrence. A stamp without a
/// year takes one from its ``SyslogYearRule``. A date or time that does not exist on the calendar
/// (month 13, February 30, hour 25) reads as nil.
///
/// The parser keeps state (the year of the last syslog stamp, the zone offset in force), so one
/// parser reads one stream of lines. Reading allocates nothing and calls Foundation only when the
/// zone's offset may change.
public struct TimestampParser: Sendable {
    /// How many leading bytes of a line a stamp may begin in.
    public static let searchedBytes = 64
    /// How many leading whitespace-separated tokens of a line a stamp may begin at.
    public static let searchedTokens = 4

    private let reader: Reader
    private var zone: LocalTimeConverter
    private var years: YearState
    /// The month last resolved, as `year * 12 + month`, and the day number of its first day:
    /// consecutive lines nearly always share their month, which spares ``CivilDate`` per line.
    private var monthKey = Int.min
    private var monthStart = 0

    /// Creates a parser for one stream of lines.
    ///
    /// - Parameters:
    ///   - spec: The format to read and the zone of stamps that carry no UTC offset.
    ///   - yearRule: How a stamp without a year gets one (replay or daemon).
    /// - Throws: ``TimestampError`` for a strftime pattern with an unknown directive or no date.
    public init(spec: TimestampSpec, yearRule: SyslogYearRule) throws(TimestampError) {
        switch spec.format {
        case .auto: reader = .auto
        case .rfc3339: reader = .rfc3339
        case .syslog: reader = .syslog
        case .apache: reader = .apache
        case .epoch: reader = .epoch
        case .strftime(let pattern): reader = .strftime(try StrftimePattern(pattern))
        }
        zone = LocalTimeConverter(timezone: spec.timezone)
        years = YearState(yearRule)
    }

    /// Checks a strftime pattern without building a parser, for the configuration loader.
    ///
    /// The directives are `%Y %y %m %d %e %j %H %k %I %l %M %S %f %L %p %b %B %h %a %A %z %Z %s %T %F`
    /// and `%%`; `%L` is whole milliseconds. The pattern must read a day: a day with a month, `%j`
    /// with a year, `%F`, or `%s`. Without `%Y`/`%y` the year comes from the ``SyslogYearRule``.
    ///
    /// - Parameter pattern: The pattern as written in the service file, e.g. `%y/%m/%d %H:%M:%S`.
    /// - Throws: ``TimestampError`` with the byte offset of the offending `%`.
    public static func validate(strftime pattern: String) throws(TimestampError) {
        _ = try StrftimePattern(pattern)
    }

    /// Reads the stamp of one line.
    ///
    /// - Parameter line: The line's bytes, without its newline.
    /// - Returns: The instant of the stamp, or nil when no readable stamp is there.
    public mutating func parse(_ line: UnsafeRawBufferPointer) -> Instant? {
        var fields = StampFields()
        // Tokens start before `end`; the readers may read past it.
        let end = min(line.count, Self.searchedBytes)
        var index = 0
        var token = 0
        while true {
            while index < end && StampBytes.isSpace(line[index]) { index += 1 }
            guard index < end else { return nil }
            if read(line, at: index, into: &fields)
                || (line[index] == UInt8(ascii: "[") && read(line, at: index + 1, into: &fields))
            {
                return resolve(fields)
            }
            token += 1
            guard token < Self.searchedTokens else { return nil }
            while index < end && !StampBytes.isSpace(line[index]) { index += 1 }
        }
    }

    /// Moves the now of the ``SyslogYearRule/nearest(now:)`` rule; no effect under `.rolling`.
    ///
    /// The daemon calls it as its clock advances, so that one parser serves a source for the
    /// daemon's whole life; it costs a few calendar computations and no Foundation call.
    ///
    /// - Parameter now: The current time.
    public mutating func advance(now: Instant) {
        if case .nearest = years { years = YearState(.nearest(now: now)) }
    }

    /// Reads the stamp of one line given as a string, as the byte-buffer `parse(_:)` does.
    ///
    /// - Parameter line: The line, without its newline.
    /// - Returns: The instant of the stamp, or nil when no readable stamp is there.
    public mutating func parse(_ line: String) -> Instant? {
        var line = line
        return line.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Whether the format reads a stamp at `index`, which then replaces `fields`.
    private func read(_ line: UnsafeRawBufferPointer, at index: Int, into fields: inout StampFields) -> Bool {
        switch reader {
        case .auto:
            guard index < line.count else { return false }
            if StampBytes.digit(line, index) != nil {
                return StampFields.rfc3339(line, at: index, into: &fields)
                    || StampFields.apacheAccess(line, at: index, into: &fields)
                    || StampFields.epoch(line, at: index, digitCounts: 9...10, into: &fields)
            }
            return StampBytes.isLetter(line[index])
                && (StampFields.syslog(line, at: index, into: &fields)
                    || StampFields.apacheError(line, at: index, into: &fields))
        case .rfc3339:
            return StampFields.rfc3339(line, at: index, into: &fields)
        case .syslog:
            return StampFields.syslog(line, at: index, into: &fields)
        case .apache:
            return StampFields.apacheAccess(line, at: index, into: &fields)
                || StampFields.apacheError(line, at: index, into: &fields)
        case .epoch:
            return StampFields.epoch(line, at: index, digitCounts: 1...18, into: &fields)
        case .strftime(let pattern):
            return pattern.match(line, at: index, into: &fields)
        }
    }

    private mutating func resolve(_ fields: StampFields) -> Instant? {
        if let seconds = fields.epochSeconds {
            return Self.instant(seconds: seconds, nanosecond: fields.nanosecond)
        }
        guard (1...12).contains(fields.month), fields.day >= 1 else { return nil }
        guard let year = fields.year else { return resolveYearless(fields) }
        guard fields.day <= StampBytes.daysIn(month: fields.month, year: year) else { return nil }
        return instant(year: year, fields)
    }

    private mutating func resolveYearless(_ fields: StampFields) -> Instant? {
        // 2000 is a leap year, so this admits February 29 until the year is known.
        guard fields.day <= StampBytes.daysIn(month: fields.month, year: 2000) else { return nil }
        switch years {
        case .rolling(var year, let previous):
            // The stamp's place within a year, in seconds, compared with the previous one's.
            let position = (Self.daysBefore(month: fields.month) + fields.day) * 86_400 + fields.secondOfDay
            if let previous, position - previous > 365 * 86_400 {
                // Less than a day before the previous stamp across New Year (positions run over a
                // 366-day year): a late line of the year just ended, which leaves the year alone.
                guard fields.day <= StampBytes.daysIn(month: fields.month, year: year - 1) else { return nil }
                return instant(year: year - 1, fields)
            }
            if let previous, previous - position > 86_400 { year += 1 }
            years = .rolling(year: year, previous: position)
            guard fields.day <= StampBytes.daysIn(month: fields.month, year: year) else { return nil }
            return instant(year: year, fields)
        case .nearest(let limit, let latestYear):
            // Latest year first: the first candidate not more than a day ahead is the nearest one.
            // Going back up to nine years finds a February 29 even across 1900 or 2100.
            for year in stride(from: latestYear, through: latestYear - 9, by: -1)
            where fields.day <= StampBytes.daysIn(month: fields.month, year: year) {
                let local = localSeconds(year: year, fields)
                // A wall time more than a day past the limit is ahead of it in every zone.
                if local - 86_400 > limit.seconds { continue }
                if let instant = instant(local: local, fields), instant <= limit { return instant }
            }
            return nil
        }
    }

    private mutating func instant(year: Int, _ fields: StampFields) -> Instant? {
        instant(local: localSeconds(year: year, fields), fields)
    }

    /// The stamp's wall time as local seconds (seconds since 1970-01-01T00:00 of its own clock).
    private mutating func localSeconds(year: Int, _ fields: StampFields) -> Int64 {
        let key = year * 12 + fields.month
        if key != monthKey {
            monthKey = key
            monthStart = CivilDate.days(year: year, month: fields.month, day: 1)
        }
        return Int64(monthStart + fields.day - 1) * 86_400 + Int64(fields.secondOfDay)
    }

    private mutating func instant(local: Int64, _ fields: StampFields) -> Instant? {
        let utc: Int64
        if let offset = fields.utcOffset {
            utc = local - Int64(offset)
        } else {
            utc = zone.utcSeconds(local: local)
        }
        return Self.instant(seconds: utc, nanosecond: fields.nanosecond)
    }

    /// Days in a leap year before the first of `month`.
    private static func daysBefore(month: Int) -> Int {
        switch month {
        case 1: 0
        case 2: 31
        case 3: 60
        case 4: 91
        case 5: 121
        case 6: 152
        case 7: 182
        case 8: 213
        case 9: 244
        case 10: 274
        case 11: 305
        default: 335
        }
    }

    /// Nil when the instant is outside ``Instant/earliest``...``Instant/latest``: such a stamp is unreadable.
    private static func instant(seconds: Int64, nanosecond: Int) -> Instant? {
        Instant(seconds: seconds, nanosecond: Int64(nanosecond))
    }

    /// Which format readers run.
    private enum Reader: Sendable {
        case auto, rfc3339, syslog, apache, epoch
        case strftime(StrftimePattern)
    }

    /// The year rule with what it needs to remember between lines.
    private enum YearState: Sendable {
        /// `previous` is the last year-less stamp's place within its year, in seconds.
        case rolling(year: Int, previous: Int?)
        /// `limit` is a day after now; `latestYear` is the latest year whose stamps can be within
        /// the limit: the year of now, or the next one in the last two days of December.
        case nearest(limit: Instant, latestYear: Int)

        init(_ rule: SyslogYearRule) {
            switch rule {
            case .rolling(let startYear):
                self = .rolling(year: startYear, previous: nil)
            case .nearest(let now):
                let (nanoseconds, overflow) = now.nanoseconds.addingReportingOverflow(86_400 * 1_000_000_000)
                let limit = Instant(nanoseconds: overflow ? .max : nanoseconds)
                let seconds = now.seconds
                let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
                let year = CivilDate.date(days: days).year
                // Next year's wall times begin at its January 1, 00:00, which no zone puts a day or
                // more earlier in UTC: only within a day of it can next year be a candidate.
                let nextYear = Int64(CivilDate.days(year: year + 1, month: 1, day: 1)) * 86_400
                self = .nearest(limit: limit, latestYear: nextYear - 86_400 <= limit.seconds ? year + 1 : year)
            }
        }
    }
}
