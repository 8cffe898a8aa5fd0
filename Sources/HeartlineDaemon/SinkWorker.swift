import HeartlineCore
import HeartlineSinks
import HeartlineState
import Logging
import ServiceLifecycle
import Synchronization

/// Delivers one sink's queued alerts in order, each exactly once it succeeds, retrying a failed
/// delivery with exponential backoff and full jitter (`RetryPolicy`) until the sink takes it.
///
/// One worker per sink runs as a service of the daemon's group, so a slow or unreachable receiver
/// delays only its own alerts, never the reading of logs or the other sinks. Alerts reach a worker
/// only after they were committed to the outbox; a worker removes each from the outbox once
/// delivered. On graceful shutdown (which reaches the workers after the evaluation loop has made
/// its last commit) a worker delivers what is queued while the receiver takes it, and stops at the
/// first failure or when the group's drain time runs out; what is left stays in the outbox for the
/// next start.
///
/// A delivered alert is never delivered again by the same process: when removing it from the
/// outbox fails (a full disk), the removal alone is retried, with the same backoff. Should the
/// daemon stop before it succeeds, the next start delivers the alert once more, with its `id`, so
/// that a receiver can drop the repeat.
final class SinkWorker: Service, Sendable {
    /// Delivery counts, for status.
    struct Counts: Sendable {
        var delivered = 0
        var failed = 0
        var queued = 0
    }

    let sink: any AlertSink
    private let store: StateStore
    private let logger: Logger
    private let retry: RetryPolicy
    private let queue: AsyncStream<OutboxEntry>
    private let continuation: AsyncStream<OutboxEntry>.Continuation
    private let counts = Mutex(Counts())
    private let draining = Mutex(false)

    init(sink: any AlertSink, store: StateStore, logger: Logger, retry: RetryPolicy = .standard) {
        self.sink = sink
        self.store = store
        self.logger = logger
        self.retry = retry
        (queue, continuation) = AsyncStream.makeStream(of: OutboxEntry.self)
    }

    /// Queues committed outbox entries for this sink, in order.
    func enqueue(_ entries: [OutboxEntry]) {
        counts.withLock { $0.queued += entries.count }
        for entry in entries { continuation.yield(entry) }
    }

    var current: Counts { counts.withLock { $0 } }

    /// Delivers until graceful shutdown has drained the queue, or until cancelled.
    func run() async {
        await withGracefulShutdownHandler {
            await deliver()
        } onGracefulShutdown: {
            self.draining.withLock { $0 = true }
            self.continuation.finish()
        }
    }

    private func deliver() async {
        for await entry in queue {
            var failures = 0
            while !Task.isCancelled {
                var alert = entry.alert
                alert.id = entry.id
                do {
                    try await sink.deliver(alert)
                    counts.withLock {
                        $0.delivered += 1
                        $0.queued -= 1
                    }
                    await acknowledge(entry.id)
                    break
                } catch is CancellationError {
                    return
                } catch {
                    failures += 1
                    counts.withLock { $0.failed += 1 }
                    if draining.withLock({ $0 }) {
                        logger.warning("sink \(sink.key): \(error); the rest stays queued for the next start")
                        return
                    }
                    let wait = retry.delay(afterFailures: failures)
                    logger.warning("sink \(sink.key): \(error); retrying in \(wait)")
                    do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) } } catch {
                        if Task.isCancelled { return }
                    }
                }
            }
            if Task.isCancelled { return }
        }
    }

    /// Removes a delivered alert from the outbox, retrying until the store takes it or the worker
    /// stops (the alert then stays queued for the next start).
    private func acknowledge(_ id: Int64) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await store.acknowledge([id])
                return
            } catch {
                failures += 1
                if draining.withLock({ $0 }) {
                    logger.warning("sink \(sink.key): delivered alert \(id) stays in the outbox: \(error)")
                    return
                }
                let wait = retry.delay(afterFailures: failures)
                if failures == 1 || failures.isMultiple(of: 20) {
                    logger.warning(
                        "sink \(sink.key): cannot remove delivered alert \(id) from the outbox: \(error); retrying")
                }
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) } } catch {
                    if Task.isCancelled { return }
                }
            }
        }
    }
}
