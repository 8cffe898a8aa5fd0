/// The rules of one job that every instance of it follows, kept once per job rather than in each
/// instance: a dynamic job may have a million instances, and each would otherwise carry its own
/// copy of the schedule and windows (about 200 bytes).
final class JobRules: Sendable {
    let schedule: Schedule?
    let maxRuntime: Int64?
    let minRuntime: Int64?
    let failureBurst: RateWindow?
    let minCount: RateWindow?
    let threshold: Threshold?
    /// `forget_after` in seconds for a dynamic job (``JobSpec/forgetAfter``); nil for a static one.
    let forgetAfter: Int64?
    let quietUntilFirstLine: Bool
    /// The instances named in `instances:`, which `forget_after` never drops: they are watched
    /// from the start whether or not they log.
    let declaredInstances: Set<String>

    init(_ spec: JobSpec) {
        schedule = spec.schedule
        maxRuntime = spec.maxRuntime
        minRuntime = spec.minRuntime
        failureBurst = spec.failureBurst
        minCount = spec.minCount
        threshold = spec.threshold
        forgetAfter = spec.forgetAfter
        quietUntilFirstLine = spec.quietUntilFirstLine
        declaredInstances = Set(spec.instances)
    }
}
