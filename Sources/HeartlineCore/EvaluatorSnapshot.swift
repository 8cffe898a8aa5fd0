/// The evaluator's state in a form to save (JSON through `Codable`): every job instance's facts,
/// keyed by service name and job name as written (the template for dynamic jobs).
public struct EvaluatorSnapshot: Codable, Hashable, Sendable {
    /// One job instance with where it belongs.
    public struct Instance: Codable, Hashable, Sendable {
        /// The service name.
        public var service: String
        /// The job's name as written in the pattern file (a template for a dynamic job).
        public var job: String
        /// The instance's facts.
        public var facts: JobFacts
    }

    /// When monitoring began (T0), if it has.
    public var monitoringStart: Instant?
    /// The latest instant the evaluator had processed.
    public var now: Instant?
    /// Every job instance.
    public var instances: [Instance]
    /// Alerts of the instant ``now`` not yet handed out: more may join them at that instant, and
    /// SPEC §2 orders all alerts of one instant together.
    public var pending: [Alert]
}
