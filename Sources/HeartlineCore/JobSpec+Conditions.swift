extension JobSpec {
    /// The conditions this job is watched for, in ``Condition`` order.
    ///
    /// A condition is watched when the job has the rule behind it (SPEC §2): `missing` a
    /// `schedule`, `stuck` a `max_runtime`, `failing` a `failure_burst`, `slow` a `min_count`,
    /// `breach` a `threshold`, `too_fast` a `min_runtime`.
    public var watchedConditions: [Condition] {
        Condition.allCases.sorted().filter { condition in
            switch condition {
            case .missing: schedule != nil
            case .stuck: maxRuntime != nil
            case .failing: failureBurst != nil
            case .slow: minCount != nil
            case .breach: threshold != nil
            case .tooFast: minRuntime != nil
            }
        }
    }
}
