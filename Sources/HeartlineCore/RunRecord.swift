/// A closed run with the job instance it belongs to: what ``Evaluator/takeClosedRuns()`` hands
/// its driver, for run-duration metrics.
public struct RunRecord: Hashable, Sendable {
    /// The service name.
    public var service: String
    /// The job instance name (a dynamic job's filled-in name).
    public var job: String
    /// The run.
    public var run: ClosedRun

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - service: The service name.
    ///   - job: The job instance name.
    ///   - run: The closed run.
    public init(service: String, job: String, run: ClosedRun) {
        self.service = service
        self.job = job
        self.run = run
    }
}
