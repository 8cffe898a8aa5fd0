internal import Dispatch
internal import Glibc
import Synchronization

/// The hand-over of events from a follower's thread to the task iterating its stream.
///
/// At most `capacity` events are in flight: the thread takes a slot from a counting semaphore
/// before it hands an event over, and the consumer gives the slot back when it takes the event, so
/// a slow consumer blocks the thread instead of letting lines pile up. Neither side holds the lock
/// while it waits, and the thread waits only on the semaphore, which ``cancel()`` also signals, so
/// the two cannot deadlock and a cancelled consumer releases a blocked thread at once. A thread
/// waiting in `poll(2)` is woken through a socket pair that ``cancel()`` writes to.
final class EventChannel: Sendable {
    private struct State {
        var queue: [FileEvent] = []
        var waiter: CheckedContinuation<FileEvent?, Never>?
        var cancelled = false
        var finished = false
        var running = false
        var openDescriptors = 0
        var linesHandedOver = 0
        /// The end of the wake-up socket pair that ``cancel()`` writes to; -1 once closed.
        var wakeWriter: Int32 = -1
    }

    private let state = Mutex(State())
    private let slots: DispatchSemaphore
    /// Nanoseconds the thread has spent reading files and splitting lines (not waiting), for the
    /// daemon's cost per stage.
    let readNanoseconds = Atomic<Int64>(0)
    /// Bytes the thread has read from files, counted as it reads them, before it splits them into
    /// lines; a partial last line counts as soon as it is read.
    let bytesRead = Atomic<Int>(0)
    /// How many times the thread finished expanding every pattern (a rescan).
    let rescans = Atomic<Int>(0)
    /// How many files the thread found binary and read nothing from, counted once per file (and
    /// again after the file is truncated and still binary).
    let binaryFilesRefused = Atomic<Int>(0)
    /// How many saved positions were discarded at start because their file was shorter than the
    /// saved offset or held other first bytes (rewritten while the follower was stopped).
    let positionsDiscarded = Atomic<Int>(0)
    /// How many directories are polled now because inotify could not watch them.
    let directoriesPolled = Atomic<Int>(0)
    /// 1 while the thread is blocked in ``send(_:)`` because `capacity` events wait for the
    /// consumer, else 0.
    let blockedSenders = Atomic<Int>(0)
    /// Becomes readable when the consumer cancels: the thread adds it to its `poll(2)`. -1 when no
    /// socket pair could be made; the thread then notices within `pollInterval`.
    let wakeDescriptor: Int32

    /// Creates a channel.
    ///
    /// - Parameter capacity: The most events handed over and not yet taken, at least 1.
    init(capacity: Int) {
        // libdispatch traps when a semaphore is freed with a value below the one it was created
        // with, as this one is when the consumer leaves with events in flight; starting at 0 and
        // signalling up to the capacity keeps that check from ever firing.
        slots = DispatchSemaphore(value: 0)
        for _ in 0..<capacity {
            slots.signal()
        }
        // A socket pair, since Glibc does not import pipe2(2) or eventfd(2) and socketpair(2) takes
        // SOCK_CLOEXEC: close-on-exec from the start, so programs that exec sinks start never inherit it.
        var pair: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        if socketpair(AF_UNIX, type, 0, &pair) == 0 {
            wakeDescriptor = pair[0]
            state.withLock { state in
                state.wakeWriter = pair[1]
                state.openDescriptors = 2
            }
        } else {
            wakeDescriptor = -1
        }
    }

    // MARK: Consumer side

