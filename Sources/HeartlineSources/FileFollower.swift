internal import Foundation
public import HeartlineCore
import Synchronization

/// Follows plain log files named by shell globs, through rotation and restarts, as a stream of events.
///
/// Which files, and from where:
/// - Patterns are expanded every `rescanInterval`, and at once when inotify reports a change in a
///   directory they cover. Only regular files are followed.
/// - A file that exists at the first scan and has no saved position starts at its end (after its
///   last complete line): the daemon watches from now on and does not replay old history.
/// - A file with a saved position whose identity matches resumes at that offset. If the path now
///   names another file, the saved file was rotated while the follower was stopped: it is looked
///   for by device and inode in the same directory (`app.log.1`) and its rest is read first; the
///   new file is read from byte 0.
/// - A file that appears later is read from byte 0.
/// - Once the first scan's files are opened and positioned, ``FileEvent/ready`` says so.
///
/// Rotation, noticed within `pollInterval` (sooner through inotify):
/// - Rename or delete, then create: the old file stays open and is read to its end before the new
///   one, then kept for `rotatedFileGrace` after it last grew (for a writer that has not reopened
///   its log yet) and closed.
/// - Copytruncate: a file shorter than what was read, or whose first bytes changed, is read again
///   from byte 0. Lines written between the last read and the truncation went only into the copy
///   and are not seen: the race is logrotate's, and polling more often narrows it.
/// - A file renamed out of every pattern before the follower opened it is never read: nothing at a
///   followed path shows it existed. New files are opened at the first look after inotify reports
///   them, so the window is that delay, longer while the thread is blocked on a slow consumer.
///
/// A file whose first bytes are binary by the rule replay uses (an executable, compressed data,
/// mostly control bytes) is reported once as a ``FileEvent/problem(path:message:)`` and nothing is
/// read from it; an empty file is examined once it has bytes, and a file again after a truncation.
/// A new file at the path is examined afresh.
///
/// Lines end at `\n`. A partial last line waits for its newline, or is handed out after
/// `partialLineTimeout` without growth, or when its rotated file is closed. Lines over
/// `maxLineBytes` are cut and flagged and the rest dropped as it is read, never held whole.
///
/// All blocking work runs on one thread the follower starts when ``events()`` is called; no call
/// blocks the cooperative pool. The thread reads at most `maxPendingBatches` events ahead of the
/// consumer, then waits. Cancelling the consuming task, or releasing the stream, wakes and stops the
/// thread at once (within `pollInterval` if the wake-up socket could not be made) and closes every
/// descriptor it opened.
public final class FileFollower: Sendable {
    private let globs: [String]
    private let resumeFrom: [FilePosition]
    private let options: FollowOptions
    private let now: @Sendable () -> Instant
    private let channel = Mutex<EventChannel?>(nil)

    /// Creates a follower; nothing is opened until ``events()``.
    ///
    /// - Parameters:
    ///   - globs: Shell globs (`*`, `?`, `[...]`, `{a,b}`) of the files to follow; a pattern
    ///     should not match the rotated copies (`app.log.1`), or their lines are read twice.
    ///   - resumeFrom: Every position the daemon saved (see ``FileEvent``); positions of paths that
    ///     no pattern covers are ignored.
    ///   - options: Intervals and sizes; every value must be positive.
    ///   - now: The wall clock that stamps each line's `readAt`. Intervals (polling, timeouts) are
    ///     measured on the monotonic clock, since the thread's waits are real ones.
    public init(
        globs: [String], resumeFrom: [FilePosition] = [], options: FollowOptions = FollowOptions(),
        now: @escaping @Sendable () -> Instant
    ) {
        precondition(options.isValid, "FollowOptions: intervals, sizes and counts must be positive")
        self.globs = globs
        self.resumeFrom = resumeFrom
        self.options = options
        self.now = now
    }

