import HeartlineCore
import Testing

/// The daemon's ingest path in process, without libsystemd and without a real clock: records from
/// memory, read at instants the test chooses.
struct LiveEvaluationTests {
    static func instant(_ text: String) -> Instant { RFC3339.parse(text)! }

    static func summaries(_ alerts: [Alert]) -> [String] {
        alerts.map { "\($0.at) \($0.status.rawValue) \($0.service)/\($0.job) \($0.condition.rawValue)" }
    }

    static let services = [
        try! PatternFileParser.parse(
            """
            source: { files: [/var/log/app/*.log] }
            jobs:
              - name: export
                success: 'export done'
                failure: 'export failed'
                failure_burst: { count: 1, within: 1h }
            """, path: "app.yaml"),
        try! PatternFileParser.parse(
            """
            source: { journal: { unit: backup } }
            jobs:
              - name: run
                success: 'Deactivated successfully'
                failure: 'Failed with result'
                failure_burst: { count: 1, within: 1h }
            """, path: "backup.yaml"),
    ]

    static func journalEntry(_ fields: [String: String], at text: String) -> LogRecord {
        var bytes = fields.mapValues { Array($0.utf8) }
        bytes["__REALTIME_TIMESTAMP"] = Array(String(instant(text).nanoseconds / 1000).utf8)
        return .journal(JournalEntry(fields: bytes))
    }

    /// Lines go to the services whose globs match their file's path (`*` does not cross `/`).
    @Test func fileLinesGoToTheServicesWhoseGlobsMatchTheirPath() {
        let t0 = Self.instant("2026-03-01T10:00:00Z")
        let live = LiveEvaluation(services: Self.services, restoring: nil, now: t0)
        live.take(
            .line("2026-03-01T10:01:00Z export failed", path: "/var/log/app/a.log"),
            readAt: Instant(nanoseconds: t0.nanoseconds + 90_000_000_000))
        live.take(
            .line("2026-03-01T10:02:00Z export failed", path: "/var/log/app/old/a.log"),
            readAt: Instant(nanoseconds: t0.nanoseconds + 150_000_000_000))
        live.take(
            .line("2026-03-01T10:03:00Z export failed", path: "/var/log/other.log"),
            readAt: Instant(nanoseconds: t0.nanoseconds + 200_000_000_000))
        live.advance(to: Instant(nanoseconds: t0.nanoseconds + 300_000_000_000))
        #expect(Self.summaries(live.flushAlerts()) == ["2026-03-01T10:01:00Z firing app/export failing"])
        #expect(live.linesRead == ["/var/log/app/a.log": 1, "/var/log/app/old/a.log": 1, "/var/log/other.log": 1])
        #expect(live.linesMatched == ["/var/log/app/a.log": 1])
        // Read 30 s after its own stamp.
        #expect(live.lagSeconds["/var/log/app/a.log"] == 30)
    }

