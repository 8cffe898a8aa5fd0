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
    private static let fileKeys: Set = ["patterns", "library", "year", "from", "until", "services", "tests"]
    private static let testKeys: Set = [
        "name", "patterns", "library", "input", "lines", "year", "from", "until", "services", "expect",
    ]

    /// Parses a rule-test file.
    ///
    /// - Parameters:
    ///   - text: The YAML.
    ///   - path: The file's path: locations name it, and relative paths resolve against its directory.
    ///   - currentYear: The year for syslog stamps when the file gives none.
    /// - Throws: ``ConfigErrors`` with every problem as `FILE:LINE:COLUMN: message`.
    public static func parse(_ text: String, path: String, currentYear: Int) throws(ConfigErrors) -> [RuleTest] {
        var errors: [ConfigError] = []
        func fail(_ node: Node?, _ message: String) {
            let mark = node?.mark
            errors.append(
                ConfigError(
                    location: SourceLocation(file: path, line: mark?.line ?? 1, column: mark?.column ?? 1),
                    message: message))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigErrors(errors: [
                ConfigError(
                    location: SourceLocation(file: path, line: 1, column: 1),
                    message: "not valid YAML: \(error)")
            ])
        }
        guard let top = root?.mapping else {
            throw ConfigErrors(errors: [
                ConfigError(
                    location: SourceLocation(file: path, line: 1, column: 1),
                    message: "expected a mapping with a 'tests' list")
            ])
        }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        func resolve(_ file: String) -> String { file.hasPrefix("/") || file == "-" ? file : directory + "/" + file }

        func strings(_ node: Node) -> [String] {
            if let scalar = node.scalar { return [scalar.string] }
            guard let sequence = node.sequence else {
                fail(node, "expected a string or a list of strings")
                return []
            }
            return sequence.compactMap { item in
                guard let scalar = item.scalar else {
                    fail(item, "expected a string")
                    return nil
                }
                return scalar.string
            }
        }
        func instant(_ node: Node) -> Instant? {
            guard let text = node.scalar?.string, let t = RFC3339.parse(text) else {
                fail(node, "expected an RFC 3339 time such as 2005-06-16T04:10:24Z")
                return nil
            }
            return t
        }
        func year(_ node: Node) -> Int? {
            guard let value = node.scalar.flatMap({ Int($0.string) }) else {
                fail(node, "expected a year such as 2005")
                return nil
            }
            return value
        }
        func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, in what: String) {
            for (key, _) in mapping {
                let name = key.scalar?.string ?? ""
                if !allowed.contains(name) {
                    fail(
                        key,
                        "unknown key '\(name)' in \(what); expected one of \(allowed.sorted().joined(separator: ", "))")
                }
            }
        }

        checkKeys(top, allowed: fileKeys, in: "a rule-test file")
        var defaults = ReplayOptions(year: currentYear)
        var defaultPatterns: [String] = []
        if let node = top["patterns"] { defaultPatterns = strings(node).map(resolve) }
        let defaultLibrary = top["library"].map { strings($0).map(resolve) } ?? []
        if let node = top["year"], let value = year(node) { defaults.year = value }
        if let node = top["from"] { defaults.from = instant(node) }
        if let node = top["until"] { defaults.until = instant(node) }
        if let node = top["services"] { defaults.services = strings(node) }

        var tests: [RuleTest] = []
        guard let list = top["tests"]?.sequence else {
            fail(top["tests"] ?? root, "expected 'tests:' with a list of tests")
            throw ConfigErrors(errors: errors)
        }
        for (index, node) in list.enumerated() {
            guard let test = node.mapping else {
                fail(node, "expected a test: a mapping with 'name', 'input' or 'lines', and 'expect'")
                continue
            }
            checkKeys(test, allowed: testKeys, in: "a test")
            var options = defaults
            if let node = test["year"], let value = year(node) { options.year = value }
            if let node = test["from"] { options.from = instant(node) }
            if let node = test["until"] { options.until = instant(node) }
            if let node = test["services"] { options.services = strings(node) }
            let patterns = test["patterns"].map { strings($0).map(resolve) } ?? defaultPatterns
            let library = test["library"].map { strings($0).map(resolve) } ?? defaultLibrary
            if patterns.isEmpty { fail(node, "no 'patterns' for this test or the file") }
            let inputs = test["input"].map { strings($0).map(resolve) } ?? []
            let lines = test["lines"]?.scalar?.string
            if inputs.isEmpty && lines == nil { fail(node, "a test needs 'input' files or inline 'lines'") }
            let expected = test["expect"].map(strings) ?? []
            if test["expect"] == nil { fail(node, "a test needs 'expect' (use 'expect: []' for no alerts)") }
            tests.append(
                RuleTest(
                    name: test["name"]?.scalar?.string ?? "test \(index + 1)", patterns: patterns, library: library,
                    inputs: inputs, lines: lines, options: options, expected: expected.map(normalized),
                    location: SourceLocation(file: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)))
        }
        if !errors.isEmpty { throw ConfigErrors(errors: errors) }
        return tests
    }

    /// Collapses runs of spaces so that hand-aligned expectations compare equal.
    private static func normalized(_ line: String) -> String {
        line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
