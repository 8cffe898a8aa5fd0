public import HeartlineCore

extension LiveEvaluation {
    /// The status of every job instance and source, for ``DaemonStatus``.
    public func status(into status: inout DaemonStatus) {
        var watched: [InstanceKey: [Condition]] = [:]
        for service in services {
            for job in service.jobs {
                watched[InstanceKey(service: service.name, job: job.name.template)] = job.watchedConditions
            }
        }
        status.jobs = evaluator.snapshot.instances.map { instance in
            let counts = lineCounts[InstanceKey(service: instance.service, job: instance.facts.instance)] ?? (0, 0)
            return DaemonStatus.Job(
                service: instance.service, job: instance.facts.instance, lastSuccess: instance.facts.lastSuccess,
                firing: instance.facts.firing,
                watched: watched[InstanceKey(service: instance.service, job: instance.job)] ?? [],
                successes: counts.successes, failures: counts.failures)
        }
        status.stages.match = Double(stageNanoseconds.match) / 1e9
        status.stages.evaluate = Double(stageNanoseconds.evaluate) / 1e9
        status.sources = linesRead.keys.sorted().map { key in
            DaemonStatus.Source(
                key: key, linesRead: linesRead[key] ?? 0, linesMatched: linesMatched[key] ?? 0,
                bytesRead: bytesRead[key] ?? 0, lagSeconds: lagSeconds[key] ?? 0, linesCut: linesCut[key] ?? 0)
        }
        status.matchLimitHits = matchLimitHits.sorted { $0.key < $1.key }.map { key, hits in
            DaemonStatus.MatchLimitHits(service: key.service, job: key.job, pattern: key.pattern, hits: hits)
        }
    }
}
