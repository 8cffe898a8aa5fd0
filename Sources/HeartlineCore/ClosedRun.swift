/// One run of a job instance that has ended (SPEC §7, runs): from its start line to the success or
/// failure line that closed it, or to its `max_runtime` deadline.
///
/// A start line opens a run; the next success or failure line of the instance with the same run
/// key (both without one, when the job has no `run_key`) closes it. A run that passes
/// `max_runtime` is closed as ``Outcome/stuck`` at that deadline and forgotten, so its end line,
/// should it still come, closes nothing.
public struct ClosedRun: Codable, Hashable, Sendable {
    /// How a run ended.
    public enum Outcome: String, Codable, CodingKeyRepresentable, Comparable, Sendable {
        /// A success line closed it.
        case success
        /// A failure line closed it.
        case failure
        /// It passed `max_runtime` with no end line; ``ClosedRun/ended`` is that deadline.
        case stuck

        /// By name, as ``Condition`` orders.
        public static func < (lhs: Outcome, rhs: Outcome) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }

    /// The run key's value, or nil for a run opened by a start line without one.
    public var key: String?
    /// The instant of the start line.
    public var started: Instant
    /// The instant of the closing line, or the `max_runtime` deadline of a stuck run.
    public var ended: Instant
    /// How it ended.
    public var outcome: Outcome

    /// Creates a closed run.
    ///
    /// - Parameters:
    ///   - key: The run key's value, or nil.
    ///   - started: The start line's instant.
    ///   - ended: The closing line's instant (or the deadline of a stuck run); not before `started`.
    ///   - outcome: How it ended.
    public init(key: String?, started: Instant, ended: Instant, outcome: Outcome) {
        self.key = key
        self.started = started
        self.ended = ended
        self.outcome = outcome
    }

    /// How long the run took, in seconds (nanosecond precision): ``ended`` minus ``started``. For a
    /// stuck run this is `max_runtime`, a lower bound of the real time.
    public var durationSeconds: Double {
        Double(ended.seconds - started.seconds)
            + Double(ended.fractionNanoseconds - started.fractionNanoseconds) / 1e9
    }
}
