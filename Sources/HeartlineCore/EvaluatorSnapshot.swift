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

        /// Creates an instance entry.
        public init(service: String, job: String, facts: JobFacts) {
            self.service = service
            self.job = job
            self.facts = facts
        }
    }

    /// Where an instance belongs and what it is called: how saved instances are told apart.
    public struct InstanceKey: Codable, Hashable, Sendable {
        /// The service name.
        public var service: String
        /// The job's name as written (a template for a dynamic job).
        public var job: String
        /// The instance's name.
        public var instance: String

        /// Creates a key.
        public init(service: String, job: String, instance: String) {
            self.service = service
            self.job = job
            self.instance = instance
        }
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

    /// Creates a snapshot.
    public init(monitoringStart: Instant?, now: Instant?, instances: [Instance], pending: [Alert]) {
        self.monitoringStart = monitoringStart
        self.now = now
        self.instances = instances
        self.pending = pending
    }
}
