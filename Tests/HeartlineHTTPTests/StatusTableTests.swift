import HeartlineCore
import HeartlineDaemon
import HeartlineHTTP
import Testing

/// The `heartline status` table.
struct StatusTableTests {
    static func at(_ text: String) -> Instant {
        RFC3339.parse(text) ?? Instant(seconds: 0)
    }

    static let now = at("2024-06-16T01:03:00Z")

    @Test func tableHasOneRowPerJobByServiceThenJobWithStatesAndAges() {
        let jobs = [
            DaemonStatus.Job(
                service: "mailer", job: "queue", lastSuccess: nil,
                firing: [.missing: Self.at("2024-06-16T00:00:00Z"), .failing: Self.at("2024-06-16T00:10:00Z")],
                watched: [.failing, .missing], successes: 0, failures: 12),
            DaemonStatus.Job(
                service: "backup", job: "nightly", lastSuccess: Self.at("2024-06-16T00:21:40.5Z"), firing: [:],
                watched: [.missing], successes: 1234, failures: 0,
                lastRun: ClosedRun(
                    key: nil, started: Self.at("2024-06-16T00:09:30Z"), ended: Self.at("2024-06-16T00:21:40.5Z"),
                    outcome: .success),
                nextDue: Self.at("2024-06-17T00:21:40.5Z")),
            DaemonStatus.Job(
                service: "backup", job: "hourly", lastSuccess: Self.at("2024-06-16T00:59:30Z"), firing: [:],
                watched: [], successes: 7, failures: 1,
                lastRun: ClosedRun(
                    key: "h1", started: Self.at("2024-06-16T00:00:00Z"), ended: Self.at("2024-06-16T00:30:00Z"),
                    outcome: .stuck),
                nextDue: Self.at("2024-06-16T00:59:00Z")),
        ]
        let expected = """
            SERVICE  JOB      STATE                    LAST SUCCESS                    LAST RUN        NEXT DUE  SUCCESSES  FAILURES
            backup   hourly   ok                       2024-06-16T00:59:30Z (3m ago)   30m stuck       4m ago            7         1
            backup   nightly  ok                       2024-06-16T00:21:40Z (41m ago)  12m10s success  in 23h         1234         0
            mailer   queue    firing: failing,missing  -                               -               -                 0        12

            """
        #expect(StatusTable.render(jobs.map(JobReport.init), now: Self.now) == expected)
    }

    @Test func aJobNameWithEscapesIsShownEscapedOnItsOneRowAndPaddedToItsEscapedWidth() {
        let jobs = [
            DaemonStatus.Job(
                service: "backup", job: "host-\u{1B}[2J\u{1B}]0;pwned\u{07}\nx", lastSuccess: nil, firing: [:],
                watched: [], successes: 1, failures: 0),
            DaemonStatus.Job(
                service: "backup", job: "host-db1", lastSuccess: nil, firing: [:], watched: [], successes: 2,
                failures: 0),
        ]
        let expected = """
            SERVICE  JOB                              STATE  LAST SUCCESS  LAST RUN  NEXT DUE  SUCCESSES  FAILURES
            backup   host-\\x1b[2J\\x1b]0;pwned\\x07\\nx  ok     -             -         -                 1         0
            backup   host-db1                         ok     -             -         -                 2         0

            """
        #expect(StatusTable.render(jobs.map(JobReport.init), now: Self.now) == expected)
    }

    @Test func noJobsSaysSo() {
        #expect(StatusTable.render([], now: Self.now) == "no jobs are watched yet\n")
    }

    @Test(
        arguments: [
            (0, "0s ago"),
            (59, "59s ago"),
            (60, "1m ago"),
            (5 * 60 + 59, "5m ago"),
            (3600, "1h ago"),
            (86_399, "23h ago"),
            (3 * 86_400 + 7, "3d ago"),
            (-300, "in 5m"),
        ] as [(Int64, String)])
    func agoUsesTheLargestWholeUnit(elapsed: Int64, text: String) throws {
        #expect(StatusTable.ago(try #require(Self.now.adding(seconds: -elapsed)), now: Self.now) == text)
    }
}
