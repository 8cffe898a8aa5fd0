import Foundation
import HeartlineCore
import HeartlineInput
import Testing

@testable import HeartlineReplay

/// Runs every rule test under `fixtures/` (the same files `heartline test fixtures` runs), with
/// and without the Vectorscan prefilter: both paths must print exactly the expected alerts.
struct FixtureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func allTests() throws -> [RuleTest] {
        let files = try RuleTestRunner().discover([root + "/fixtures"])
        return try files.flatMap { file in
            try RuleTestFile.parse(String(contentsOfFile: file, encoding: .utf8), path: file, currentYear: 2026)
        }
    }

    @Test func thereAreFixturesToRun() throws {
        #expect(try Self.allTests().count >= 5)
    }

    @Test(arguments: [true, false])
    func everyFixturePasses(usePrefilter: Bool) throws {
        for var test in try Self.allTests() {
            test.options.usePrefilter = usePrefilter
            let result = RuleTestRunner().run(test)
            #expect(result.error == nil, "\(test.location): \(test.name): \(result.error ?? "")")
            #expect(result.actual == test.expected, "\(test.location): \(test.name)\n\(result.diff)")
        }
    }

    /// The prefilter may only skip lines that no pattern matches: with it and without it, every
    /// fixture gives the same matched-line count and the same alerts, details included (a run's
    /// start and duration in a `missing` alert depend on every start line being seen). This caught
    /// Vectorscan 5.4.9's AVX-512 path dropping a start line (see `VectorscanRuntime`).
    @Test func thePrefilterChangesNoMatchAndNoAlertDetail() throws {
        for test in try Self.allTests() {
            var results: [(report: ReplayReport, alerts: [String])] = []
            for usePrefilter in [true, false] {
                var options = test.options
                options.usePrefilter = usePrefilter
                var inputs = test.inputs.map(ReplayInput.path)
                if let lines = test.lines { inputs.append(.text(name: "\(test.location) lines", lines)) }
                let services = try ServiceLoader.load(
                    test.patterns, library: LibrarySearchPath().prepending(test.library))
                var alerts: [String] = []
                let report = try Replay(services: services, options: options).run(inputs: inputs) {
                    alerts.append($0.jsonLine)
                }
                results.append((report, alerts))
            }
            #expect(results[0].report.matched == results[1].report.matched, "\(test.location): \(test.name)")
            #expect(results[0].alerts == results[1].alerts, "\(test.location): \(test.name)")
        }
    }
}
