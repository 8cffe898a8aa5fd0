public import HeartlineCore

extension LiveEvaluation {
    /// The status of every job instance and source, for ``DaemonStatus``.
    public func status(into status: inout DaemonStatus) {
        status.jobs = evaluator.snapshot.instances.map { instance in
            let counts = lineCounts[InstanceKey(service: instance.service, job: instance.facts.instance)] ?? (0, 0)
            return DaemonStatus.Job(
                service: instance.service, job: instance.facts.instance, lastSuccess: instance.facts.lastSuccess,
                firing: instance.facts.firing,
                watched: watchedConditions[InstanceKey(service: instance.service, job: instance.job)] ?? [],
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
