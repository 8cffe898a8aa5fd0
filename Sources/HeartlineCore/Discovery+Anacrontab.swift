import Foundation

/// anacrontab jobs to files that extend `anacron`, one job each.
///
/// anacron runs a job once its period in days has passed since its last run (by date), after its
/// delay, whenever anacron itself runs (hourly from 07:30 to 23:30 and at boot on Debian 12). So the
/// job is due `every:` its period after its last success, with the delay plus
/// ``Discovery/anacronGrace`` as grace (a day for `@monthly`, whose months have 28 to 31 days; its
/// period is then 31 days). The success is ``Job `ID' terminated`` as `anacron.yaml` reads it; a
/// job the base names (`cron.daily`, `cron.weekly`, `cron.monthly`) keeps the base's patterns with
/// this schedule, any other gets the same patterns for its own id. The base's other jobs are
/// disabled.
extension Discovery {
    func jobs(for anacrontab: AnacrontabFile, names: inout ServiceNames) -> [DiscoveredJob] {
        var jobs: [DiscoveredJob] = []
        for entry in anacrontab.jobs {
            let period = entry.monthly ? "@monthly" : "\(entry.periodDays)"
            var job = DiscoveredJob(
                source: entry.location, title: entry.line.trimmingCharacters(in: .whitespaces),
                scheduleText: "period \(period), delay \(entry.delayMinutes)m")
            guard let base = baseJobs["anacron"] else {
                jobs.append(skipping(job, "the pattern library has no anacron.yaml to extend"))
                continue
            }
            let grace = Int64(entry.delayMinutes) * 60 + (entry.monthly ? 86_400 : Self.anacronGrace)
            let every = Int64(entry.periodDays) * 86_400
            job.schedule = Schedule(kind: .every(every), grace: grace)
            let service = names.claim("anacron-" + Self.slug(entry.identifier))
            job.service = service
            let schedule = "{ every: \(Self.duration(every)), grace: \(Self.duration(grace)) }"
            var yaml = "# \(entry.location): \(Self.commentSafe(entry.line))\n"
            yaml += "extends: anacron\n"
            yaml += "service: \(Self.quoted(service))\n"
            yaml += "jobs:\n"
            yaml += disabling("anacron", except: [entry.identifier])
            yaml += "  - name: \(Self.quoted(entry.identifier))\n"
            if !base.contains(entry.identifier) {
                let id = PCRE2Literal.escaped(entry.identifier)
                yaml += "    start: \(Self.quoted("(?:^|: )Job `\(id)' started$"))\n"
                yaml += "    success: \(Self.quoted("(?:^|: )Job `\(id)' terminated(?: \\(mailing output\\))?$"))\n"
                yaml += "    failure: \(Self.quoted("(?:^|: )Job `\(id)' terminated \\(exit status: \\d+\\)"))\n"
                yaml += "    max_runtime: 6h\n"
                yaml += "    failure_burst: { count: 1, within: 1d }\n"
            }
            yaml += "    schedule: \(schedule)\n"
            job.patternFile = yaml
            jobs.append(job)
        }
        for problem in anacrontab.problems {
            let job = DiscoveredJob(
                source: problem.location, title: problem.line.trimmingCharacters(in: .whitespaces), scheduleText: "-")
            jobs.append(skipping(job, "anacron refuses this line: \(problem.reason)"))
        }
        return jobs.sorted { $0.source.line < $1.source.line }
    }
}
