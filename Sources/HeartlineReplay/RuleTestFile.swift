public import HeartlineCore
import Yams

/// Reads a rule-test file (`*.test.yaml`), the format `heartline test` runs.
///
/// ```yaml
/// patterns: patterns/          # file or directory (or a list), relative to this file
/// library: library/            # directories for `extends:` (or a list), relative to this file
/// year: 2005                   # defaults for every test: patterns, library, year, from, until, services
/// tests:
///   - name: logrotate fails twice
///     input: [Linux_2k.log]    # files relative to this file
///     lines: |                 # and/or inline lines
///       Jun 16 04:10:24 host logrotate: ALERT exited abnormally
///     expect:
///       - 2005-06-16T04:10:24Z firing cron-daily/logrotate failing
/// ```
public enum RuleTestFile {
    private static let fileKeys = ["patterns", "library", "year", "from", "until", "services", "tests"]
    private static let testKeys = [
        "name", "patterns", "library", "input", "lines", "year", "from", "until", "services", "expect",
    ]

    /// Parses a rule-test file.
    ///
    /// Every problem is reported as pattern files' are: YAML syntax errors where libyaml finds them,
    /// unknown keys with the valid key they are closest to, a value of the wrong kind at the value.
    ///
    /// - Parameters:
    ///   - text: The YAML.
    ///   - path: The file's path: locations name it, and relative paths resolve against its directory.
    ///   - currentYear: The year for syslog stamps when the file gives none.
    /// - Throws: ``ConfigErrors`` with every problem as `FILE:LINE:COLUMN: message`.
    public static func parse(_ text: String, path: String, currentYear: Int) throws(ConfigErrors) -> [RuleTest] {
        var reader = YAMLReader(text: text, path: path, kind: "a rule-test file")
        guard let root = reader.compose() else { throw ConfigErrors(errors: reader.errors) }
        guard case .mapping(let mapping) = root else {
            reader.report("expected a mapping with a 'tests' list", at: root)
            throw ConfigErrors(errors: reader.errors)
        }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let resolve = { (file: String) in file.hasPrefix("/") || file == "-" ? file : directory + "/" + file }
        let top = reader.entries(of: mapping, in: "at the top of a rule-test file", allowed: fileKeys)
        let defaults = settings(top, over: Settings(options: ReplayOptions(year: currentYear)), resolve, &reader)
        let needsTests = "a rule-test file needs 'tests:', a list of tests such as '- name: nightly backup'"
        guard let list = reader.required("tests", in: top, needsTests, at: root) else {
            throw ConfigErrors(errors: reader.errors)
        }
        guard case .sequence(let items) = list.value else {
            reader.report("expected a list of tests for 'tests', each starting with '- name:'", at: list.value)
            throw ConfigErrors(errors: reader.errors)
        }
        var tests: [RuleTest] = []
        for (index, node) in items.enumerated() {
            guard case .mapping(let mapping) = node else {
                reader.report("expected a test: a mapping with 'name', 'input' or 'lines', and 'expect'", at: node)
                continue
            }
            let test = reader.entries(of: mapping, in: "in a test", allowed: testKeys)
            let own = settings(test, over: defaults, resolve, &reader)
            if own.patterns.isEmpty { reader.report("no 'patterns' for this test or the file", at: node) }
            let inputs = test["input"].map { reader.strings($0).map(resolve) } ?? []
            let lines = test["lines"].flatMap { reader.string($0) }
            if inputs.isEmpty && test["lines"] == nil {
                reader.report("a test needs 'input' files or inline 'lines'", at: node)
            }
            let needsExpect = "a test needs 'expect' (use 'expect: []' for no alerts)"
            let expected = reader.required("expect", in: test, needsExpect, at: node).map { reader.strings($0) }
            let name = test["name"].flatMap { reader.string($0) } ?? "test \(index + 1)"
            tests.append(
                RuleTest(
                    name: name, patterns: own.patterns, library: own.library, inputs: inputs, lines: lines,
                    options: own.options, expected: (expected ?? []).map(normalized),
                    location: reader.location(of: node)))
        }
        if !reader.errors.isEmpty { throw ConfigErrors(errors: reader.errors) }
        return tests
    }

    /// What the file gives every test, and a test may override.
    private struct Settings {
        var patterns: [String] = []
        var library: [String] = []
        var options: ReplayOptions
    }

    /// `base` with the keys of `entries` that the file and a test share applied over it.
    private static func settings(
        _ entries: [String: YAMLReader.Entry], over base: Settings, _ resolve: (String) -> String,
        _ reader: inout YAMLReader
    ) -> Settings {
        var settings = base
        if let entry = entries["patterns"] { settings.patterns = reader.strings(entry).map(resolve) }
        if let entry = entries["library"] { settings.library = reader.strings(entry).map(resolve) }
        if let entry = entries["year"], let year = reader.integer(entry, in: 1...9999, expected: "a year like 2005") {
            settings.options.year = year
        }
        if let entry = entries["from"] { settings.options.from = reader.instant(entry) }
        if let entry = entries["until"] { settings.options.until = reader.instant(entry) }
        if let entry = entries["services"] { settings.options.services = reader.strings(entry) }
        return settings
    }

    /// Collapses runs of spaces so that hand-aligned expectations compare equal.
    private static func normalized(_ line: String) -> String {
        line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
