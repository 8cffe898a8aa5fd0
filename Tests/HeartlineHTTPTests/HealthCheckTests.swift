import HeartlineCore
import HeartlineDaemon
import HeartlineHTTP
import Testing

/// `/healthz`: healthy while the daemon's status is at most `staleAfter` seconds old.
struct HealthCheckTests {
    static let status: DaemonStatus = {
        var status = DaemonStatus(startedAt: Instant(seconds: 1000))
        status.updatedAt = Instant(seconds: 2000)
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
}
