import Foundation
import HeartlineCore
import HeartlineDaemon
import HeartlineHTTP
import Testing

/// `/api/v1/jobs` entries: their JSON shape, and that `heartline status` reads back what was written.
struct JobReportTests {
    static let firing = DaemonStatus.Job(
        service: "mailer", job: "queue", lastSuccess: Instant(nanoseconds: 1_718_496_000_500_000_000),
        firing: [.missing: Instant(seconds: 1_718_499_000), .failing: Instant(seconds: 1_718_498_000)],
        watched: [.failing, .missing], successes: 2, failures: 9)

    static func json(_ report: JobReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    @Test func aFiringJobListsItsConditionsByNameWithRFC3339Times() throws {
        #expect(
            try Self.json(JobReport(Self.firing))
                == #"{"discovered":false,"discovered_from":null,"failures":9,"firing":[{"condition":"failing","since":"2024-06-16T00:33:20Z"},"#
                + #"{"condition":"missing","since":"2024-06-16T00:50:00Z"}],"job":"queue","#
                + #""last_run_duration_seconds":null,"last_run_outcome":null,"last_run_start":null,"#
                + #""last_success":"2024-06-16T00:00:00.500Z","next_due":null,"open_runs":0,"#
                + #""service":"mailer","state":"firing","#
                + #""successes":2,"watched":["failing","missing"]}"#)
    }

    @Test func aJobWithoutSuccessHasANullLastSuccessAndStateOk() throws {
        let job = DaemonStatus.Job(
            service: "backup", job: "nightly", lastSuccess: nil, firing: [:], watched: [.missing], successes: 0,
            failures: 0)
        #expect(
            try Self.json(JobReport(job))
                == #"{"discovered":false,"discovered_from":null,"failures":0,"firing":[],"job":"nightly","last_run_duration_seconds":null,"#
                + #""last_run_outcome":null,"last_run_start":null,"last_success":null,"next_due":null,"#
                + #""open_runs":0,"service":"backup","state":"ok","successes":0,"watched":["missing"]}"#)
    }

    /// Runs (SPEC §7): the last closed run's start, duration in seconds and outcome, the open runs,
    /// and when the schedule next expects a success.
    @Test func aJobWithRunsReportsItsLastRunOpenRunsAndNextDue() throws {
        let job = DaemonStatus.Job(
            service: "backup", job: "nightly", lastSuccess: Instant(seconds: 1_718_496_000), firing: [:],
            watched: [.missing, .tooFast], successes: 1, failures: 0,
            lastRun: ClosedRun(
                key: "r7", started: Instant(nanoseconds: 1_718_495_279_750_000_000),
                ended: Instant(seconds: 1_718_496_000), outcome: .success),
            openRuns: 2, nextDue: Instant(seconds: 1_718_582_400))
        #expect(
            try Self.json(JobReport(job))
                == #"{"discovered":false,"discovered_from":null,"failures":0,"firing":[],"job":"nightly","last_run_duration_seconds":720.25,"#
                + #""last_run_outcome":"success","last_run_start":"2024-06-15T23:47:59.750Z","#
                + #""last_success":"2024-06-16T00:00:00Z","next_due":"2024-06-17T00:00:00Z","open_runs":2,"#
                + #""service":"backup","state":"ok","successes":1,"watched":["missing","too_fast"]}"#)
        let decoded = try JSONDecoder().decode(JobReport.self, from: Data(try Self.json(JobReport(job)).utf8))
        #expect(decoded == JobReport(job))
    }

    /// `heartline status` still reads a daemon from before runs: their keys absent mean unknown.
    @Test func aReportWithoutTheRunKeysDecodesWithThemUnknown() throws {
        let old =
            #"{"failures":0,"firing":[],"job":"nightly","last_success":null,"service":"backup","#
            + #""state":"ok","successes":0,"watched":["missing"]}"#
        let report = try JSONDecoder().decode(JobReport.self, from: Data(old.utf8))
        #expect(report.lastRunStart == nil && report.lastRunDuration == nil && report.lastRunOutcome == nil)
        #expect(report.openRuns == 0 && report.nextDue == nil)
        #expect(report.watched == [.missing] && report.job == "nightly")
    }

    @Test func decodingGivesBackWhatWasEncoded() throws {
        let report = JobReport(Self.firing)
        let decoded = try JSONDecoder().decode(JobReport.self, from: Data(try Self.json(report).utf8))
        #expect(decoded == report)
    }
}
