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
                == #"{"failures":9,"firing":[{"condition":"failing","since":"2024-06-16T00:33:20Z"},"#
                + #"{"condition":"missing","since":"2024-06-16T00:50:00Z"}],"job":"queue","#
                + #""last_success":"2024-06-16T00:00:00.500Z","service":"mailer","state":"firing","#
                + #""successes":2,"watched":["failing","missing"]}"#)
    }

    @Test func aJobWithoutSuccessHasANullLastSuccessAndStateOk() throws {
        let job = DaemonStatus.Job(
            service: "backup", job: "nightly", lastSuccess: nil, firing: [:], watched: [.missing], successes: 0,
            failures: 0)
        #expect(
            try Self.json(JobReport(job))
                == #"{"failures":0,"firing":[],"job":"nightly","last_success":null,"service":"backup","#
                + #""state":"ok","successes":0,"watched":["missing"]}"#)
    }

    @Test func decodingGivesBackWhatWasEncoded() throws {
        let report = JobReport(Self.firing)
        let decoded = try JSONDecoder().decode(JobReport.self, from: Data(try Self.json(report).utf8))
        #expect(decoded == report)
    }
}
