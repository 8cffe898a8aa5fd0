public import HeartlineCore

extension LiveEvaluation {
    /// The status of every job instance and source, for ``DaemonStatus``.
    ///
    /// - Parameters:
    ///   - status: Filled in.
    ///   - includingJobs: Whether to rebuild ``DaemonStatus/jobs`` too: it costs time in proportion to
    ///     the job instances (about a microsecond each), the rest does not.
    public func status(into status: inout DaemonStatus, includingJobs: Bool = true) {
        if includingJobs { jobs(into: &status) }
        status.stages.match = Double(stageNanoseconds.match) / 1e9
        status.stages.evaluate = Double(stageNanoseconds.evaluate) / 1e9
        status.sources = linesRead.keys.sorted().map { key in
            DaemonStatus.Source(
                key: key, linesRead: linesRead[key] ?? 0, linesMatched: linesMatched[key] ?? 0,
                bytesRead: bytesRead[key] ?? 0, lagSeconds: lagSeconds[key] ?? 0, linesCut: linesCut[key] ?? 0,
                linesUnstamped: linesUnstamped[key] ?? 0, linesBackward: linesBackward[key] ?? 0)
        }
        status.undecodableLines = undecodableLines
        status.instancesForgotten = instancesForgotten
        status.matchLimitHits = matchLimitHits.sorted { $0.key < $1.key }.map { key, hits in
            DaemonStatus.MatchLimitHits(service: key.service, job: key.job, pattern: key.pattern, hits: hits)
        }
    }

    private func jobs(into status: inout DaemonStatus) {
        let dropped = runsDropped
        var discovered: [String: String] = [:]
        for service in evaluator.services { discovered[service.name] = service.discoveredFrom }
        status.jobs = evaluator.instanceSummaries().map { summary in
            let key = InstanceKey(service: summary.service, job: summary.instance)
            let counts = lineCounts[key] ?? (0, 0)
            var job = DaemonStatus.Job(
                service: summary.service, job: summary.instance, lastSuccess: summary.lastSuccess,
                firing: summary.firing,
                watched: watchedConditions[InstanceKey(service: summary.service, job: summary.job)] ?? [],
                successes: counts.successes, failures: counts.failures, lastRun: summary.lastRun,
                openRuns: summary.openRuns, nextDue: summary.nextDue, runDurations: runDurations[key] ?? [:],
                runsDropped: dropped[key] ?? 0)
            job.discoveredFrom = discovered[summary.service]
            return job
        }
    }
}
