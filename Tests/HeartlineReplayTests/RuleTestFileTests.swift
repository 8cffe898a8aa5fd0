import HeartlineCore
import Testing

@testable import HeartlineReplay

struct RuleTestFileTests {
    /// Every error of a rule-test file, as `heartline test` prints them.
    static func errors(_ text: String) -> [String] {
        do {
            _ = try RuleTestFile.parse(text, path: "t/bad.test.yaml", currentYear: 2024)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aGoodFileGivesItsTestsWithTheFileDefaultsAndPathsFromItsDirectory() throws {
        let tests = try RuleTestFile.parse(
            """
            patterns: p.yaml
            year: 2005
            from: 2005-06-16T00:00:00Z
            tests:
              - lines: "Jun 16 04:10:24 host x"
                expect: ["2005-06-16T04:10:24Z   firing  svc/job   failing"]
              - name: own
                input: [a.log, /abs/b.log, "-"]
                until: 2005-06-17T00:00:00+02:00
                services: svc
                expect: []
            """, path: "t/good.test.yaml", currentYear: 2024)
        #expect(tests.map(\.name) == ["test 1", "own"])
        #expect(tests.map(\.patterns) == [["t/p.yaml"], ["t/p.yaml"]])
        #expect(tests[0].expected == ["2005-06-16T04:10:24Z firing svc/job failing"])
        #expect(tests[0].lines == "Jun 16 04:10:24 host x")
        #expect(tests[0].options.year == 2005)
        #expect(tests[1].inputs == ["t/a.log", "/abs/b.log", "-"])
        #expect(tests[1].options.from == RFC3339.parse("2005-06-16T00:00:00Z"))
        #expect(tests[1].options.until == RFC3339.parse("2005-06-16T22:00:00Z"))
        #expect(tests[1].options.services == ["svc"])
        #expect(tests[1].location == SourceLocation(file: "t/good.test.yaml", line: 7, column: 5))
    }

    @Test func anUnknownKeyIsReportedWithTheKeyItIsClosestTo() {
        let errors = Self.errors(
            """
            patterns: p.yaml
            tests:
              - name: a
                lines: x
                expect: []
                untill: 2005-06-17T00:00:00Z
            """)
        #expect(errors == ["t/bad.test.yaml:6:5: unknown key 'untill' in a test; did you mean 'until'?"])
    }

    @Test func aTimeThatIsNotRFC3339IsReportedAtTheValue() {
        let errors = Self.errors(
            """
            patterns: p.yaml
            from: June 16 2005
            tests: []
            """)
        #expect(
            errors == [
                "t/bad.test.yaml:2:7: expected an RFC 3339 time for 'from', such as 2005-06-16T04:10:24Z,"
                    + " not 'June 16 2005'"
            ])
    }

    @Test(arguments: [
        (
            "until: 2500-01-01T00:00:00Z",
            "t/bad.test.yaml:2:8: 'until' is out of range: Heartline's times end at 2262-04-11T23:47:16Z"
        ),
        (
            "from: 1600-01-01T00:00:00Z",
            "t/bad.test.yaml:2:7: 'from' is out of range: Heartline's times begin at 1677-09-21T00:12:44Z"
        ),
    ])
    func aTimeOutsideHeartlinesRangeIsReportedAsOutOfRange(_ line: String, _ expected: String) {
        #expect(Self.errors("patterns: p.yaml\n\(line)\ntests: []\n") == [expected])
    }

    @Test func aTestWithoutExpectIsReportedAtTheTest() {
        let errors = Self.errors(
            """
            patterns: p.yaml
            tests:
              - name: a
                lines: x
            """)
        #expect(errors == ["t/bad.test.yaml:3:5: a test needs 'expect' (use 'expect: []' for no alerts)"])
    }

    @Test func aYAMLSyntaxErrorIsReportedAtItsMarkWithTheTabHint() {
        let errors = Self.errors("tests:\n  - name: a\n\tlines: x\n")
        #expect(
            errors == [
                "t/bad.test.yaml:3:1: invalid YAML: found a tab character that violates indentation while scanning"
                    + " a plain scalar that starts at line 2, column 11; indent with spaces, YAML does not allow tabs"
            ])
    }

    @Test(arguments: [
        (
            "tests: []\n---\n",
            "2:1: a rule-test file holds one YAML document; remove the '---' here or split the file"
        ),
        ("year: 20x5\ntests: []\n", "1:7: expected a year like 2005 for 'year', not '20x5'"),
        ("tests: nothing\n", "1:8: expected a list of tests for 'tests', each starting with '- name:'"),
        (
            "patterns: p.yaml\ntests:\n  - expect: {}\n    lines: x\n",
            "3:13: expected a string or a list of strings for 'expect'"
        ),
        ("patterns: [p.yaml, [q.yaml]]\ntests: []\n", "1:20: expected a string in 'patterns'"),
    ])
    func aValueOfTheWrongKindIsReportedAtTheValue(text: String, expected: String) {
        #expect(Self.errors(text) == ["t/bad.test.yaml:" + expected])
    }
}
