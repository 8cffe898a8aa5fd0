public import Foundation

extension CalendarSpec {
    /// The first elapse strictly after `instant`: the instant systemd 252 would start a timer with
    /// this `OnCalendar=` expression, as `systemd-analyze calendar --base-time=` prints it.
    ///
    /// The search is systemd's: from the wall-clock time one microsecond after `instant`, it fits
    /// the fields from the year down to the seconds, each to its first allowed value at or after
    /// the current one, and starts over from the next year, month, day, hour or minute whenever a
    /// field has no value left or a candidate is no real wall-clock time. Daylight-saving changes
    /// follow from reading every candidate as glibc's `mktime(3)` does (``CalendarWallClock``):
    ///
    /// - A time inside a gap does not occur. The search goes on from the gap's end: a daily 02:30
    ///   skips the day Berlin springs forward, while `*:0/20` elapses at 03:00 that night.
    /// - A time inside a repeated hour elapses once, in the pass the search is in: the first pass
    ///   when the search starts before it, the second when `instant` lies in the second pass.
    ///
    /// An expression with a zone of its own is wall-clock in that zone; `UTC` has no DST.
    /// - Parameters:
    ///   - instant: The instant to look after, e.g. the last success.
    ///   - defaultZone: The zone of an expression without one (the schedule's `timezone:`).
    /// - Returns: The elapse, to the microsecond, or nil when there is none by the end of 2199,
    ///   systemd's last year.
    public func nextElapse(after instant: Instant, in defaultZone: TimeZone) -> Instant? {
        let microseconds = Self.floorDivide(instant.nanoseconds, 1_000) + 1
        let seconds = Self.floorDivide(microseconds, 1_000_000)
        let clock = CalendarWallClock(zone: timezone ?? defaultZone, at: seconds)
        var search = ElapseSearch(
            spec: self, clock: clock, time: clock.reading(at: seconds).fields,
            microsecond: Int(microseconds - seconds * 1_000_000))
        guard let (elapse, microsecond) = search.run() else { return nil }
        return Instant(seconds: elapse, nanosecond: Int64(microsecond) * 1_000)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}

/// One search for the next elapse: the candidate wall-clock time, its microseconds, and the clock
/// that reads it, stepped as systemd 252's `find_next` steps them (Debian's 252.39 build, whose
/// steps were read from its `calendar_spec_next_usec`).
private struct ElapseSearch {
    typealias Fields = CalendarWallClock.Fields

    /// How a candidate fared when read on the wall clock.
    private enum Reading {
        /// It is a real wall-clock time.
        case real
        /// It is not (a gap, or a day past the month's end); the search goes on from the time it
        /// reads as, the field below the first changed one set to its start.
        case moved
        /// It lies past 2199, or reads as an earlier time: the field above must move on.
        case refused
    }

    let spec: CalendarSpec
    var clock: CalendarWallClock
    /// The candidate; it starts at the wall-clock time one microsecond after the instant asked
    /// about, which the search must not end before.
    var time: Fields
    var microsecond: Int
    /// The daylight-saving flag every reading of the candidate passes (`tm_isdst`): none, except
    /// that a candidate moved out of a gap carries the flag of the time it moved to into the next
    /// round, and that once a round ended before the start every round keeps its own.
    var daylightSaving: Bool? = nil

    /// systemd gives up after this many rounds and reports no elapse.
    private static let maximumRounds = 1_000
    private static let lastYear = 2_199

    /// Runs the search.
    /// - Returns: The elapse in whole seconds since the epoch and its microseconds, or nil.
    mutating func run() -> (Int64, Int)? {
        let start = (time, microsecond)
        // Once a round ends before the start, systemd keeps each round's daylight-saving flag.
        var keepsFlag = false
        for round in 0..<Self.maximumRounds {
            if round > 0 {
                // The start is a real time already; later rounds read the candidate afresh.
                let reading = clock.resolve(time, daylightSaving: daylightSaving)
                time = reading.fields
                daylightSaving = keepsFlag ? clock.isDaylightSaving(at: reading.instant) : nil
            }
            guard let fitted = fitFields() else { return nil }
            guard fitted else { continue }
            if time.precedes(start.0) || (time == start.0 && microsecond < start.1) {
                // The candidate reads as a wall time before the start (a gap read backwards, or the
                // first pass of a repeated hour): systemd 252.39 moves it an hour on.
                time.hour += 1
                keepsFlag = true
                continue
            }
            return (clock.resolve(time, daylightSaving: daylightSaving).instant, microsecond)
        }
        return nil
    }