    /// The next event, waiting for the thread to send one.
    ///
    /// - Returns: The event, or `nil` once the channel is cancelled or the thread has stopped.
    func next() async -> FileEvent? {
        await withCheckedContinuation { (continuation: CheckedContinuation<FileEvent?, Never>) in
            enum Outcome {
                case event(FileEvent)
                case end
                case wait
            }
            let outcome = state.withLock { state -> Outcome in
                if !state.queue.isEmpty {
                    return .event(state.queue.removeFirst())
                }
                if state.cancelled || state.finished {
                    return .end
                }
                state.waiter = continuation
                return .wait
            }
            switch outcome {
            case .event(let event):
                slots.signal()
                continuation.resume(returning: event)
            case .end:
                continuation.resume(returning: nil)
            case .wait:
                break
            }
        }
    }

    /// Stops the channel for good: queued events are dropped, a waiting consumer gets `nil`, and a
    /// thread blocked in ``send(_:)`` wakes and learns that it must stop.
    func cancel() {
        let waiter = state.withLock { state -> CheckedContinuation<FileEvent?, Never>? in
            guard !state.cancelled else { return nil }
            state.cancelled = true
            state.queue.removeAll()
            // Under the lock, so that the thread cannot have closed the descriptor in between.
            if state.wakeWriter >= 0 {
                var byte: UInt8 = 1
                _ = write(state.wakeWriter, &byte, 1)
            }
            defer { state.waiter = nil }
            return state.waiter
        }
        slots.signal()
        waiter?.resume(returning: nil)
    }

    // MARK: Thread side

    /// Hands an event to the consumer, blocking while `capacity` events wait to be taken.
    ///
    /// - Parameter event: The event.
    /// - Returns: `false` if the channel was cancelled: the thread should stop.
    func send(_ event: FileEvent) -> Bool {
        enum Handover {
            case cancelled
            case queued
            case taken(CheckedContinuation<FileEvent?, Never>)
        }
        guard !isCancelled else { return false }
        if slots.wait(timeout: .now()) == .timedOut {
            blockedSenders.add(1, ordering: .releasing)
            slots.wait()
            blockedSenders.subtract(1, ordering: .releasing)
        }
        let handover = state.withLock { state -> Handover in
            if state.cancelled {
                return .cancelled
            }
            if case .lines(let lines) = event {
                state.linesHandedOver += lines.count
            }
            if let waiter = state.waiter {
                state.waiter = nil
                return .taken(waiter)
            }
            state.queue.append(event)
            return .queued
        }
        switch handover {
        case .cancelled:
            return false
        case .queued:
            return true
        case .taken(let waiter):
            // Taken at once: the slot goes back as it would when the consumer dequeues.
            slots.signal()
            waiter.resume(returning: event)
            return true
        }
    }

    /// Whether the consumer waits in ``next()`` on an empty channel: it has taken every event sent
    /// so far.
    var hasWaitingConsumer: Bool {
        state.withLock { $0.waiter != nil }
    }

    /// Whether the consumer has gone away.
    var isCancelled: Bool {
        state.withLock { $0.cancelled }
    }

    /// Marks the thread as started.
    func threadStarted() {
        state.withLock { $0.running = true }
    }

    /// Marks the thread as stopped, after it closed its own descriptors, and closes the wake-up
    /// pair: a waiting consumer gets `nil`.
    func threadStopped() {
        let waiter = state.withLock { state -> CheckedContinuation<FileEvent?, Never>? in
            if state.wakeWriter >= 0 {
                close(state.wakeWriter)
                close(wakeDescriptor)
                state.wakeWriter = -1
                state.openDescriptors -= 2
            }
            state.running = false
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Counts a descriptor the thread opened (`1`) or closed (`-1`), for ``openDescriptors``.
    func countDescriptors(_ change: Int) {
        state.withLock { $0.openDescriptors += change }
    }

    /// Whether the thread is running.
    var isRunning: Bool {
        state.withLock { $0.running }
    }

    /// How many lines the thread has handed over so far, taken or not.
    var linesHandedOver: Int {
        state.withLock { $0.linesHandedOver }
    }

    /// How many descriptors the thread holds open now.
    var openDescriptors: Int {
        state.withLock { $0.openDescriptors }
    }
}
