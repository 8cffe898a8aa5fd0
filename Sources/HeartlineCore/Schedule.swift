public import Foundation

/// When a job's success is expected (SPEC §1 `schedule:`, §2 `missing`).
public struct Schedule: Sendable {
    /// The kinds of schedule.
    public enum Kind: Sendable {
        /// `every: P`: due P seconds after the last success (or the monitoring start).
        case every(Int64)
        /// `cron: "…"`: due at the first fire time strictly after the last success.
        case cron(CronExpression)
        /// `calendar: "…"` (systemd's `OnCalendar=`): due at the first elapse strictly after the
        /// last success (SPEC §7).
        case calendar(CalendarSpec)
    }

    /// Every, cron or calendar.
    public var kind: Kind
    /// The zone cron fire times and calendar elapses are wall-clock in; default UTC. A zone
    /// written in a calendar expression wins over it.
    public var timezone: TimeZone
    /// Seconds after the due time before `missing` fires; default 0.
    public var grace: Int64

    /// Creates a schedule.
    public init(kind: Kind, timezone: TimeZone = TimeZone(identifier: "UTC")!, grace: Int64 = 0) {
        self.kind = kind
        self.timezone = timezone
        self.grace = grace
    }
}
