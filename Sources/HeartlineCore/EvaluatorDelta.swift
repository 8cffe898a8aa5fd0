/// What changed in an evaluator since its last delta, to save instead of the whole evaluator (issue
/// 14): the instances that changed and those that were dropped, with the evaluator's own header
/// (T0, its time, the alerts of its latest instant).
///
/// The first delta of an evaluator is complete: it holds every instance, and a store that applies it
/// forgets every instance it held before (after a restart or a reload, instances of jobs that no
/// longer exist must go). Later ones hold only what changed.
public struct EvaluatorDelta: Sendable {
    /// The header, and in ``EvaluatorSnapshot/instances`` the changed instances (all of them when
    /// ``isComplete``), in slot order.
    public var snapshot: EvaluatorSnapshot
    /// Whether ``snapshot`` holds every instance, replacing whatever was saved.
    public var isComplete: Bool
    /// Instances dropped (`forget_after`) since the last delta; empty when ``isComplete``.
    public var removed: [EvaluatorSnapshot.InstanceKey]
}
