import Foundation

/// Turns wall-clock seconds in one time zone into UTC seconds, calling Foundation only when the
/// wall time leaves the span it resolved last.
///
/// Wall times are "local seconds": the seconds since 1970-01-01T00:00 of the wall clock, as if it
/// were UTC. The rules for the hours that DST makes irregular follow Debian cron and healthchecks'
/// cronsim, as SPEC §1 does for schedules: a wall time inside a gap takes the offset in force before
/// the gap (so it lands just as far after the gap), and one inside a repeated hour takes its first
/// occurrence.
///
/// The span it remembers is the range of wall times that map with one offset and no ambiguity: from
/// the zone's last transition (or a month back) to its next one. A zone without transitions, such as
/// UTC, is one span for all time, which is the UTC fast path.
struct LocalTimeConverter: Sendable {
    private let timezone: TimeZone
    /// The remembered span of local seconds, `low..<high`, empty until the first miss.
    private var low: Int64 = 1
    private var high: Int64 = 0
    /// The offset east of UTC, in seconds, of every wall time in the span.
    private var offset: Int64 = 0

    /// How far back a miss looks for the zone's previous transition; Foundation only offers "next".
    private static let lookBack: Int64 = 31 * 86_400

    /// Creates a converter for `timezone`.
    init(timezone: TimeZone) {
        self.timezone = timezone
        if timezone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: -1e11)) == nil {
            low = .min
            high = .max
            offset = Int64(timezone.secondsFromGMT())
        }
    }

    /// The UTC seconds of a wall time given in local seconds.
    @inline(__always)
    mutating func utcSeconds(local: Int64) -> Int64 {
        if local >= low && local < high { return local - offset }
        return resolve(local: local)
    }

    private mutating func resolve(local: Int64) -> Int64 {
        // A transition near `local` lies within a day of it, since no zone is more than 15 hours off UTC.
        let before = offsetAt(local - 86_400)
        let after = offsetAt(local + 86_400)
        var used = before
        if offsetAt(local - before) != before && offsetAt(local - after) == after { used = after }
        let utc = local - used
        // In a gap `utc` falls after the transition under a different offset; such a wall time is
        // rare enough to be resolved anew each time.
        if offsetAt(utc) == used { remember(utc: utc, local: local, offset: used) }
        return utc
    }

    private mutating func remember(utc: Int64, local: Int64, offset used: Int64) {
        var previous: Int64?
        var next = transition(after: utc - Self.lookBack)
        while let time = next, time <= utc {
            previous = time
            next = transition(after: time)
        }
        var spanLow = utc - Self.lookBack + used + 1
        if let previous {
            // After a fall-back the first wall times of the new offset are the repeated hour's second
            // occurrence, which the first-occurrence rule gives to the previous offset.
            spanLow = previous + max(used, offsetAt(previous - 1))
        }
        let spanHigh = next.map { $0 + used } ?? .max
        guard spanLow <= local && local < spanHigh else { return }
        low = spanLow
        high = spanHigh
        offset = used
    }

    private func offsetAt(_ utc: Int64) -> Int64 {
        Int64(timezone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc))))
    }

    private func transition(after utc: Int64) -> Int64? {
        timezone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(utc)))
            .map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }
}
