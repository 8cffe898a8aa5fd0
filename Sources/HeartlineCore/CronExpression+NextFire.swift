public import Foundation

extension CronExpression {
    /// How many years past the year of `instant` ``nextFire(after:in:)`` looks before giving up:
    /// healthchecks' cronsim's horizon, ample even for a leap day on one weekday (`0 0 29 2 */7`).
    private static let searchYears = 50

    /// The first fire time strictly after `instant`, wall-clock in `timezone`.
    ///
    /// Daylight-saving time follows Debian cron as healthchecks' cronsim models it. When neither
    /// the minute nor the hour field starts with `*`, a fire time inside a gap (clocks spring
    /// forward) moves to the instant the gap ends, and one inside a repeated hour (clocks fall
    /// back) fires once, at its first occurrence. Otherwise the fire times are the matching
    /// wall-clock times that really occur: none inside a gap, both occurrences in a repeated hour.
    /// Either way the result is strictly after `instant`, so an instant in the second pass of a
    /// repeated hour never gets a fire time from the first pass.
    /// - Parameters:
    ///   - instant: The instant to look after, e.g. the last success.
    ///   - timezone: The zone whose wall clock the fields describe.
    /// - Returns: The fire time, whole seconds, or nil when none comes within 50 years or before
    ///   ``Instant/latest``.
    public func nextFire(after instant: Instant, in timezone: TimeZone) -> Instant? {
        // A whole-second fire time is after `instant` exactly when it is after its whole seconds.
        let after = instant.seconds
        let startWall = after + Int64(timezone.secondsFromGMT(for: Self.date(after)))
        let lastYear = CivilDate.date(days: Int(Self.floorDivide(startWall, 86_400))).year + Self.searchYears
        let fire =
            hasFixedTimeOfDay
            ? nextFixedTimeFire(after: after, startWall: startWall, lastYear: lastYear, in: timezone)
            : nextRealTimeFire(after: after, lastYear: lastYear, in: timezone)
        return fire.flatMap { Instant(seconds: $0, nanosecond: 0) }
    }

    /// Walks matching wall-clock minutes and places each on the time line Debian's way, skipping
    /// those that land at or before `after` (the first pass of a repeated hour seen from the second).
    private func nextFixedTimeFire(after: Int64, startWall: Int64, lastYear: Int, in zone: TimeZone) -> Int64? {
        var from = Self.floorDivide(startWall, 60) * 60 + 60
        while let wall = nextMatchingWallClock(atOrAfter: from, lastYear: lastYear) {
            let fire = Self.firstInstant(showing: wall, in: zone)
            if fire > after {
                return fire
            }
            from = wall + 60
        }
        return nil
    }

    /// Walks the spans of constant UTC offset from `after` on and returns the first matching wall
    /// clock time that falls inside its span, so gap times never fire and repeated ones fire twice.
    private func nextRealTimeFire(after: Int64, lastYear: Int, in zone: TimeZone) -> Int64? {
        var spanStart = after + 1
        while true {
            let offset = Int64(zone.secondsFromGMT(for: Self.date(spanStart)))
            let spanEnd = zone.nextDaylightSavingTimeTransition(after: Self.date(spanStart)).map {
                Int64($0.timeIntervalSince1970.rounded(.down))
            }
            let from = Self.ceilingDivide(spanStart + offset, 60) * 60
            guard let wall = nextMatchingWallClock(atOrAfter: from, lastYear: lastYear) else {
                return nil
            }
            guard let end = spanEnd, wall - offset >= end else {
                return wall - offset
            }
            spanStart = end
        }
    }

    /// The first instant (seconds since the epoch) whose wall clock in `zone` shows `wall`, or the
    /// end of the gap when `wall` falls inside one (Debian cron's rule for fixed-time jobs).
    ///
    /// The offsets 15 hours before and 13 hours after cover every zone's offset (-12...+14 hours);
    /// this assumes at most one offset change in that window, which every real zone satisfies.
    private static func firstInstant(showing wall: Int64, in zone: TimeZone) -> Int64 {
        let offsetBefore = Int64(zone.secondsFromGMT(for: date(wall - 15 * 3600)))
        let offsetAfter = Int64(zone.secondsFromGMT(for: date(wall + 13 * 3600)))
        let early = wall - offsetBefore
        if offsetBefore == offsetAfter {
            return early
        }
        let late = wall - offsetAfter
        let earlyOccurs = zone.secondsFromGMT(for: date(early)) == offsetBefore
        let lateOccurs = zone.secondsFromGMT(for: date(late)) == offsetAfter
        switch (earlyOccurs, lateOccurs) {
        case (true, true): return min(early, late)
        case (true, false): return early
        case (false, true): return late
        case (false, false):
            // In a gap the clock jumped from offsetBefore to offsetAfter between `late` and `early`.
            let gapEnd = zone.nextDaylightSavingTimeTransition(after: date(late))
            return gapEnd.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? early
        }
    }

    /// The first wall-clock minute at or after `start` that every field matches, in seconds since
    /// 1970-01-01T00:00 on the wall clock; nil when none comes by the end of `lastYear`.
    ///
    /// Skips whole months, days and hours that cannot match, so a call costs at most a few dozen
    /// steps per month it passes.
    /// - Parameters:
    ///   - start: Wall-clock seconds at a whole minute.
    ///   - lastYear: The last year to search.
    private func nextMatchingWallClock(atOrAfter start: Int64, lastYear: Int) -> Int64? {
        let startDays = Int(Self.floorDivide(start, 86_400))
        let secondOfDay = Int(start) - startDays * 86_400
        var (year, month, day) = CivilDate.date(days: startDays)
        var hour = secondOfDay / 3600
        var minute = secondOfDay % 3600 / 60
        while year <= lastYear {
            guard let matchingMonth = months.first(atLeast: month) else {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0)
                continue
            }
            if matchingMonth != month {
                (month, day, hour, minute) = (matchingMonth, 1, 0, 0)
            }
            guard let matchingDay = firstMatchingDay(year: year, month: month, atLeast: day) else {
                (month, day, hour, minute) = (month + 1, 1, 0, 0)
                continue
            }
            if matchingDay != day {
                (day, hour, minute) = (matchingDay, 0, 0)
            }
            guard let matchingHour = hours.first(atLeast: hour) else {
                (day, hour, minute) = (day + 1, 0, 0)
                continue
            }
            if matchingHour != hour {
                (hour, minute) = (matchingHour, 0)
            }
            guard let matchingMinute = minutes.first(atLeast: minute) else {
                (hour, minute) = (hour + 1, 0)
                continue
            }
            let days = CivilDate.days(year: year, month: month, day: day)
            return Int64(days) * 86_400 + Int64(hour * 3600 + matchingMinute * 60)
        }
        return nil
    }

    /// The first day of `month` from `day` on that the day fields match (Vixie cron day matching).
    private func firstMatchingDay(year: Int, month: Int, atLeast day: Int) -> Int? {
        let length = Self.daysIn(month: month, year: year)
        guard day <= length else { return nil }
        var weekday = CivilDate.weekday(days: CivilDate.days(year: year, month: month, day: day))
        let either = matchesEitherDayField
        for candidate in day...length {
            let byDate = daysOfMonth.contains(candidate)
            let byWeekday = daysOfWeek.contains(weekday)
            if either ? byDate || byWeekday : byDate && byWeekday {
                return candidate
            }
            weekday = weekday == 6 ? 0 : weekday + 1
        }
        return nil
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func date(_ seconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func ceilingDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        -floorDivide(-value, divisor)
    }
}
