import Foundation

/// The evaluator's state for one job instance: the rules of SPEC §2 for one job, driven by its
/// events and deadlines. It decides what fires and resolves; ``Evaluator`` decides when.
struct JobState {
    /// A condition starting or ending, before the evaluator stamps it with names.
    struct Transition {
        var condition: Condition
        var status: Alert.Status
        var since: Instant?
        var detail: String
    }

    /// What one line or deadline changed: the conditions that started or ended, and the runs that
    /// closed. Reused by the evaluator across updates.
    struct Changes {
        var transitions: [Transition] = []
        var closedRuns: [ClosedRun] = []

        mutating func removeAll() {
            transitions.removeAll(keepingCapacity: true)
            closedRuns.removeAll(keepingCapacity: true)
        }
    }

    let service: Int
    let job: Int
    let name: String
    /// T0 of this instance: the monitoring start, or a dynamic instance's first line.
    let monitoringStart: Instant

    /// The job's rules, shared with its other instances.
    private let rules: JobRules
    private var schedule: Schedule? { rules.schedule }
    var maxRuntime: Int64? { rules.maxRuntime }
    var minRuntime: Int64? { rules.minRuntime }
    private var failureBurst: RateWindow? { rules.failureBurst }
    private var minCount: RateWindow? { rules.minCount }
    private var threshold: Threshold? { rules.threshold }
    /// `forget_after` in seconds for a dynamic instance; nil for a static one.
    private var forgetAfter: Int64? { rules.forgetAfter }
    /// Whether nothing is scheduled before the first line (`quiet_until_first_line`).
    private var quietUntilFirstLine: Bool { rules.quietUntilFirstLine }

    /// Conditions now firing, with the instant each began.
    private(set) var firing: [Condition: Instant] = [:]
    private(set) var lastSuccess: Instant?
    /// The due time of the schedule (before grace), kept so cron is not recomputed needlessly; while
    /// `missing` fires, the due time that was missed.
    private(set) var due: Instant?
    private var missingDeadline: Instant?
    // Runs, kept by JobState+Runs.swift.
    var runs = OpenRuns()
    /// The oldest open run's `max_runtime` deadline.
    var stuckDeadline: Instant?
    var lastRun: ClosedRun?
    /// Open runs dropped at ``Evaluator/openRunLimit`` since this state was made.
    var droppedRuns = 0
    private var failures: RecentInstants
    private var failingDeadline: Instant?
    private var successes: RecentInstants
    private var slowDeadline: Instant?
    /// The instant of the last line of any kind, nil before the first.
    private(set) var lastLine: Instant?
    /// When a condition last resolved.
    private var lastResolve: Instant?
    /// A quiet job's first line in this process, where its `min_count` window starts.
    private var firstLineAt: Instant?

    init(service: Int, job: Int, name: String, rules: JobRules, monitoringStart: Instant) {
        self.service = service
        self.job = job
        self.name = name
        self.monitoringStart = monitoringStart
        self.rules = rules
        self.failures = RecentInstants(capacity: rules.failureBurst?.count ?? 1)
        self.successes = RecentInstants(capacity: rules.minCount?.count ?? 1)
        // A quiet job's schedule and window start at its first line instead (see `apply`).
        guard !quietUntilFirstLine else { return }
        scheduleMissing(after: monitoringStart)
        if let minCount { slowDeadline = monitoringStart.adding(seconds: minCount.within) }
    }

    /// Rebuilds a job instance from saved facts under a (possibly changed) job spec: what is firing,
    /// the last success, the open runs and the last closed one, and the recent failures and
    /// successes. Deadlines are not saved but derived again from these facts, so a changed schedule
    /// or window takes effect, and a deadline that passed while the daemon was down fires when time
    /// is advanced past it.
    init(service: Int, job: Int, rules: JobRules, facts: JobFacts) {
        self.init(
            service: service, job: job, name: facts.instance, rules: rules, monitoringStart: facts.monitoringStart)
        firing = facts.firing
        lastSuccess = facts.lastSuccess
        runs = OpenRuns(facts.allOpenRuns)
        lastRun = facts.lastRun
        lastLine = facts.lastLine
        lastResolve = facts.lastResolve
        if quietUntilFirstLine, let lastLine, lastSuccess == nil {
            scheduleMissing(after: lastLine)
            if let minCount { slowDeadline = lastLine.adding(seconds: minCount.within) }
        }
        for failure in facts.recentFailures { failures.append(failure) }
        for success in facts.recentSuccesses { successes.append(success) }
        if let lastSuccess { scheduleMissing(after: lastSuccess) }
        if firing[.missing] != nil { missingDeadline = nil }
        scheduleStuck()
        if firing[.failing] != nil, let burst = failureBurst {
            failingDeadline = (failures.mostRecent(1) ?? facts.monitoringStart).adding(seconds: burst.within)
        }
        if firing[.slow] != nil { slowDeadline = nil } else { scheduleSlow() }
        for condition in firing.keys where !isWatched(condition) {
            firing[condition] = nil
        }
        if quietUntilFirstLine, lastLine == nil {
            missingDeadline = nil
            slowDeadline = nil
        }
    }

