/// Runs (SPEC §7): a start line opens a run, the next success or failure line with the same run key
/// closes it (nil, no key, is a key like any other, so a job without `run_key` has one run slot, as
/// SPEC §2 describes). `max_runtime` is per run; `stuck` is one condition of the instance.
///
/// - `stuck` fires when the first open run passes `max_runtime`. Every run that passes it is closed
///   as stuck at its deadline and forgotten, whether `stuck` was firing already or not; its end
///   line, should it still come, closes nothing.
/// - `stuck` resolves at the next success or failure line of the instance, with any key or none
///   (SPEC §2's rule): the job ends runs again. Its stuck runs are forgotten by then, so waiting for
///   their own ends could keep it firing for ever.
/// - `too_fast` fires at a success line that closes a run shorter than `min_runtime` (strictly), and
///   resolves at the next success line that closes a run at least that long; a success line that
///   closes no run does neither. Failure lines never touch it.
extension JobState {
    /// A start line: opens the run of `key`, or restarts its clock if it is open (SPEC §2: "a later
    /// start line restarts the clock"). A new run beyond ``Evaluator/openRunLimit`` drops the
    /// oldest open one, which is counted in ``droppedRuns`` and not recorded as closed.
    mutating func startRun(_ key: String?, at t: Instant) {
        if runs.started(key) == nil, runs.count >= Evaluator.openRunLimit {
            _ = runs.removeOldest()
            droppedRuns += 1
        }
        runs.open(key, at: t)
        scheduleStuck()
    }

    /// A success or failure line: resolves `stuck`, closes the run of `key` if one is open, and for
    /// a success weighs the run against `min_runtime`.
    mutating func endRun(_ key: String?, at t: Instant, outcome: ClosedRun.Outcome, into out: inout Changes) {
        if firing[.stuck] != nil {
            resolve(.stuck, at: t, detail: "\(outcome.rawValue) at \(t)", into: &out)
        }
        guard let started = runs.close(key) else { return }
        scheduleStuck()
        let run = ClosedRun(key: key, started: started, ended: t, outcome: outcome)
        record(run, into: &out)
        if outcome == .success { weighRuntime(of: run, into: &out) }
    }

    /// The `stuck` deadline passed at `t`: closes every run whose `max_runtime` ended by `t` as
    /// stuck, and fires `stuck` unless it is firing, naming the oldest of them.
    mutating func closeStuckRuns(at t: Instant, into out: inout Changes) {
        var stuck: [ClosedRun] = []
        while let maxRuntime, let oldest = runs.oldest, let deadline = oldest.started.adding(seconds: maxRuntime),
            deadline <= t
        {
            _ = runs.removeOldest()
            stuck.append(ClosedRun(key: oldest.key, started: oldest.started, ended: deadline, outcome: .stuck))
        }
        scheduleStuck()
        for run in stuck { record(run, into: &out) }
        guard let first = stuck.first, firing[.stuck] == nil else { return }
        let limit = DurationFormatter.string(seconds: maxRuntime ?? 0)
        let which = first.key.map { "run \(Self.quoted($0)) started" } ?? "started"
        var detail = "\(which) at \(first.started), no success or failure within \(limit)"
        if stuck.count > 1 { detail += " (and \(stuck.count - 1) more runs)" }
        fire(.stuck, at: t, detail: detail, into: &out)
    }

    /// `stuck`'s deadline: the oldest open run's start plus `max_runtime`.
    mutating func scheduleStuck() {
        stuckDeadline = maxRuntime.flatMap { limit in runs.oldest?.started.adding(seconds: limit) }
    }

    /// For the `missing` alert's detail: how the last run went and what is open, each part led by
    /// `; `; empty when the instance has never had a run.
    var runsText: String {
        var text = ""
        if let lastRun {
            let took = lastRun.durationText
            let how =
                switch lastRun.outcome {
                case .success: "took \(took)"
                case .failure: "failed after \(took)"
                case .stuck: "had no end within \(took)"
                }
            text += "; last run started \(lastRun.started) and \(how)"
        }
        if let oldest = runs.oldest {
            text +=
                runs.count == 1
                ? "; a run started \(oldest.started) is still open"
                : "; \(runs.count) runs are open, the oldest started \(oldest.started)"
        }
        return text
    }

    private mutating func record(_ run: ClosedRun, into out: inout Changes) {
        lastRun = run
        out.closedRuns.append(run)
    }

    private mutating func weighRuntime(of run: ClosedRun, into out: inout Changes) {
        guard let minRuntime else { return }
        // A minimum past the last instant Heartline handles is longer than any run.
        let short = run.started.adding(seconds: minRuntime).map { run.ended < $0 } ?? true
        let which = run.key.map { "run \(Self.quoted($0))" } ?? "run"
        let took = "\(which) started at \(run.started) took \(run.durationText)"
        let bound = DurationFormatter.string(seconds: minRuntime)
        if short, firing[.tooFast] == nil {
            fire(.tooFast, at: run.ended, detail: "\(took), under min_runtime \(bound)", into: &out)
        } else if !short, firing[.tooFast] != nil {
            resolve(.tooFast, at: run.ended, detail: "\(took) (min_runtime \(bound))", into: &out)
        }
    }

    private static func quoted(_ key: String) -> String {
        "\"\(key)\""
    }
}

extension ClosedRun {
    /// The duration in whole units, rounded down to the second (`12m`, `1h30m`, `5s`), or under a
    /// second in whole milliseconds (`6ms`, `0ms`): a run that ends too fast is often that short.
    fileprivate var durationText: String {
        if durationSeconds < 1 { return "\(Int((durationSeconds * 1000).rounded(.down)))ms" }
        return DurationFormatter.string(seconds: Int64(durationSeconds.rounded(.down)))
    }
}
