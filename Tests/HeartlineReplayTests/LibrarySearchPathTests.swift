import Foundation
import HeartlineCore
import HeartlineInput
import Testing

@testable import HeartlineReplay

struct LibrarySearchPathTests {
    @Test func namedDirectoriesComeFirstThenTheEnvironmentThenTheSystemDirectory() {
        let path = LibrarySearchPath.standard(
            named: ["./lib", "/opt/lib"], environment: ["HEARTLINE_LIBRARY": "/a::/b:"],
            executablePath: "/usr/bin/heartline")
        #expect(path.directories == ["./lib", "/opt/lib", "/a", "/b", "/usr/share/heartline/patterns"])
        #expect(path.named == ["./lib", "/opt/lib"])
    }

    @Test func aBinaryBuiltInASourceTreeSearchesItsPatternsBeforeTheSystemDirectory() {
        let path = LibrarySearchPath.standard(
            named: [], environment: [:],
            executablePath: "/src/heartline/.build/x86_64-unknown-linux-gnu/debug/heartline")
        #expect(path.directories == ["/src/heartline/Patterns", "/usr/share/heartline/patterns"])
    }

    @Test(
        arguments: [
            ("/src/heartline/.build/debug/heartline", "/src/heartline/Patterns"),
            ("/.build/release/heartline", "/Patterns"),
            ("/usr/local/bin/heartline", nil),
            ("relative/.build/debug/heartline", nil),
        ] as [(String, String?)])
    func theSourceTreeIsTheDirectoryAboveDotBuild(executable: String, patterns: String?) {
        #expect(LibrarySearchPath.sourceTreePatterns(executablePath: executable) == patterns)
    }

    @Test func prependingAddsNamedDirectoriesInFront() {
        let path = LibrarySearchPath(named: ["b"], defaults: ["c"]).prepending(["a"])
        #expect(path == LibrarySearchPath(named: ["a", "b"], defaults: ["c"]))
    }

    @Test func theLoaderResolvesExtendsThroughTheNamedLibrary() throws {
        let root = FixtureTests.root + "/fixtures/extends"
        let services = try ServiceLoader.load(
            [root + "/patterns"], library: LibrarySearchPath(named: [root + "/library"], defaults: ["/nonexistent"]))
        #expect(services.map(\.name) == ["as-shipped", "nas-backup"])
        #expect(services[1].jobs.map(\.name.template) == ["backup", "prune", "copy-offsite"])
    }

    @Test func aMissingNamedLibraryStopsTheLoader() throws {
        let root = FixtureTests.root + "/fixtures/extends"
        let error = try #require(throws: InputError.self) {
            try ServiceLoader.load([root + "/patterns"], library: LibrarySearchPath(named: ["/nonexistent/lib"]))
        }
        #expect(error.description == "/nonexistent/lib: no such pattern library directory")
    }

    @Test func ruleTestFilesNameTheirLibraryRelativeToThemselves() throws {
        let yaml = """
            patterns: patterns/
            library: library/
            tests:
              - name: file default
                lines: "x"
                expect: []
              - name: own list
                library: [lib-a, /abs/lib-b]
                lines: "x"
                expect: []
            """
        let tests = try RuleTestFile.parse(yaml, path: "fixtures/t/x.test.yaml", currentYear: 2024)
        #expect(tests.map(\.library) == [["fixtures/t/library/"], ["fixtures/t/lib-a", "/abs/lib-b"]])
    }
}
