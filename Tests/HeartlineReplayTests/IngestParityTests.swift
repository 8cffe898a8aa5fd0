import Foundation
import HeartlineCore
import HeartlineInput
import Testing

@testable import HeartlineReplay

/// Every fixture under `fixtures/` through replay and through the daemon's ingest path
/// (``LiveEvaluation``, in process, on a test clock, records from the same files): the alerts must
/// be identical, instant, detail and all.
///
/// The daemon's side is fed as if it had followed each input while it was written: every line is
/// read at the time it was written (its own stamp, or the latest stamp before it in its input),
/// inputs interleave by that time as replay merges them, and the clock ticks just before each new
/// instant the way the daemon's idle tick does. Each service that reads files follows the inputs'
/// paths by a glob, as an operator would configure it; journal exports arrive as journal entries.
/// Tests that use `services:` (replay's `--service`, which the daemon has no counterpart for) are
/// left out and counted.
struct IngestParityTests {
    @Test func everyFixtureGivesTheSameAlertsInReplayAndTheDaemon() throws {
        var compared = 0
        var skipped: [String] = []
        for test in try FixtureTests.allTests() {
            guard test.options.services.isEmpty else {
                skipped.append(test.name)
                continue
            }
            let services = try ServiceLoader.load(test.patterns, library: LibrarySearchPath().prepending(test.library))
            var inputs = test.inputs.map(ReplayInput.path)
            if let lines = test.lines { inputs.append(.text(name: "\(test.location) lines", lines)) }
            var replayed: [Alert] = []
            _ = try Replay(services: services, options: test.options).run(inputs: inputs) { replayed.append($0) }
            let live = try Self.daemonAlerts(services: services, inputs: inputs, options: test.options)
            #expect(
                live.map(\.jsonLine) == replayed.map(\.jsonLine),
                Comment(
                    rawValue: "\(test.location): \(test.name)\n"
                        + LineDiff.lines(expected: replayed.map(\.jsonLine), actual: live.map(\.jsonLine))
                        .joined(separator: "\n")))
            compared += 1
        }
        // The fixtures hold dozens of rule tests; a count this low would mean discovery broke.
        #expect(compared >= 20, "compared \(compared), skipped \(skipped)")
        print("ingest parity: \(compared) rule tests compared, \(skipped.count) with 'services:' left out")
    }

    /// A failure line with a stamp earlier than its file's latest one counts at that latest time in
    /// the daemon, even when the latest line meant nothing to any job (the evaluator's own clock is
    /// then behind the file's). Replay does not yet: a known difference, pinned here.
    @Test func aLineThatGoesBackInTimeCountsAtItsFilesLatestTimeInBoth() throws {
        let pattern = """
            source: { files: [/var/log/app.log] }
            jobs:
              - name: sync
                success: 'sync done'
                failure: 'sync failed'
                schedule: { every: 1h }
                failure_burst: { count: 2, within: 10m }
            """
        let services = [try PatternFileParser.parse(pattern, path: "app.yaml")]
        // Hand-written lines, in RFC 3339 as SPEC §3 reads them.
        let lines = """
            2026-03-01T10:00:00Z sync done
            2026-03-01T10:12:00Z sync failed
            2026-03-01T10:20:00Z cache warmed
            2026-03-01T10:05:00Z sync failed
            2026-03-01T12:00:00Z sync done
            """
        let options = ReplayOptions(year: 2026)
        var replayed: [Alert] = []
        _ = try Replay(services: services, options: options).run(inputs: [.text(name: "app", lines)]) {
            replayed.append($0)
        }
        let live = try Self.daemonAlerts(services: services, inputs: [.text(name: "app", lines)], options: options)
        #expect(
            live.map(AlertFormatter.summary).prefix(2) == [
                "2026-03-01T10:20:00Z firing app/sync failing", "2026-03-01T10:30:00Z resolved app/sync failing",
            ])
        // Replay reads the stamps only of the lines that matter (README, "Which lines are timed"),
        // so the 10:20 line that matches nothing is never timed, and the backward line is taken
        // at 10:12, the latest stamp replay did read.
        withKnownIssue("replay clamps a backward line to the latest stamp it timed, not to an untimed later one") {
            #expect(replayed.map(\.jsonLine) == live.map(\.jsonLine))
        }
    }

    /// One record as the daemon would have read it: when, from which input, and what.
    struct Timed {
        var at: Instant
        var input: Int
        var record: LogRecord
    }

    /// Drives the daemon's ingest path over `inputs` on a test clock and returns its alerts.
    static func daemonAlerts(services: [ServiceSpec], inputs: [ReplayInput], options: ReplayOptions) throws -> [Alert] {
        var following = services
        for index in following.indices where !following[index].source.files.isEmpty {
            following[index].source.files = ["/parity/input-*"]
        }
        var records: [Timed] = []
        for (index, input) in inputs.enumerated() {
            records += try read(input, index: index, services: services, options: options)
        }
        // Merged by time as replay merges inputs; at equal times the input named first goes first.
        records.sort { ($0.at, $0.input) < ($1.at, $1.input) }
        records.removeAll { record in
            options.from.map { record.at < $0 } ?? false || options.until.map { record.at > $0 } ?? false
        }
        guard let first = records.first else { return [] }
        let live = LiveEvaluation(services: following, restoring: nil, now: options.from ?? first.at)
        var alerts: [Alert] = []
        var clock = options.from ?? first.at
        for timed in records {
            if timed.at.nanoseconds > clock.nanoseconds + 1 {
                // The idle tick: time passes up to just before the next line, and every alert
                // due by then goes out.
                clock = Instant(nanoseconds: timed.at.nanoseconds - 1)
                live.advance(to: clock)
                alerts += live.flushAlerts()
            }
            live.take(timed.record, readAt: timed.at)
            alerts += live.takeAlerts()
        }
        live.advance(to: options.until ?? records.last!.at)
        alerts += live.flushAlerts()
        return alerts
    }

    /// Every record of one input with the time it was written: a line's own stamp (read as replay
    /// reads it, `--year` included), or for a line without one, or one that goes back in time, the
    /// latest stamp before it; lines before any stamp take `--from`, or are left out as replay
    /// leaves them out. A journal entry was written at its `__REALTIME_TIMESTAMP`.
    static func read(_ input: ReplayInput, index: Int, services: [ServiceSpec], options: ReplayOptions) throws
        -> [Timed]
    {
        let router = RecordRouter(services: services, files: .everyFileSource)
        let specs = router.stampSpecs(for: router.services(forFile: ""))
        var stamps = try StampReader(
            specs: specs.isEmpty ? [TimestampSpec()] : specs, yearRule: .rolling(startYear: options.year))
        var latest: Instant?
        var records: [Timed] = []
        switch try input.open() {
        case .lines(let reader):
            while let line = try reader.nextLine() {
                if let stamp = stamps.stamp(line) { latest = max(stamp, latest ?? stamp) }
                guard let at = latest ?? options.from else { continue }
                records.append(Timed(at: at, input: index, record: .line(Array(line), path: "/parity/input-\(index)")))
            }
        case .journal(let reader):
            while let entry = try reader.nextEntry() {
                guard let at = entry.realtime.map({ max($0, latest ?? $0) }) ?? latest ?? options.from else { continue }
                latest = at
                records.append(Timed(at: at, input: index, record: .journal(entry)))
            }
        }
        return records
    }
}
