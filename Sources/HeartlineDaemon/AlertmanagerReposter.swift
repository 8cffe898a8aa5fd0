import HeartlineCore
import HeartlineSinks
import Logging
import ServiceLifecycle

/// Posts every firing alert to an Alertmanager again each `AlertmanagerSink.repostInterval`, as
/// Alertmanager expects of a client (it resolves an alert that stops being posted). Best effort: a
/// re-post that fails waits for the next round; the outbox carries the changes.
struct AlertmanagerReposter: Service {
    let sink: AlertmanagerSink
    let board: StatusBoard
    let logger: Logger

    func run() async {
        while !Task.isShuttingDownGracefully {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: sink.repostInterval) } } catch {
                return
            }
            for job in board.status.jobs {
                for (condition, since) in job.firing.sorted(by: { $0.key < $1.key }) {
                    let alert = Alert(
                        at: since, service: job.service, job: job.job, condition: condition, status: .firing,
                        detail: "still firing")
                    guard sink.config.accepts(alert) else { continue }
                    do {
                        try await sink.deliver(alert)
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.warning("alertmanager re-post: \(error)")
                    }
                }
            }
        }
    }
}
