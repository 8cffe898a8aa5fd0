import HeartlineCore
import HeartlineDaemon
import HeartlineHTTP
import Testing

/// `/healthz`: healthy once the daemon is ready and while its status is at most `staleAfter` seconds old.
struct HealthCheckTests {
    static let status: DaemonStatus = {
        var status = DaemonStatus(startedAt: Instant(seconds: 1000))
        status.updatedAt = Instant(seconds: 2000)
        status.ready = true
        return status
    }()

    @Test(arguments: [(0, true), (10, true), (11, false), (3600, false)] as [(Int64, Bool)])
    func healthyUpToStaleAfterSeconds(age: Int64, healthy: Bool) {
        let check = HealthCheck(staleAfter: 10)
        let result = check.evaluate(Self.status, now: Instant(seconds: 2000 + age))
        #expect(result.healthy == healthy)
        let stale = "stale: the daemon last published its status \(age)s ago (limit 10s)\n"
        #expect(result.body == (healthy ? "ok\n" : stale))
    }

    /// Before READY the daemon is starting, however fresh (or old, while compiling) its status is.
    @Test(arguments: ["compiling patterns", "positioning sources (files, journal)"], [0, 3600] as [Int64])
    func unhealthyWhileStartingWhateverTheAge(startingUp: String, age: Int64) {
        var status = Self.status
        status.ready = false
        status.startingUp = startingUp
        let result = HealthCheck(staleAfter: 10).evaluate(status, now: Instant(seconds: 2000 + age))
        #expect(!result.healthy)
        #expect(result.body == "starting: \(startingUp)\n")
    }

    @Test func aNewStatusIsStartingAndCompilingPatterns() {
        let status = DaemonStatus(startedAt: Instant(seconds: 1000))
        #expect(!status.ready)
        #expect(HealthCheck().evaluate(status, now: Instant(seconds: 1000)).body == "starting: compiling patterns\n")
    }

    /// A state store that fails (a full disk) makes a fresh, ready daemon unhealthy, and says why.
    @Test func unhealthyWhileTheStateStoreFails() {
        var status = Self.status
        status.stateStoreProblem = "cannot write the state database /var/lib/heartline/heartline.sqlite: disk full"
        status.alertsHeld = 4
        let result = HealthCheck(staleAfter: 10).evaluate(status, now: Instant(seconds: 2000))
        #expect(!result.healthy)
        #expect(
            result.body
                == "state: cannot write the state database /var/lib/heartline/heartline.sqlite: disk full; "
                + "4 alerts held in memory\n")
    }
}
