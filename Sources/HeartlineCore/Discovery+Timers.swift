import Foundation

/// Timers (systemd.timer(5)) to files that extend `systemd` for the one unit each starts.
///
/// - `OnCalendar=` (one or several): `schedule: { calendar: [...] }` in the machine's zone (a zone
///   in an expression wins), due at the earliest next elapse of any, as the timer elapses.
/// - Grace: `RandomizedDelaySec=` + `AccuracySec=` (the timer may elapse that much after the
///   calendar time: systemd.timer(5)) + ``Discovery/timerRunAllowance`` for the run itself, whose
///   success is its end.
/// - `OnUnitActiveSec=` / `OnUnitInactiveSec=` without `OnCalendar=`: `every:` the shortest of
///   them, from the last success. `OnUnitInactiveSec=` counts from the end of the last run, which
///   is the success; `OnUnitActiveSec=` from its start, so the job is due a run's length late.
/// - `OnBootSec=`, `OnStartupSec=`, `OnActiveSec=` alone elapse once per boot (or activation of
///   the timer): no schedule; the file still watches the unit's failed and stuck runs.
/// - With both calendar and monotonic triggers, the calendar expressions are the schedule: the
///   timer elapses at the earlier of the two, so `missing` can only come late, never early.
/// - `Persistent=` changes nothing here: it only catches up after downtime (README).
extension Discovery {
    func job(for timer: DiscoveryInput.Timer, zone: TimeZone, names: inout ServiceNames) -> DiscoveredJob {
        let unit = TimerUnit(name: timer.name, files: timer.files)
        let source = SourceLocation(file: timer.path, line: 1, column: 1)
        var job = DiscoveredJob(source: source, title: timer.name, scheduleText: Self.scheduleText(unit))
        if timer.masked { return skipping(job, "masked (its unit file is /dev/null or empty)") }
        guard timer.enabled else {
            return skipping(job, "not enabled: no link to it in timers.target.wants or another .wants directory")
        }
        guard !unit.unitName.contains("%") else {
            return skipping(job, "Unit=\(unit.unitName) has a specifier, which Heartline does not expand")
        }
        guard unit.unitName.hasSuffix(".service") else {
            return skipping(job, "starts \(unit.unitName), not a service; systemd.yaml watches services")
        }
        if timer.unitExists == false {
            return skipping(job, "\(unit.unitName), the unit it starts, has no unit file")
        }
        guard !unit.triggers.isEmpty else { return skipping(job, "no OnCalendar= or On...Sec= setting") }
        guard let baseJob = baseJobs["systemd"]?.first(where: { JobName($0).isDynamic }) else {
            return skipping(job, "the pattern library has no systemd.yaml with a job per unit to extend")
        }
        var calendars: [(spec: CalendarSpec, text: String, location: SourceLocation)] = []
        var every: [(seconds: Int64, text: String)] = []
        var once: [String] = []
        for assigned in unit.triggers {
            switch assigned.trigger {
            case .calendar(let text):
                do {
                    calendars.append((try CalendarSpec(parsing: text), text, assigned.location))
                } catch {
                    return skipping(job, "OnCalendar=\(text) at \(assigned.location): \(error.message)")
                }
            case .unitActive(let span), .unitInactive(let span):
                let name = if case .unitActive = assigned.trigger { "OnUnitActiveSec" } else { "OnUnitInactiveSec" }
                every.append((span.secondsRoundedUp ?? 0, "\(name)=\(span)"))
            case .boot(let span): once.append("OnBootSec=\(span)")
            case .startup(let span): once.append("OnStartupSec=\(span)")
            case .active(let span): once.append("OnActiveSec=\(span)")
            }
        }
        let delay = (unit.randomizedDelay + unit.accuracy + 999_999) / 1_000_000
        let grace = delay + Self.timerRunAllowance
        let graceWhy =
            "RandomizedDelaySec=\(Self.span(unit.randomizedDelay)) + AccuracySec=\(Self.span(unit.accuracy))"
            + " + \(Self.duration(Self.timerRunAllowance)) for the run"
        var scheduleLines: [String] = []
        var comments: [String] = []
        if !calendars.isEmpty {
            let list = calendars.map { Self.quoted($0.text) }.joined(separator: ", ")
            scheduleLines = [
                "calendar: [\(list)]", "timezone: \(Self.quoted(zone.identifier))", "grace: \(Self.duration(grace))",
            ]
            job.schedule = Schedule(kind: .calendar(calendars.map(\.spec)), timezone: zone, grace: grace)
            comments += calendars.map { "OnCalendar=\($0.text) (\($0.location))" }
            if !every.isEmpty || !once.isEmpty {
                job.notes.append(
                    "\((every.map(\.text) + once).joined(separator: ", ")) left out: the calendar alone is the"
                        + " schedule, so an alert can come late, never early")
            }
        } else if let shortest = every.min(by: { $0.seconds < $1.seconds }) {
            scheduleLines = ["every: \(Self.duration(shortest.seconds))", "grace: \(Self.duration(grace))"]
            job.schedule = Schedule(kind: .every(max(shortest.seconds, 1)), grace: grace)
            comments.append("\(shortest.text): due that long after the last run")
            if !once.isEmpty { job.notes.append("\(once.joined(separator: ", ")) left out: once per boot") }
        } else {
            job.notes.append(
                "no schedule: \(once.joined(separator: ", ")) elapses once per boot; failed and stuck runs are"
                    + " still watched")
        }
        if unit.persistent, !calendars.isEmpty {
            job.notes.append("Persistent=true: a run missed while the machine was off comes after the next boot")
        }
        let service = names.claim(Self.slug(String(timer.name.dropLast(timer.name.hasSuffix(".timer") ? 6 : 0))))
        job.service = service
        var yaml = "# \(timer.name) starts \(unit.unitName)\n"
        for comment in comments { yaml += "# \(comment)\n" }
        if !scheduleLines.isEmpty { yaml += "# grace: \(graceWhy)\n" }
        for note in job.notes { yaml += "# \(note)\n" }
        yaml += "extends: systemd\n"
        yaml += "service: \(Self.quoted(service))\n"
        yaml += "source: { journal: { unit: \(Self.quoted(unit.unitName)) } }\n"
        yaml += "jobs:\n"
        yaml += "  - name: \(Self.quoted(baseJob))\n"
        yaml += "    instances: [\(Self.quoted(unit.unitName))]\n"
        if !scheduleLines.isEmpty {
            yaml += "    schedule:\n"
            for line in scheduleLines { yaml += "      \(line)\n" }
        }
        job.patternFile = yaml
        return job
    }

    /// Microseconds as a duration rounded up to the second, `0` for none.
    static func span(_ microseconds: Int64) -> String {
        microseconds <= 0 ? "0" : duration((microseconds + 999_999) / 1_000_000)
    }

    /// The timer's settings as the table shows them.
    static func scheduleText(_ unit: TimerUnit) -> String {
        var parts: [String] = unit.triggers.map {
            switch $0.trigger {
            case .calendar(let text): "OnCalendar=\(text)"
            case .active(let span): "OnActiveSec=\(span)"
            case .boot(let span): "OnBootSec=\(span)"
            case .startup(let span): "OnStartupSec=\(span)"
            case .unitActive(let span): "OnUnitActiveSec=\(span)"
            case .unitInactive(let span): "OnUnitInactiveSec=\(span)"
            }
        }
        if unit.randomizedDelay > 0 { parts.append("RandomizedDelaySec=\(Self.span(unit.randomizedDelay))") }
        if unit.accuracy != TimerUnit.defaultAccuracy { parts.append("AccuracySec=\(Self.span(unit.accuracy))") }
        if unit.persistent { parts.append("Persistent=true") }
        return parts.isEmpty ? "-" : parts.joined(separator: "; ")
    }
}
