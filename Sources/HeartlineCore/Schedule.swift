public import Foundation

/// When a job's success is expected (SPEC §1 `schedule:`, §2 `missing`).
public struct Schedule: Sendable {
    /// The kinds of schedule.
    public enum Kind: Sendable {
        /// `every: P`: due P seconds after the last success (or the monitoring start).
        case every(Int64)
        /// `cron: "…"`: due at the first fire time strictly after the last success.
        case cron(CronExpression)
        /// `calendar: "…"` (systemd's `OnCalendar=`), or a list of expressions: due at the first
        /// elapse of any of them strictly after the last success (SPEC §7), as a timer with several
        /// `OnCalendar=` lines elapses at the earliest of them (systemd.timer(5)). Never empty.
        case calendar([CalendarSpec])
    }

    /// Every, cron or calendar.
    public var kind: Kind
    /// The zone cron fire times and calendar elapses are wall-clock in; default UTC. A zone
    /// written in a calendar expression wins over it.
    public var timezone: TimeZone
    /// Seconds after the due time before `missing` fires; default 0.
    public var grace: Int64

    /// When a success is next due after `reference`, before grace: for `every` the period after
    /// it, for `cron` the next fire time, for `calendar` the earliest next elapse of its
    /// expressions; nil when none comes before Heartline's last instant.
    ///
    /// - Parameter reference: The last success, or the monitoring start.
    /// - Returns: The due instant.
    public func due(after reference: Instant) -> Instant? {
        switch kind {
        case .every(let period): return reference.adding(seconds: period)
        case .cron(let cron): return cron.nextFire(after: reference, in: timezone)
        case .calendar(let calendars):
            return calendars.compactMap { $0.nextElapse(after: reference, in: timezone) }.min()
        }
    }

    /// Creates a schedule.
    public init(kind: Kind, timezone: TimeZone = TimeZone(identifier: "UTC")!, grace: Int64 = 0) {
        self.kind = kind
        self.timezone = timezone
        self.grace = grace
    }
}
