/// How a ``FileFollower`` watches, reads and batches.
///
/// The defaults suit a daemon: changes are seen within a quarter second, a partial last line waits
/// 5 seconds for its newline, and no more than about `maxPendingBatches` × `batchBytes` bytes of
/// lines wait for a slow consumer. Tests shorten the intervals.
public struct FollowOptions: Sendable {
    /// How often every followed file is checked for growth, truncation and rotation.
    ///
    /// With inotify working, writes and renames are noticed sooner; the poll is the fallback
    /// (inotify unavailable, network file systems, a watch limit reached).
    public var pollInterval: Duration
    /// How often the glob patterns are expanded again to find new files (also on inotify events).
    public var rescanInterval: Duration
    /// How long a partial last line (no newline yet) waits without the file growing before it is
    /// handed out as a line.
    public var partialLineTimeout: Duration
    /// How long a renamed or deleted file is still read after it last grew, for a writer that has
    /// not reopened its log yet, before it is closed (fluent-bit's `Rotate_Wait` is the model).
    public var rotatedFileGrace: Duration
    /// The longest line kept whole, in bytes; a longer one is cut to this length, flagged, and the
    /// rest of it dropped as it is read.
    public var maxLineBytes: Int
    /// Bytes read from a file per `read(2)`.
    public var chunkSize: Int
    /// The most lines in one ``FileEvent/lines(_:)`` event.
    public var batchLines: Int
    /// A batch is handed out once its lines hold this many bytes, even with fewer than `batchLines`.
    public var batchBytes: Int
    /// The most events handed out but not yet taken by the consumer; reading pauses at this many.
    public var maxPendingBatches: Int
    /// Whether to ask inotify about directory changes; tests turn it off to exercise pure polling,
    /// the fallback when the kernel refuses an inotify instance.
    var usesInotify = true
    /// At most this many inotify watches, as if the per-user limit (`fs.inotify.max_user_watches`)
    /// stopped there: tests exercise the polling of directories inotify cannot watch. nil: the
    /// kernel's limit.
    var maxWatches: Int?

    /// Creates options; every value must be positive.
    ///
    /// - Parameters:
    ///   - pollInterval: How often files are checked; default 250 ms.
    ///   - rescanInterval: How often globs are expanded again; default 1 s.
    ///   - partialLineTimeout: How long a partial last line waits for its newline; default 5 s.
    ///   - rotatedFileGrace: How long a rotated-away file is still read after it last grew; default 5 s.
    ///   - maxLineBytes: The longest line kept whole; default 1 MiB.
    ///   - chunkSize: Bytes per read; default 64 KiB.
    ///   - batchLines: Lines per event at most; default 4096.
    ///   - batchBytes: Bytes of lines per event before it is handed out early; default 1 MiB.
    ///   - maxPendingBatches: Events waiting for the consumer at most; default 4.
    public init(
        pollInterval: Duration = .milliseconds(250),
        rescanInterval: Duration = .seconds(1),
        partialLineTimeout: Duration = .seconds(5),
        rotatedFileGrace: Duration = .seconds(5),
        maxLineBytes: Int = 1 << 20,
        chunkSize: Int = 64 << 10,
        batchLines: Int = 1024,
        batchBytes: Int = 1 << 20,
        maxPendingBatches: Int = 4
    ) {
        self.pollInterval = pollInterval
        self.rescanInterval = rescanInterval
        self.partialLineTimeout = partialLineTimeout
        self.rotatedFileGrace = rotatedFileGrace
        self.maxLineBytes = maxLineBytes
        self.chunkSize = chunkSize
        self.batchLines = batchLines
        self.batchBytes = batchBytes
        self.maxPendingBatches = maxPendingBatches
    }

    /// Whether every value is usable: intervals above zero, sizes and counts at least 1.
    var isValid: Bool {
        [pollInterval, rescanInterval, partialLineTimeout, rotatedFileGrace].allSatisfy { $0 > .zero }
            && [maxLineBytes, chunkSize, batchLines, batchBytes, maxPendingBatches].allSatisfy { $0 > 0 }
    }
}
