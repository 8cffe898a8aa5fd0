import Foundation
import HeartlineCore
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
}
