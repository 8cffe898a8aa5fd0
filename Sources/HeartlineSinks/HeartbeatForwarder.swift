import Foundation
package import HeartlineCore
package import Logging
import ServiceLifecycle
import Synchronization

/// The `healthchecks` sink: forwards heartbeats to each job's `ping_url` (SPEC §4), so that an
/// existing healthchecks.io or Cronitor check is fed by the log with no change to the job.
///
/// A ping is an HTTP POST whose JSON body names the service, job, kind and instant of the line. Pings go out in order;
/// a failed one is tried up to four times with backoff, then dropped with a warning: the service
/// times a ping by its arrival, so a much later one would mislead it. Pings are not kept across a
/// restart (alerts are; see the outbox). On graceful shutdown the queued pings are sent once each,
/// without retries.
package final class HeartbeatForwarder: Service, Sendable {
    package let config: SinkConfig
    private let logger: Logger
    private let retry = RetryPolicy(base: .milliseconds(500), cap: .seconds(8))
    private let queue: AsyncStream<Heartbeat>
    private let continuation: AsyncStream<Heartbeat>.Continuation
    private let draining = Mutex(false)

    package init(config: SinkConfig, logger: Logger) {
        self.config = config
        self.logger = logger
        (queue, continuation) = AsyncStream.makeStream(of: Heartbeat.self)
    }

    /// Queues the heartbeats of services this sink takes.
    package func enqueue(_ heartbeats: [Heartbeat]) {
        for heartbeat in heartbeats where config.services.isEmpty || config.services.contains(heartbeat.service) {
            continuation.yield(heartbeat)
        }
    }

    /// Sends until graceful shutdown has drained the queue, or until cancelled.
    package func run() async {
        await withGracefulShutdownHandler {
            await send()
        } onGracefulShutdown: {
            self.draining.withLock { $0 = true }
            self.continuation.finish()
        }
    }

    private func send() async {
        for await heartbeat in queue {
            guard let url = URL(string: heartbeat.target), url.scheme == "http" || url.scheme == "https" else {
                logger.warning("healthchecks: ping_url of \(heartbeat.service)/\(heartbeat.job) is not an http(s) URL")
                continue
            }
            let poster = HTTPPoster(url: url, headers: [:], timeout: .seconds(10), sinkName: "healthchecks")
            let body = Data(
                ("{\"service\":\(Alert.jsonString(heartbeat.service)),\"job\":\(Alert.jsonString(heartbeat.job)),"
                    + "\"kind\":\"\(heartbeat.kind.rawValue)\",\"at\":\"\(heartbeat.at)\"}").utf8)
            for attempt in 1...4 {
                do {
                    try await poster.post(body)
                    break
                } catch is CancellationError {
                    return
                } catch {
                    guard attempt < 4, !draining.withLock({ $0 }) else {
                        logger.warning(
                            "healthchecks: dropped a \(heartbeat.kind.rawValue) ping for \(heartbeat.job): \(error)")
                        break
                    }
                    do { try await Task.sleep(for: retry.delay(afterFailures: attempt)) } catch { return }
                }
            }
        }
    }
}