    /// The facts to save for this instance; see ``init(service:job:rules:facts:)``. The open runs go
    /// to ``JobFacts/openRuns`` only when one has a key: otherwise ``JobFacts/startedAt`` says all,
    /// as in snapshots from before run keys.
    var facts: JobFacts {
        let keyless = runs.started(nil)
        return JobFacts(
            instance: name, monitoringStart: monitoringStart, firing: firing, lastSuccess: lastSuccess,
            startedAt: keyless, recentFailures: failures.oldestFirst, recentSuccesses: successes.oldestFirst,
            openRuns: runs.count > (keyless == nil ? 0 : 1) ? runs.inOrder : nil, lastRun: lastRun,
            lastLine: lastLine, lastResolve: lastResolve)
    }

    /// When this dynamic instance is dropped by `forget_after`: no line for that long and nothing
    /// firing, and not before its last resolve (SPEC §7). Nil for a static instance, one named in
    /// `instances:`, or while anything fires.
    var forgetDeadline: Instant? {
        guard let forgetAfter, firing.isEmpty else { return nil }
        if !rules.declaredInstances.isEmpty, rules.declaredInstances.contains(name) { return nil }
        guard let idle = (lastLine ?? monitoringStart).adding(seconds: forgetAfter) else { return nil }
        return lastResolve.map { max(idle, $0) } ?? idle
    }

    /// Whether the job's spec still has the rule behind `condition` (a reload may remove it).
    private func isWatched(_ condition: Condition) -> Bool {
        switch condition {
        case .missing: schedule != nil
        case .stuck: maxRuntime != nil
        case .failing: failureBurst != nil
        case .slow: minCount != nil
        case .breach: threshold != nil
        case .tooFast: minRuntime != nil
        }
    }

    /// When `condition` next changes by the clock alone, or nil.
    func deadline(_ condition: Condition) -> Instant? {
        switch condition {
        case .missing: missingDeadline
        case .stuck: stuckDeadline
        case .failing: failingDeadline
        case .slow: slowDeadline
        case .breach, .tooFast: nil
        }
    }

    // MARK: Lines

    /// Applies a line of `kind` whose run key is `key` (nil without one).
    mutating func apply(_ kind: JobEvent.Kind, key: String?, at t: Instant, into out: inout Changes) {
        if quietUntilFirstLine, lastLine == nil {
            // The job is watched from its first line on, as if monitoring began there.
            scheduleMissing(after: t)
            if let minCount { slowDeadline = t.adding(seconds: minCount.within) }
            firstLineAt = t
        }
        lastLine = t
        switch kind {
        case .success: success(key, at: t, into: &out)
        case .failure: failure(key, at: t, into: &out)
        case .start: startRun(key, at: t)
        case .measure(let value): measure(value, at: t, into: &out)
        }
    }

    private mutating func success(_ key: String?, at t: Instant, into out: inout Changes) {
        if firing[.missing] != nil {
            resolve(.missing, at: t, detail: "success at \(t)", into: &out)
        }
        lastSuccess = t
        if !cronDueHolds(after: t) { scheduleMissing(after: t) }
        endRun(key, at: t, outcome: .success, into: &out)
        if let minCount {
            successes.append(t)
            let inWindow = successes.count(after: t.windowStart(seconds: minCount.within), through: t)
            if firing[.slow] != nil, inWindow >= minCount.count {
                resolve(.slow, at: t, detail: "\(inWindow) successes within \(minCountText)", into: &out)
            }
            if firing[.slow] == nil { scheduleSlow() }
        }
    }

    private mutating func failure(_ key: String?, at t: Instant, into out: inout Changes) {
        endRun(key, at: t, outcome: .failure, into: &out)
        guard let burst = failureBurst else { return }
        failures.append(t)
        let inWindow = failures.count(after: t.windowStart(seconds: burst.within), through: t)
        if firing[.failing] == nil, inWindow >= burst.count {
            let within = DurationFormatter.string(seconds: burst.within)
            let detail =
                "\(inWindow) \(inWindow == 1 ? "failure" : "failures") within \(within)"
                + " (failure_burst \(burst.count) within \(within))"
            fire(.failing, at: t, detail: detail, into: &out)
        }
        if firing[.failing] != nil { failingDeadline = t.adding(seconds: burst.within) }
    }