    /// A journal entry is routed by `journalctl -u` rules and timed by `__REALTIME_TIMESTAMP`,
    /// whatever its message says.
    @Test func journalEntriesAreRoutedByUnitAndTimedByTheirRealtime() {
        let t0 = Self.instant("2026-03-01T10:00:00Z")
        let live = LiveEvaluation(services: Self.services, restoring: nil, now: t0)
        let failed = "backup.service: Failed with result 'exit-code'."
        live.take(
            Self.journalEntry(["_PID": "1", "UNIT": "backup.service", "MESSAGE": failed], at: "2026-03-01T10:05:00Z"),
            readAt: Instant(nanoseconds: t0.nanoseconds + 400_000_000_000))
        live.take(
            Self.journalEntry(["_PID": "7", "UNIT": "backup.service", "MESSAGE": failed], at: "2026-03-01T10:06:00Z"),
            readAt: Instant(nanoseconds: t0.nanoseconds + 400_000_000_000))
        live.advance(to: Instant(nanoseconds: t0.nanoseconds + 500_000_000_000))
        #expect(Self.summaries(live.flushAlerts()) == ["2026-03-01T10:05:00Z firing backup/run failing"])
        #expect(live.linesRead == ["journal": 2])
        #expect(live.linesMatched == ["journal": 1])
        #expect(
            live.context(
                for: Alert(
                    at: t0, service: "backup", job: "run", condition: .failing, status: .firing)) == failed)
    }

    /// A stamp ahead of the moment the line was read is not believed: the line counts when read.
    @Test func aStampAheadOfItsReadingCountsWhenRead() {
        let t0 = Self.instant("2026-03-01T10:00:00Z")
        let live = LiveEvaluation(services: Self.services, restoring: nil, now: t0)
        live.take(
            .line("2026-03-01T11:00:00Z export failed", path: "/var/log/app/a.log"),
            readAt: Instant(nanoseconds: t0.nanoseconds + 60_000_000_000))
        live.advance(to: Instant(nanoseconds: t0.nanoseconds + 120_000_000_000))
        #expect(Self.summaries(live.flushAlerts()) == ["2026-03-01T10:01:00Z firing app/export failing"])
    }

    /// A year-less syslog stamp takes the year that puts it nearest to the moment it was read: a
    /// `Dec 31` line read just after New Year belongs to the year that ended.
    @Test func aYearlessStampTakesTheYearNearestToItsReading() {
        let t0 = Self.instant("2026-12-31T23:00:00Z")
        let live = LiveEvaluation(services: Self.services, restoring: nil, now: t0)
        live.take(
            .line("Dec 31 23:59:30 host app: export failed", path: "/var/log/app/a.log"),
            readAt: Self.instant("2027-01-01T00:00:10Z"))
        live.advance(to: Self.instant("2027-01-01T00:01:00Z"))
        #expect(Self.summaries(live.flushAlerts()) == ["2026-12-31T23:59:30Z firing app/export failing"])
    }

    /// A pattern that backtracks past the PCRE2 match limit is counted against its service, job and
    /// place in the pattern file, the line counting as no match; a reload carries the count over.
    /// The line holds `ab`, so the prefilter lets it through to PCRE2, which backtracks over the
    /// run of `a`s before the `c` first.
    @Test func matchLimitHitsAreCountedPerPatternAndSurviveAReload() throws {
        let services = [
            try PatternFileParser.parse(
                """
                source: { files: [/var/log/evil.log] }
                jobs:
                  - name: evil
                    success: '(a+)+b'
                """, path: "evil.yaml")
        ]
        let t0 = Self.instant("2026-03-01T10:00:00Z")
        let live = LiveEvaluation(services: services, restoring: nil, now: t0)
        let line = Array((String(repeating: "a", count: 40) + "c ab").utf8)
        for _ in 0..<2 {
            line.withUnsafeBytes { live.take(line: $0, path: "/var/log/evil.log", readAt: t0) }
        }
        let key = LiveEvaluation.PatternKey(service: "evil", job: "evil", pattern: "evil.yaml:4:14")
        #expect(live.matchLimitHits == [key: 2])
        #expect(live.linesMatched == [:])
        let reloaded = LiveEvaluation(services: services, restoring: live.evaluator.snapshot, now: t0)
        reloaded.adoptCounters(from: live)
        line.withUnsafeBytes { reloaded.take(line: $0, path: "/var/log/evil.log", readAt: t0) }
        #expect(reloaded.matchLimitHits == [key: 3])
    }

    /// Lines the follower cut at its length limit are counted per file; whole lines are not.
    @Test func cutLinesAreCountedPerFile() {
        let t0 = Self.instant("2026-03-01T10:00:00Z")
        let live = LiveEvaluation(services: Self.services, restoring: nil, now: t0)
        let line = Array("export done".utf8)
        for cut in [true, false, true] {
            line.withUnsafeBytes { live.take(line: $0, path: "/var/log/app/a.log", readAt: t0, cut: cut) }
        }
        line.withUnsafeBytes { live.take(line: $0, path: "/var/log/app/b.log", readAt: t0) }
        #expect(live.linesCut == ["/var/log/app/a.log": 2])
        #expect(live.linesRead == ["/var/log/app/a.log": 3, "/var/log/app/b.log": 1])
    }
}
