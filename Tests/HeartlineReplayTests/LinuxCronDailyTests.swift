import Foundation
import HeartlineCore
import HeartlineInput
import Testing

@testable import HeartlineReplay

/// The acceptance example of the core issue: the cron-daily pattern file over the real
/// Linux_2k.log (Loghub) prints exactly these three alerts as JSON lines.
struct LinuxCronDailyTests {
    @Test func replayPrintsTheThreeExpectedAlertsAsJSONLines() throws {
        let root = FixtureTests.root
        let services = try ServiceLoader.load([root + "/fixtures/linux-cron-daily/patterns"])
        let replay = try Replay(services: services, options: ReplayOptions(year: 2005))
        var lines: [String] = []
        let report = try replay.run(inputs: [.path(root + "/fixtures/real-logs/Linux_2k.log")]) {
            lines.append(AlertFormatter.jsonLine($0))
        }
        let required = try lines.map { line -> String in
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            let keys = ["at", "service", "job", "condition", "status"]
            return "{" + keys.map { "\"\($0)\":\"\(object[$0] ?? "")\"" }.joined(separator: ",") + "}"
        }
        #expect(
            required == [
                #"{"at":"2005-06-16T04:10:24Z","service":"cron-daily","job":"logrotate","condition":"failing","status":"firing"}"#,
                #"{"at":"2005-07-24T04:30:00Z","service":"cron-daily","job":"news","condition":"missing","status":"firing"}"#,
                #"{"at":"2005-07-24T04:33:57Z","service":"cron-daily","job":"news","condition":"missing","status":"resolved"}"#,
            ])
        #expect(report.lines == 2000)
    }
}