    private mutating func measure(_ value: Double, at t: Instant, into out: inout Changes) {
        guard let threshold else { return }
        let (beyond, bound) =
            switch threshold {
            case .above(let limit): (value > limit, "above \(limit.formatted)")
            case .below(let limit): (value < limit, "below \(limit.formatted)")
            }
        if beyond, firing[.breach] == nil {
            fire(.breach, at: t, detail: "value \(value.formatted) is \(bound)", into: &out)
        } else if !beyond, firing[.breach] != nil {
            resolve(.breach, at: t, detail: "value \(value.formatted) is within the bound", into: &out)
        }
    }

    // MARK: Deadlines

    /// Applies the deadline of `condition`, which the evaluator found due at `t`.
    mutating func deadlinePassed(_ condition: Condition, at t: Instant, into out: inout Changes) {
        switch condition {
        case .missing:
            missingDeadline = nil
            let last =
                lastSuccess.map { "last success \($0)" } ?? "no success since monitoring began at \(monitoringStart)"
            let detail = "\(last)\(runsText); \(scheduleText) was due \(due.map(\.description) ?? "?")"
            fire(.missing, at: t, detail: detail, into: &out)
        case .stuck:
            closeStuckRuns(at: t, into: &out)
        case .failing:
            failingDeadline = nil
            let window = DurationFormatter.string(seconds: failureBurst?.within ?? 0)
            resolve(.failing, at: t, detail: "no failure for \(window)", into: &out)
        case .slow:
            slowDeadline = nil
            let inWindow = minCount.map { successes.count(after: t.windowStart(seconds: $0.within), through: t) } ?? 0
            fire(.slow, at: t, detail: "\(inWindow) successes within \(minCountText)", into: &out)
        case .breach, .tooFast:
            break
        }
    }

    private mutating func scheduleMissing(after reference: Instant) {
        guard let schedule else { return }
        due = schedule.due(after: reference)
        // A due time or deadline past Instant.latest is nil: it never comes.
        missingDeadline = due?.adding(seconds: schedule.grace)
    }

    /// Whether the pending cron due time is still the first fire time after a success at `t`:
    /// true while `t` comes before it, since no fire time lies between the old reference and
    /// the due time. This spares a cron search on every success line. A calendar schedule is
    /// searched anew: systemd's next elapse after a time in the second pass of a repeated hour
    /// may come before the one it found from the first pass.
    private func cronDueHolds(after t: Instant) -> Bool {
        guard case .cron = schedule?.kind, let due, missingDeadline != nil else { return false }
        return t < due
    }

    /// `slow` fires once the N-th most recent success leaves the window, and never before T0 + W.
    private mutating func scheduleSlow() {
        guard let minCount else { return }
        let earliest = (firstLineAt ?? monitoringStart).adding(seconds: minCount.within)
        if let nth = successes.mostRecent(minCount.count) {
            let nthLeaves = nth.adding(seconds: minCount.within)
            slowDeadline = earliest.flatMap { earliest in nthLeaves.map { max(earliest, $0) } }
        } else {
            slowDeadline = earliest
        }
    }

    mutating func fire(_ condition: Condition, at t: Instant, detail: String, into out: inout Changes) {
        firing[condition] = t
        out.transitions.append(Transition(condition: condition, status: .firing, since: nil, detail: detail))
    }

    mutating func resolve(_ condition: Condition, at t: Instant, detail: String, into out: inout Changes) {
        let since = firing.removeValue(forKey: condition)
        lastResolve = t
        out.transitions.append(Transition(condition: condition, status: .resolved, since: since, detail: detail))
    }

    private var scheduleText: String {
        guard let schedule else { return "" }
        let grace = schedule.grace > 0 ? ", grace \(DurationFormatter.string(seconds: schedule.grace))" : ""
        switch schedule.kind {
        case .every(let period): return "success (every \(DurationFormatter.string(seconds: period))\(grace))"
        case .cron(let cron):
            return "success (cron \"\(cron)\" \(schedule.timezone.identifier)\(grace))"
        case .calendar(let calendars):
            let zone = calendars.contains { $0.timezone == nil } ? " \(schedule.timezone.identifier)" : ""
            let expressions = calendars.map { "\"\($0)\"" }.joined(separator: " or ")
            return "success (calendar \(expressions)\(zone)\(grace))"
        }
    }

    private var minCountText: String {
        guard let minCount else { return "" }
        return "\(DurationFormatter.string(seconds: minCount.within)) (min_count \(minCount.count))"
    }
}

extension Double {
    /// `600` rather than `600.0` for whole numbers.
    fileprivate var formatted: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}
