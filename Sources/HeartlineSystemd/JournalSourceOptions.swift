/// How a ``JournalSource`` opens, batches, follows and retries the journal.
public struct JournalSourceOptions: Sendable, Hashable {
    /// A directory of `.journal` files to read (`sd_journal_open_directory`) instead of the local
    /// system's journals (`sd_journal_open` with `SD_JOURNAL_LOCAL_ONLY`); for tests and for reading
    /// journals copied from another machine. `nil` reads the system journal.
    public var directory: String?
    /// How long to wait before trying again after the journal was unavailable. Default 5 seconds;
    /// values below 10 milliseconds count as 10 milliseconds.
    public var retryInterval: Duration
    /// The most entries in one ``JournalEvent/entries(_:)`` batch. Default 1,024; values below 1
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
    /// After how many entries the source closes the journal and opens it again where it was, which
    /// releases the journal file windows sd-journal has mapped: while a backlog is caught up they
    /// would otherwise stay resident, adding up to hundreds of megabytes. Default 10,000 entries,
    /// which keeps them to a few megabytes for about a tenth of the reading time (a reopen costs
    /// about as much as reading a thousand entries); values below 1 count as 1.
    public var reopenInterval: Int

    /// Creates options; every parameter has the default documented on its property.
    ///
    /// - Parameters:
    ///   - directory: A directory of journal files, or `nil` for the system journal.
    ///   - retryInterval: The pause between attempts while the journal is unavailable.
    ///   - batchSize: The most entries per batch.
    ///   - maxPendingBatches: Events that may wait for the consumer.
    ///   - waitTimeout: The longest single wait for new entries.
    ///   - reopenInterval: The entries read between two reopenings of the journal.
    public init(
        directory: String? = nil,
        retryInterval: Duration = .seconds(5),
        batchSize: Int = 1024,
        maxPendingBatches: Int = 4,
        waitTimeout: Duration = .milliseconds(250),
        reopenInterval: Int = 10_000
    ) {
        self.directory = directory
        self.retryInterval = retryInterval
        self.batchSize = batchSize
        self.maxPendingBatches = maxPendingBatches
        self.waitTimeout = waitTimeout
        self.reopenInterval = reopenInterval
    }
}