    /// Starts following and returns the events; call it once.
    ///
    /// - Returns: The events, in order. The stream ends only when its consumer is cancelled.
    public func events() -> AsyncStream<FileEvent> {
        let channel = EventChannel(capacity: options.maxPendingBatches)
        let isFirst = self.channel.withLock { stored in
            guard stored == nil else { return false }
            stored = channel
            return true
        }
        precondition(isFirst, "FileFollower.events() may be called only once")
        channel.threadStarted()
        let thread = Thread { [globs, resumeFrom, options, now] in
            FollowLoop(globs: globs, resumeFrom: resumeFrom, options: options, now: now, channel: channel).run()
        }
        thread.name = "heartline-files"
        thread.start()
        let consumer = Consumer(channel: channel)
        return AsyncStream(unfolding: { await consumer.channel.next() }, onCancel: { consumer.channel.cancel() })
    }

    /// Seconds the reading thread has spent reading files and splitting them into lines, not
    /// counting time it waited for the consumer; 0 before ``events()``.
    public var readSeconds: Double {
        channel.withLock { Double($0?.readNanoseconds.load(ordering: .relaxed) ?? 0) / 1e9 }
    }

    /// Whether the reading thread is running (for tests of shutdown).
    package var isRunning: Bool {
        channel.withLock { $0?.isRunning ?? false }
    }

    /// How many lines the reading thread has handed over to the stream, taken or not (for tests
    /// that the thread does not run ahead of a slow consumer).
    package var linesHandedOver: Int {
        channel.withLock { $0?.linesHandedOver ?? 0 }
    }

    /// How many bytes the reading thread has read from files, whole lines or not (for tests that
    /// must know a write was read before they check what it produced).
    package var bytesRead: Int {
        channel.withLock { $0?.bytesRead.load(ordering: .acquiring) ?? 0 }
    }

    /// How many times the reading thread has expanded every pattern again (for tests that must know
    /// a change, or its absence, was looked at).
    package var rescans: Int {
        channel.withLock { $0?.rescans.load(ordering: .acquiring) ?? 0 }
    }

    /// How many files were found binary by the rule replay uses and not read: each was reported
    /// once as a ``FileEvent/problem(path:message:)``; 0 before ``events()``.
    package var binaryFilesRefused: Int {
        channel.withLock { $0?.binaryFilesRefused.load(ordering: .acquiring) ?? 0 }
    }

    /// How many saved positions were discarded at start because their file had been truncated or
    /// rewritten while the follower was stopped (each reported once as a problem naming the saved
    /// offset and the file's size); 0 before ``events()``.
    package var positionsDiscarded: Int {
        channel.withLock { $0?.positionsDiscarded.load(ordering: .acquiring) ?? 0 }
    }

    /// How many watched directories are polled now, every `pollInterval`, because inotify could not
    /// watch them (the per-user watch limit, or no inotify at all); each was reported once as a
    /// problem. 0 before ``events()``.
    package var directoriesPolled: Int {
        channel.withLock { $0?.directoriesPolled.load(ordering: .acquiring) ?? 0 }
    }

    /// Whether the reading thread is blocked handing over an event because `maxPendingBatches`
    /// events wait for the consumer (for tests of back-pressure: it cannot read on until one is taken).
    package var isBlockedByConsumer: Bool {
        channel.withLock { ($0?.blockedSenders.load(ordering: .acquiring) ?? 0) > 0 }
    }

    /// Whether the consumer has taken every event handed over so far and waits for the next (for
    /// tests that must know everything read has been received).
    package var consumerIsWaiting: Bool {
        channel.withLock { $0?.hasWaitingConsumer ?? false }
    }

    /// How many descriptors the reading thread holds open: files and the inotify instance.
    package var openDescriptorCount: Int {
        channel.withLock { $0?.openDescriptors ?? 0 }
    }

    /// The stream's hold on the channel: when the stream and its iterator are released without
    /// being cancelled (a `for await` left early), this goes too and stops the thread.
    private final class Consumer: Sendable {
        let channel: EventChannel

        init(channel: EventChannel) {
            self.channel = channel
        }

        deinit {
            channel.cancel()
        }
    }
}
