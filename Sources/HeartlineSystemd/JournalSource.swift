public import HeartlineCore
import Synchronization

/// Reads and follows the systemd journal through libsystemd's sd-journal, handing over only the
/// entries that some service's ``JournalMatch`` can take (SPEC §4, "Sources").
///
/// The matches go to sd-journal (`sd_journal_add_match`), which finds matching entries through its
/// field indexes instead of scanning the journal: the clauses of ``JournalRouting``, the one place
/// where `unit` is expanded as `journalctl -u` does it. One read serves all services; each batch
/// carries the routing it was read with, so that the consumer routes each entry by the same clauses.
///
/// Reading runs on one dedicated OS thread that owns the sd-journal handle from open to close, as
/// sd-journal requires, never on Swift's cooperative pool. It starts:
/// - with `resumeCursor`: after that entry. If the entry no longer exists (vacuumed), at the first
///   entry after `resumeTime` (or the time in the cursor), reporting a ``JournalEvent/gap``;
/// - with only `resumeTime`: at the first entry after that time;
/// - with neither: at the end, so only entries logged from now on are read.
///
/// It then follows the journal across rotation and vacuuming. When the journal cannot be opened or
/// read it reports ``JournalEvent/unavailable(message:)``, retries every
/// ``JournalSourceOptions/retryInterval`` and resumes after the last entry delivered.
public final class JournalSource: Sendable {
    private let routing: JournalRouting
    private let start: JournalReader.Position
    private let options: JournalSourceOptions
    private let started = Mutex(false)
    /// The channel of ``events()``, whose producer counts the time it spends reading, its waits
    /// and its retries.
    private let channel = Mutex<EventChannel<JournalEvent>?>(nil)

    /// Seconds the reader thread has spent reading entries (moving through the journal and
    /// copying fields), not counting its waits for new entries or for the consumer; 0 before
    /// ``events()``.
    public var readSeconds: Double {
        channel.withLock { Double($0?.readNanoseconds.load(ordering: .relaxed) ?? 0) / 1e9 }
    }

    /// How many times the reader thread had read and sent every entry the journal held and began
    /// waiting for new ones; 0 before ``events()``.
    ///
    /// For tests that must know that nothing more will come: once this count has grown and
    /// ``consumerIsWaiting`` holds, every entry written before was read and taken.
    package var caughtUpCount: Int {
        channel.withLock { $0?.producerIdles.load(ordering: .acquiring) ?? 0 }
    }

    /// How many times the reader thread began waiting ``JournalSourceOptions/retryInterval`` after
    /// it failed to open or read the journal; 0 before ``events()``.
    package var retryCount: Int {
        channel.withLock { $0?.sleepsBegun.load(ordering: .acquiring) ?? 0 }
    }

    /// Whether the consumer has taken every event sent so far and waits for the next.
    package var consumerIsWaiting: Bool {
        channel.withLock { $0?.hasWaitingReceiver ?? false }
    }

    /// Creates a source; nothing is opened until ``events()`` is called.
    ///
    /// - Parameters:
    ///   - matches: Every service's journal match; an entry is read when it satisfies any of them.
    ///     With none, nothing is read.
    ///   - resumeCursor: The cursor of the last entry handled before, or `nil` on a first start.
    ///   - resumeTime: The time of that entry (`__REALTIME_TIMESTAMP`), where reading resumes if the
    ///     cursor is gone; alone, where reading starts.
    ///   - options: Where to read, batching, back-pressure, waiting and retrying.
    public convenience init(
        matches: [JournalMatch], resumeCursor: String? = nil, resumeTime: Instant? = nil,
        options: JournalSourceOptions = JournalSourceOptions()
    ) {
        self.init(
            routing: JournalRouting(matches: matches), resumeCursor: resumeCursor, resumeTime: resumeTime,
            options: options)
    }

    /// Creates a source that reads with `routing`: its matches select the entries, and every field
    /// it names (those of the matches and those the services' field patterns read, see
    /// ``JournalRouting/init(matches:alsoReading:)``) is copied into the batches.
    ///
    /// - Parameters:
    ///   - routing: The journal routing of the services (``RecordRouter/journal``).
    ///   - resumeCursor: The cursor of the last entry handled before, or `nil` on a first start.
    ///   - resumeTime: The time of that entry (`__REALTIME_TIMESTAMP`), where reading resumes if the
    ///     cursor is gone; alone, where reading starts.
    ///   - options: Where to read, batching, back-pressure, waiting and retrying.
    public init(
        routing: JournalRouting, resumeCursor: String? = nil, resumeTime: Instant? = nil,
        options: JournalSourceOptions = JournalSourceOptions()
    ) {
        self.routing = routing
        if let resumeCursor {
            start = .cursor(resumeCursor, savedTime: resumeTime)
        } else if let resumeTime {
            start = .after(resumeTime)
        } else {
            start = .tail
        }
        self.options = options
    }

    /// Starts the reader thread and returns its events, in journal order.
    ///
    /// The stream ends when the consuming task is cancelled or the stream is dropped; the thread then
    /// closes the journal within about ``JournalSourceOptions/waitTimeout``. The thread stops reading
    /// while ``JournalSourceOptions/maxPendingBatches`` events wait to be taken. Iterate from one task
    /// only.
    ///
    /// - Returns: The events. Only the first call reads the journal; later calls get a stream that
    ///   ends at once. When no match can ever hold, the stream yields nothing until it is cancelled.
    ///   If the system cannot create a thread, it yields one ``JournalEvent/unavailable(message:)``.
    public func events() -> AsyncStream<JournalEvent> {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return AsyncStream { $0.finish() } }
        let channel = EventChannel<JournalEvent>(capacity: options.maxPendingBatches)
        self.channel.withLock { $0 = channel }
        let consumer = Consumer(channel: channel)
        let clauses: [[String]]
        switch routing.selection {
        case .nothing:
            return consumer.stream()
        case .everything:
            clauses = []
        case .anyOf(let anyOf):
            clauses = anyOf
        }
        let (routing, start, options) = (routing, start, options)
        let running = ReaderThread.start {
            JournalReader(clauses: clauses, routing: routing, start: start, options: options, channel: channel).run()
        }
        if !running {
            _ = channel.send(.unavailable(message: "journal reader thread could not be started"))
        }
        return consumer.stream()
    }

    /// The consuming side's hold on the channel: when the stream and its iterator are released, this
    /// goes with them and closes the channel, so the reader stops even if the consumer was not
    /// cancelled but merely stopped iterating.
    private final class Consumer: Sendable {
        let channel: EventChannel<JournalEvent>

        init(channel: EventChannel<JournalEvent>) {
            self.channel = channel
        }

        deinit {
            channel.close()
        }

        func stream() -> AsyncStream<JournalEvent> {
            AsyncStream(unfolding: { await self.channel.receive() }, onCancel: { self.channel.close() })
        }
    }
}
