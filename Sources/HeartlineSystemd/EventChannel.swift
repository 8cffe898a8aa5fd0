import Dispatch
import Synchronization

/// A bounded hand-off from one producing OS thread to one consuming task.
///
/// The producer blocks in ``send(_:)`` while `capacity` elements wait for the consumer, so a slow
/// consumer slows the journal reader instead of growing memory. Either side may ``close()`` it: the
/// consumer when its task is cancelled or it drops the stream, after which ``send(_:)`` returns
/// `false` and the producer stops; a producer blocked in ``send(_:)`` or ``sleep(for:)`` wakes at once.
final class EventChannel<Element: Sendable>: Sendable {
    private struct State {
        var queue: [Element] = []
        var head = 0
        var waiter: CheckedContinuation<Element?, Never>?
        var closed = false

        mutating func popFirst() -> Element? {
            guard head < queue.count else { return nil }
            let element = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            return element
        }
    }

    private let state = Mutex(State())
    /// Nanoseconds the producer has spent producing (reading), not waiting; for the daemon's cost
    /// per stage.
    let readNanoseconds = Atomic<Int64>(0)
    /// How many times the producer had sent everything it had and began waiting for new input
    /// (the journal reader, before each `sd_journal_wait`), counted by the producer; with
    /// ``hasWaitingReceiver`` it tells an observer that everything read so far has been taken.
    let producerIdles = Atomic<Int>(0)
    /// How many sends found the channel full and had to wait for the consumer to take an element.
    let sendsThatWaited = Atomic<Int>(0)
    /// How many times the producer began a ``sleep(for:)`` (the journal reader's retries).
    let sleepsBegun = Atomic<Int>(0)
    /// Counts free places: the producer takes one per element, the consumer gives it back on taking it.
    private let freeSlots: DispatchSemaphore
    /// Signalled once by ``close()`` to end a producer's ``sleep(for:)`` early.
    private let wakeup = DispatchSemaphore(value: 0)

    /// Creates a channel.
    ///
    /// - Parameter capacity: How many elements may wait for the consumer before ``send(_:)`` blocks;
    ///   at least 1.
    init(capacity: Int) {
        freeSlots = DispatchSemaphore(value: max(1, capacity))
    }

    /// Whether either side closed the channel.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Whether the consumer waits in ``receive()`` on an empty channel: it has taken every element
    /// sent so far.
    var hasWaitingReceiver: Bool { state.withLock { $0.waiter != nil } }

    /// Hands an element to the consumer, blocking the calling thread while the channel is full.
    ///
    /// - Returns: `false` when the channel was closed and the element was dropped.
    func send(_ element: Element) -> Bool {
        if freeSlots.wait(timeout: .now()) == .timedOut {
            sendsThatWaited.add(1, ordering: .releasing)
            freeSlots.wait()
        }
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Element?, Never>?) in
            if state.closed { return (false, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (true, waiter)
            }
            state.queue.append(element)
            return (true, nil)
        }
        if !accepted || waiter != nil {
            freeSlots.signal()
        }
        waiter?.resume(returning: element)
        return accepted
    }

    /// Waits for the next element; `nil` once the channel is closed or the task is cancelled.
    ///
    /// Cancelling the waiting task closes the channel. One consumer at a time: a second concurrent
    /// waiter gets `nil` at once.
    func receive() async -> Element? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
                let (ready, took) = state.withLock { state -> (Element??, Bool) in
                    if let element = state.popFirst() { return (.some(element), true) }
                    if state.closed || state.waiter != nil { return (.some(nil), false) }
                    state.waiter = continuation
                    return (nil, false)
                }
                if took { freeSlots.signal() }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            close()
        }
    }

    /// Sleeps the producing thread for `duration`, waking early when the channel is closed.
    ///
    /// - Returns: `false` when the channel is closed.
    func sleep(for duration: Duration) -> Bool {
        if isClosed { return false }
        sleepsBegun.add(1, ordering: .releasing)
        _ = wakeup.wait(timeout: .now() + duration.dispatchInterval)
        return !isClosed
    }

    /// Closes the channel: the waiting consumer gets `nil`, the producer's next send fails.
    func close() {
        let (wasOpen, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Element?, Never>?) in
            defer {
                state.closed = true
                state.queue.removeAll()
                state.head = 0
                state.waiter = nil
            }
            return (!state.closed, state.waiter)
        }
        waiter?.resume(returning: nil)
        if wasOpen {
            // Wake a producer blocked on a full channel or in a retry sleep; it then sees `closed`.
            freeSlots.signal()
            wakeup.signal()
        }
    }
}

extension Duration {
    /// This duration as a Dispatch interval, in whole nanoseconds.
    fileprivate var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
