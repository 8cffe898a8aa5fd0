/// The conditions a job instance is watched for (SPEC §2, and `too_fast` of SPEC §7).
///
/// Raw values are the names used in alerts and configuration. Ordering is by name, the order
/// SPEC §2 asks for among alerts at the same instant.
public enum Condition: String, CaseIterable, Comparable, Codable, CodingKeyRepresentable, Sendable {
    /// No success line arrived by the schedule's due time plus grace.
    case missing
    /// A start line was not followed by a success or failure within `max_runtime`.
    case stuck
    /// Failures came faster than `failure_burst`.
    case failing
    /// Fewer successes than `min_count` in its window.
    case slow
    /// A measured value is beyond its `threshold`.
    case breach
    /// A success line closed a run shorter than `min_runtime`.
    case tooFast = "too_fast"

    public static func < (lhs: Condition, rhs: Condition) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
