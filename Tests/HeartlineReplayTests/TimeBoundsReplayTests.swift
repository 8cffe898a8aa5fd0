import Foundation
import HeartlineCore
import Testing

@testable import HeartlineReplay

/// Replay near the end of Heartline's times (``Instant/latest``, 2262-04-11T23:47:16Z): a deadline
/// past it never fires and a stamp past it is unreadable; nothing traps.
struct TimeBoundsReplayTests {
    struct BoundCase: Sendable, CustomTestStringConvertible {
        var name: String
        var rules: String
        var lines: [String]
        var until: String?
        var alerts: [String]
        var unstamped = 0
        var testDescription: String { name }
    }

    static let cases: [BoundCase] = [
        BoundCase(
            name: "cron whose next fire time is after the bound", rules: "schedule: { cron: \"0 0 29 2 *\" }",
            lines: ["9200000000 job done"], until: nil, alerts: []),
        BoundCase(
            name: "cron past the bound, replayed up to it", rules: "schedule: { cron: \"0 0 29 2 *\" }",
            lines: ["9200000000 job done"], until: "2262-04-11T23:47:16Z", alerts: []),
        BoundCase(
            name: "every: 60d from a stamp in 2261", rules: "schedule: { every: 60d }",
            lines: ["9200000000 job done"], until: nil, alerts: []),
        BoundCase(
            name: "every: 60d due before the bound fires, due after it never does",
            rules: "schedule: { every: 60d }", lines: ["9200000000 job done", "9220000000 job done"],
            until: "2262-04-11T23:47:16Z",
            alerts: ["2261-09-13T11:33:20Z firing svc/job missing", "2262-03-03T23:06:40Z resolved svc/job missing"]),
        BoundCase(
            name: "grace pushing the deadline past the bound", rules: "schedule: { every: 1d, grace: 36500d }",
            lines: ["9200000000 job done"], until: "2262-04-11T23:47:16Z", alerts: []),
        BoundCase(
            name: "cron due before the bound fires at it", rules: "schedule: { cron: \"0 0 1 4 *\" }",
            lines: ["9200000000 job done"], until: "2262-04-11T23:47:16Z",
            alerts: ["2262-04-01T00:00:00Z firing svc/job missing"]),
        BoundCase(
            name: "max_runtime, failure_burst and min_count windows past the bound",
            rules: "max_runtime: 30d\n    failure_burst: { count: 1, within: 30d }\n"
                + "    min_count: { count: 1, within: 30d }",
            lines: ["9223000000 job start", "9223000001 job failed"], until: "2262-04-11T23:47:16Z",
            alerts: ["2262-04-07T16:26:41Z firing svc/job failing"]),
        BoundCase(
            name: "a stamp past the bound is unreadable", rules: "schedule: { every: 1d }",
            lines: ["9200000000 job done", "9223372037 job done"], until: nil, alerts: [], unstamped: 1),
    ]

    @Test(arguments: cases)
    func timesPastTheBoundNeverFireAndNeverTrap(_ test: BoundCase) throws {
        let patterns = """
            service: svc
            source: { files: [/var/log/svc.log] }
            timestamp: { format: epoch }
            jobs:
              - name: job
                success: 'job done'
                failure: 'job failed'
                start: 'job start'
                \(test.rules)
            """
        let services = try PatternFileParser.parseAll([(path: "svc.yaml", text: patterns)])
        var options = ReplayOptions(year: 2024)
        options.until = try test.until.map { try #require(RFC3339.parse($0)) }
        var alerts: [String] = []
        let text = test.lines.joined(separator: "\n") + "\n"
        let report = try Replay(services: services, options: options).run(inputs: [.text(name: "svc.log", text)]) {
            alerts.append(AlertFormatter.summary($0))
        }
        #expect(alerts == test.alerts)
        #expect(report.unstamped == test.unstamped)
        #expect(report.matched == test.lines.count)
    }
}
