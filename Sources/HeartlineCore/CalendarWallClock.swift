import Foundation

/// The wall clock of one time zone as systemd's calendar search reads it: glibc 2.36's
/// `mktime(3)`, which systemd 252's `calendarspec.c` runs every candidate time through.
///
/// Wall times are "local seconds": seconds since 1970-01-01T00:00 of the wall clock, as if it were
/// UTC. Fields out of their range carry into the next field, as `mktime` normalizes them (day 32 of
/// January is 1 February). Most wall times occur once. For the others, glibc's rules (read from its
/// `mktime.c` and confirmed by calling it) are:
///
/// - Without a daylight-saving flag, a wall time inside a gap (clocks spring forward) is read with
///   the offset in force before the gap, so it lands as far after the gap's end as it was after
///   the gap's start: 02:30 on the day Berlin springs from 02:00 to 03:00 becomes 03:30.
/// - A wall time inside a repeated hour (clocks fall back) takes the occurrence whose offset is
///   the one the last conversion used: glibc keeps that offset between calls as its first guess.
///   A search that walks forward in the first pass thus stays in it, and one that starts in the
///   second pass stays there.
/// - With a flag (daylight saving on or off), a time whose reading has the other flag is read
///   with the offset of the nearest time that has the flag, probing a week (601,200 seconds) back,
///   then forward, then two weeks, and so on: inside a spring-forward gap with the flag on, that
///   is the reading before the gap. systemd passes a flag when it starts over from a time it moved
///   out of a gap (the flag of the time it moved to), and in every round after one that ended
///   before its start.
/// - Seconds past 59 are read as 59, and the rest added to the instant found.
///
/// The clock therefore carries the last offset, and every conversion updates it, as every
/// `mktime` call in systemd's search does.
struct CalendarWallClock {
    /// Broken-down wall-clock fields, as in `struct tm`; month 1...12 and day 1...31 when
    /// normalized, anything while a search steps past a field's end.
    struct Fields: Hashable {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int

        /// Local seconds of the fields, carrying out-of-range values into the next field up.
        var local: Int64 {
            let monthsFromZero = month - 1
            let yearCarry = monthsFromZero >= 0 ? monthsFromZero / 12 : -((-monthsFromZero + 11) / 12)
            let days = CivilDate.days(year: year + yearCarry, month: monthsFromZero - yearCarry * 12 + 1, day: 1)
            return (Int64(days) + Int64(day - 1)) * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
        }

        /// The weekday, Monday = 0 ... Sunday = 6 as systemd numbers them.
        var weekdayFromMonday: Int {
            let local = self.local
            let days = Int(local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400))
            return (CivilDate.weekday(days: days) + 6) % 7
        }
    }

    /// A converted time: the instant and its wall-clock fields.
    struct Reading {
        var instant: Int64
        var fields: Fields
    }

    private let zone: TimeZone
    /// The offset east of UTC, in seconds, that the last conversion used: glibc's first guess.
    private var lastOffset: Int64

    /// glibc's step when it probes for a time with the daylight-saving flag asked for, in seconds,
    /// and how far it probes: half the longest stretch without a change in the time-zone database,
    /// plus a step.
    private static let probeStep: Int64 = 601_200
    private static let probeReach: Int64 = 457_243_200 / 2 + probeStep

    /// Creates the clock of `zone` positioned at `instant`, as `localtime(3)` then `mktime(3)` of the
    /// search's start leave glibc.
    init(zone: TimeZone, at instant: Int64) {
        self.zone = zone
        lastOffset = 0
        lastOffset = offset(at: instant)
    }

    /// The wall-clock reading of an instant (`localtime(3)`).
    func reading(at instant: Int64) -> Reading {
        Reading(instant: instant, fields: Fields(local: instant + offset(at: instant)))
    }

    /// The instant of wall-clock fields, and their normalized reading (`mktime(3)`).
    ///
    /// - Parameters:
    ///   - fields: Wall-clock fields, possibly out of range.
    ///   - daylightSaving: The `tm_isdst` flag: nil to let the clock decide (-1), or whether
    ///     daylight saving time is to be in force.
    /// - Returns: The instant and the wall clock at it.
    mutating func resolve(_ fields: Fields, daylightSaving: Bool? = nil) -> Reading {
        // glibc reads seconds past 59 as 59 and adds the rest after finding the offset.
        var clamped = fields
        clamped.second = min(max(fields.second, 0), 59)
        let wall = clamped.local
        var instant = wall - lastOffset
        var previous: Int64?
        var converged = false
        for _ in 0..<6 {
            let next = wall - offset(at: instant)
            if next == instant {
                converged = true
                break
            }
            if next == previous {
                // Two offsets, each contradicting the other: a gap. Without a flag glibc takes the
                // daylight-saving reading; with one, the reading whose flag differs, to fix below.
                let wanted = daylightSaving.map { !$0 } ?? true
                if isDaylightSaving(at: instant) != wanted, isDaylightSaving(at: next) == wanted { instant = next }
                break
            }
            previous = instant
            instant = next
        }
        if let daylightSaving, isDaylightSaving(at: instant) != daylightSaving,
            let offset = nearestOffset(to: instant, daylightSaving: daylightSaving)
        {
            instant = wall - offset
            converged = false
        }
        lastOffset = wall - instant
        guard converged, fields.second == clamped.second else {
            return reading(at: instant + Int64(fields.second - clamped.second))
        }
        // The instant shows the wall time asked for, normalized.
        return Reading(instant: instant, fields: Fields(local: wall))
    }

    /// Whether daylight saving time is in force at an instant (`tm_isdst` of `localtime(3)`).
    func isDaylightSaving(at instant: Int64) -> Bool {
        zone.isDaylightSavingTime(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    /// The offset of the nearest time, probing a week back, a week forward, two weeks back and so
    /// on, whose daylight-saving flag is `daylightSaving`; nil when none is within reach.
    private func nearestOffset(to instant: Int64, daylightSaving: Bool) -> Int64? {
        for distance in stride(from: Self.probeStep, to: Self.probeReach, by: Int(Self.probeStep)) {
            for probe in [instant - distance, instant + distance]
            where isDaylightSaving(at: probe) == daylightSaving {
                return offset(at: probe)
            }
        }
        return nil
    }

    private func offset(at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }
}

extension CalendarWallClock.Fields {
    /// The fields of local seconds.
    init(local: Int64) {
        let days = Int(local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400))
        let secondOfDay = Int(local - Int64(days) * 86_400)
        (year, month, day) = CivilDate.date(days: days)
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
    }
}