    /// One round: fits the fields from the year down.
    /// - Returns: True when every field fits, false when the search starts another round, nil
    ///   when there is no elapse.
    private mutating func fitFields() -> Bool? {
        guard let year = earliest(spec.years, atLeast: time.year) else { return nil }
        if year != time.year { restart(at: Fields(year: year, month: 1, day: 1)) }
        guard read() == .real else { return nil }

        let month = earliest(spec.months, atLeast: time.month)
        if let month, month != time.month { restart(at: Fields(year: time.year, month: month, day: 1)) }
        switch month == nil ? nil : read() {
        case nil, .refused?: return restart(at: Fields(year: time.year + 1, month: 1, day: 1))
        case .moved?: return false
        case .real?: break
        }

        let day = earliest(spec.days, atLeast: time.day, fromEndOfMonth: spec.daysFromEndOfMonth)
        if let day, day != time.day { restart(at: Fields(year: time.year, month: time.month, day: day)) }
        switch day == nil ? nil : read() {
        case nil, .refused?: return restart(at: Fields(year: time.year, month: time.month + 1, day: 1))
        case .moved?: return false
        case .real?: break
        }

        if let weekdays = spec.weekdays {
            let weekday = clock.resolve(time, daylightSaving: daylightSaving).fields.weekdayFromMonday
            if weekdays & 1 << weekday == 0 {
                return restart(at: Fields(year: time.year, month: time.month, day: time.day + 1))
            }
        }

        let hour = earliest(spec.hours, atLeast: time.hour)
        if let hour, hour != time.hour { restart(at: Fields(time, hour: hour)) }
        switch hour == nil ? nil : read() {
        case nil, .refused?: return restart(at: Fields(year: time.year, month: time.month, day: time.day + 1))
        case .moved?: return false
        case .real?: break
        }

        let minute = earliest(spec.minutes, atLeast: time.minute)
        if let minute, minute != time.minute { restart(at: Fields(time, hour: time.hour, minute: minute)) }
        switch minute == nil ? nil : read() {
        case nil, .refused?: return restart(at: Fields(time, hour: time.hour + 1))
        case .moved?: return false
        case .real?: break
        }

        // Seconds and microseconds are one field; a repetition past 59 s keeps its fraction.
        let second = earliest(spec.seconds, atLeast: time.second * 1_000_000 + microsecond)
        if let second {
            time.second = second / 1_000_000
            microsecond = second % 1_000_000
        }
        switch second == nil ? nil : read() {
        case nil, .refused?: return restart(at: Fields(time, hour: time.hour, minute: time.minute + 1))
        case .moved?: return false
        case .real?: return true
        }
    }

    /// Makes `fields` the candidate, at its whole second.
    /// - Returns: False, so that a caller can start another round in one statement.
    @discardableResult
    private mutating func restart(at fields: Fields) -> Bool {
        time = fields
        microsecond = 0
        return false
    }

    /// Reads the candidate on the wall clock, moving it when it is no real time.
    ///
    /// A moved candidate keeps its microseconds, and takes the daylight-saving flag of the time
    /// it moved to, as systemd's does.
    private mutating func read() -> Reading {
        guard time.year <= Self.lastYear else { return .refused }
        let reading = clock.resolve(time, daylightSaving: daylightSaving)
        var read = reading.fields
        guard read != time else { return .real }
        guard time.precedes(read) else { return .refused }
        // Past a changed field, the next one down starts over so that no value is skipped.
        if read.year != time.year {
            read.month = 1
        } else if read.month != time.month {
            read.day = 1
        } else if read.day != time.day {
            read.hour = 0
        } else if read.hour != time.hour {
            read.minute = 0
        } else if read.minute != time.minute {
            read.second = 0
        }
        time = read
        daylightSaving = clock.isDaylightSaving(at: reading.instant)
        return .moved
    }

    /// The first value of a field's items at or after `value`, or nil when none is left; `value`
    /// itself for a field that takes every value.
    ///
    /// Days counted from the end of the month are turned into days of the candidate's month first.
    /// A repetition without an end may run past the field's range; reading the candidate then
    /// carries it into the next month, day, hour or minute, as systemd's does.
    private mutating func earliest(
        _ items: [CalendarComponent], atLeast value: Int, fromEndOfMonth: Bool = false
    ) -> Int? {
        guard !items.isEmpty else { return value }
        var best: Int?
        for item in items {
            var start = item.start
            var stop = item.stop ?? -1
            if fromEndOfMonth {
                start = dayOfMonth(countingBack: item.start)
                stop = dayOfMonth(countingBack: stop)
                if stop > 0 { swap(&start, &stop) }
            }
            if start >= value {
                best = min(best ?? start, start)
            } else if item.step > 0 {
                let next = start + item.step * ((value - start + item.step - 1) / item.step)
                if next < (best ?? Int.max) && (stop < 0 || next <= stop) { best = next }
            }
        }
        return best
    }

    /// The day of the candidate's month that is `back` days counted from its end (1 = the last
    /// day), or -1 when that falls outside the month; read on the clock like every candidate.
    private mutating func dayOfMonth(countingBack back: Int) -> Int {
        var probe = time
        probe.month += 1
        probe.day = 1 - back
        let read = clock.resolve(probe, daylightSaving: daylightSaving).fields
        return read.month == time.month ? read.day : -1
    }
}

extension CalendarWallClock.Fields {
    /// Whether these fields come first, compared from the year down (not as instants).
    fileprivate func precedes(_ other: Self) -> Bool {
        (year, month, day, hour, minute, second) < (
            other.year, other.month, other.day, other.hour, other.minute, other.second
        )
    }

    /// Midnight of a day.
    fileprivate init(year: Int, month: Int, day: Int) {
        self.init(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
    }

    /// The same day at the start of an hour, or of a minute.
    fileprivate init(_ day: Self, hour: Int, minute: Int = 0) {
        self = day
        (self.hour, self.minute, second) = (hour, minute, 0)
    }
}
