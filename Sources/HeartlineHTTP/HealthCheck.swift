public import HeartlineCore
public import HeartlineDaemon

/// The answer of `/healthz`: healthy once the daemon is ready and while its loop keeps publishing
/// its status and its state store takes checkpoints.
///
/// Until ``DaemonStatus/ready`` (patterns compiled, every source positioned, `READY=1` sent) the
/// daemon is starting, and a line written then might not be read: unhealthy, whatever the status's
/// age. After that, the loop publishes on every clock tick (a quarter second), so a status older
/// than ``staleAfter`` means the loop is stuck or gone.
public struct HealthCheck: Sendable, Hashable {
    /// How old the status may be before the daemon counts as unhealthy, in seconds.
    public var staleAfter: Int64

    /// Creates a check.
    ///
    /// - Parameter staleAfter: The largest healthy age of the status, in seconds.
    public init(staleAfter: Int64 = 10) {
        self.staleAfter = staleAfter
    }

    /// Whether `status` is fresh at `now`, and the body to answer with.
    ///
    /// - Parameters:
    ///   - status: The latest published status.
    ///   - now: The current time.
    /// - Returns: `healthy` (answer 200, else 503) and a one-line body: `ok`, or why not
    ///   (`starting: compiling patterns`, `stale: ...`, `state: cannot write the state database ...`).
    public func evaluate(_ status: DaemonStatus, now: Instant) -> (healthy: Bool, body: String) {
        guard status.ready else { return (false, "starting: \(status.startingUp)\n") }
        let age = (now.nanoseconds - status.updatedAt.nanoseconds) / 1_000_000_000
        guard age <= staleAfter else {
            return (false, "stale: the daemon last published its status \(age)s ago (limit \(staleAfter)s)\n")
        }
        if let problem = status.stateStoreProblem {
            return (false, "state: \(problem); \(status.alertsHeld) alerts held in memory\n")
        }
        return (true, "ok\n")
    }
}
