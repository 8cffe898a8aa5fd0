/// A line that a healthchecks-style service should hear about: a job's success, failure or start,
/// for the job's `ping_url` (SPEC §4, the `healthchecks` sink).
public struct Heartbeat: Sendable, Hashable {
    /// What the line was.
    public enum Kind: String, Sendable, Hashable {
        /// A success line: ping the URL itself.
        case success
        /// A failure line: ping `URL/fail`.
        case failure
        /// A start line: ping `URL/start`.
        case start
    }

    /// The job's `ping_url`.
    public var url: String
    /// The service name.
    public var service: String
    /// The job instance name.
    public var job: String
    /// Success, failure or start.
    public var kind: Kind
    /// The line's instant.
    public var at: Instant

    /// A heartbeat for a job event; nil for a measure line, which is not a heartbeat.
    public init?(url: String, service: String, job: String, kind: JobEvent.Kind, at: Instant) {
        switch kind {
        case .success: self.kind = .success
        case .failure: self.kind = .failure
        case .start: self.kind = .start
        case .measure: return nil
        }
        self.url = url
        self.service = service
        self.job = job
        self.at = at
    }

    /// The URL to ping, healthchecks.io's convention: the URL for a success, `/fail` and `/start`
    /// appended for the others.
    public var target: String {
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        switch kind {
        case .success: return base
        case .failure: return base + "/fail"
        case .start: return base + "/start"
        }
    }
}
