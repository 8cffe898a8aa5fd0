import Foundation
import HeartlineCore
import HeartlineSinks
import Logging
import ServiceLifecycle

/// The daemon's own heartbeat (`heartbeat:` in the main configuration): POSTs to its URL every
/// `every` seconds while the evaluation loop is alive (its status was published in the last 10 s)
/// and its state store takes checkpoints, so that a service such as healthchecks.io notices when
/// Heartline itself stops or can no longer save what it sees.
struct SelfHeartbeatPinger: Service {
    let heartbeat: SelfHeartbeat
    let board: StatusBoard
    let clock: @Sendable () -> Instant
    let logger: Logger

    func run() async {
        guard let url = URL(string: heartbeat.url) else { return }
        let poster = HTTPPoster(url: url, headers: [:], timeout: .seconds(10), sinkName: "heartbeat")
        while !Task.isShuttingDownGracefully {
            let age = clock().nanoseconds - board.status.updatedAt.nanoseconds
            if age < 10_000_000_000, board.status.stateStoreProblem == nil {
                do {
                    try await poster.post(Data("{\"heartline\":\"alive\"}".utf8))
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("self-heartbeat: \(error)")
                }
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(heartbeat.every)) }
            } catch {
                return
            }
        }
    }
}
