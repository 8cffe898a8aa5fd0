import Foundation

extension JobSpec {
    /// How long a dynamic instance may go without a line, while nothing fires, before it is dropped
    /// (SPEC §7, `forget_after`), in seconds; nil for a static job, which is never dropped.
    ///
    /// Unless `forget_after` is written, it is three times the longest stretch of time any rule of
    /// the job looks at, and at least an hour: the schedule's period plus its grace (for `cron` and
    /// `calendar`, the gap between the first two due times after 2026-01-01T00:00:00Z, a typical
    /// one), `failure_burst` and `min_count` windows, `max_runtime` and `min_runtime`. So every rule
    /// has its say before the instance goes: `missing` fires before the instance could be dropped,
    /// and a firing instance is never dropped.
    public var forgetAfter: Int64? {
        guard name.isDynamic else { return nil }
        if let forgetAfterSetting { return forgetAfterSetting }
        let longest = [
            schedule.flatMap(Self.typicalPeriod).map { $0 + (schedule?.grace ?? 0) },
            failureBurst?.within, minCount?.within, maxRuntime, minRuntime,
        ].compactMap { $0 }.max() ?? 0
        let (tripled, overflow) = longest.multipliedReportingOverflow(by: 3)
        return overflow ? Int64.max : max(3600, tripled)
    }

    /// The seconds between two due times of a schedule: `every`'s period, or for `cron` and
    /// `calendar` the gap between the first two after 2026-01-01T00:00:00Z in its zone.
    private static func typicalPeriod(_ schedule: Schedule) -> Int64? {
        let reference = Instant(seconds: 1_767_225_600)
        func gap(_ next: (Instant) -> Instant?) -> Int64? {
            guard let first = next(reference), let second = next(first) else { return nil }
            return second.seconds - first.seconds
        }
        if case .every(let period) = schedule.kind { return period }
        return gap { schedule.due(after: $0) }
    }
}
