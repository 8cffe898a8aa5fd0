/// How a ``JournalSource`` opens, batches, follows and retries the journal.
public struct JournalSourceOptions: Sendable, Hashable {
    /// A directory of `.journal` files to read (`sd_journal_open_directory`) instead of the local
    /// system's journals (`sd_journal_open` with `SD_JOURNAL_LOCAL_ONLY`); for tests and for reading
    /// journals copied from another machine. `nil` reads the system journal.
    public var directory: String?
    /// How long to wait before trying again after the journal was unavailable. Default 5 seconds;
    /// values below 10 milliseconds count as 10 milliseconds.
    public var retryInterval: Duration
    /// The most entries in one ``JournalEvent/records(_:)`` batch. Default 1,024; values below 1
    /// count as 1.
    public var batchSize: Int
    /// How many events may wait for the consumer before the reader thread stops reading until one is
    /// taken. Default 4, so at most about 4 × ``batchSize`` entries are held in memory; values below 1
    /// count as 1.
    public var maxPendingBatches: Int
    /// The longest single wait for new entries (`sd_journal_wait`); it bounds how long the reader
    /// takes to notice that the consumer went away. Default 250 milliseconds; values below 1
    /// millisecond count as 1 millisecond.
    public var waitTimeout: Duration

    /// Creates options; every parameter has the default documented on its property.
    ///
    /// - Parameters:
    ///   - directory: A directory of journal files, or `nil` for the system journal.
    ///   - retryInterval: The pause between attempts while the journal is unavailable.
    ///   - batchSize: The most entries per batch.
    ///   - maxPendingBatches: Events that may wait for the consumer.
    ///   - waitTimeout: The longest single wait for new entries.
    public init(
        directory: String? = nil,
        retryInterval: Duration = .seconds(5),
        batchSize: Int = 1024,
        maxPendingBatches: Int = 4,
        waitTimeout: Duration = .milliseconds(250)
    ) {
        self.directory = directory
        self.retryInterval = retryInterval
        self.batchSize = batchSize
        self.maxPendingBatches = maxPendingBatches
        self.waitTimeout = waitTimeout
    }
}
