import ArgumentParser
import Foundation
import HeartlineCore
import HeartlineReplay

/// `heartline test`: run rule tests (SPEC §5); a mismatch prints a diff and exits 1.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule tests: replay their input and compare the alerts with the expected ones.",
        discussion: "PATH is a *.test.yaml file or a directory searched for them. Exit status 1 on any failure."
    )

    @Argument(help: "Rule-test files, or directories to search for *.test.yaml.")
    var paths: [String]

    @OptionGroup var library: LibraryOptions

    func run() throws {
        let runner = RuleTestRunner(library: library.searchPath)
        let currentYear = Calendar(identifier: .gregorian).component(.year, from: Date())
        var passed = 0
        var failed = 0
        let files: [String]
        do {
            files = try runner.discover(paths)
        } catch {
            StandardError.write("\(error)")
            throw ExitCode(1)
        }
        for file in files {
            let tests: [RuleTest]
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                tests = try RuleTestFile.parse(text, path: file, currentYear: currentYear)
            } catch {
                StandardError.write("\(error)")
                failed += 1
                continue
            }
            for test in tests {
                let result = runner.run(test)
                if result.passed {
                    passed += 1
                    print("ok   \(test.location.file): \(test.name)")
                } else {
                    failed += 1
                    print("FAIL \(test.location): \(test.name)")
                    if let error = result.error { print("  \(error)") } else { print(result.diff) }
                }
            }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 || passed == 0 { throw ExitCode(1) }
    }
}
