/// One service: the contents of one pattern file (SPEC §1).
///
/// A service says where its lines come from, how their timestamps read, and which jobs its
/// lines prove. Built by ``PatternFileParser`` from YAML; immutable afterwards.
public struct ServiceSpec: Sendable {
    /// The service name: the file's `service:` key, or its file name without `.yaml`.
    public var name: String
    /// Which journal entries and plain files feed this service.
    public var source: SourceSpec
    /// How a plain-file line's own time is read.
    public var timestamp: TimestampSpec
    /// The jobs, in file order.
    public var jobs: [JobSpec]
    /// Where the file starts, for messages.
    public var location: SourceLocation
    /// For a service the daemon found by itself (`discover:`), the timer unit or crontab line it
    /// watches; nil for a pattern file's service.
    public var discoveredFrom: String?

    /// Creates a service.
    public init(
        name: String, source: SourceSpec = SourceSpec(), timestamp: TimestampSpec = TimestampSpec(),
        jobs: [JobSpec], location: SourceLocation
    ) {
        self.name = name
        self.source = source
        self.timestamp = timestamp
        self.jobs = jobs
        self.location = location
    }
}
