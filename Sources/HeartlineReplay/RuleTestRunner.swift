public import HeartlineInput

/// Runs rule tests (`heartline test`) and reports each as passed or failed with a diff.
public struct RuleTestRunner {
    /// The outcome of one test.
    public struct Result: Sendable {
        /// The test that ran.
        public var test: RuleTest
        /// The alerts the replay printed, as ``AlertFormatter/summary(_:)`` strings.
        public var actual: [String]
        /// Why the test could not run (bad pattern file, missing input), if it could not.
        public var error: String?

        /// Whether the replay ran and printed exactly the expected alerts.
        public var passed: Bool { error == nil && actual == test.expected }

        /// A unified-style diff of expected against actual (`-` expected only, `+` actual only).
        public var diff: String {
            LineDiff.lines(expected: test.expected, actual: actual).joined(separator: "\n")
        }
    }

    /// The library directories `extends:` searches after each test's own `library:`.
    public var library: LibrarySearchPath

    /// Creates a runner.
    ///
    /// - Parameter library: The search path for `extends:` after each test's `library:`; by default
    ///   none, so that a test finds only the library it names.
    public init(library: LibrarySearchPath = LibrarySearchPath()) {
        self.library = library
    }

    /// Runs one test. Never throws: problems become the result's ``Result/error``.
    public func run(_ test: RuleTest) -> Result {
        var actual: [String] = []
        do {
            let services = try ServiceLoader.load(test.patterns, library: library.prepending(test.library))
            let replay = try Replay(services: services, options: test.options)
            var inputs = test.inputs.map(ReplayInput.path)
            if let lines = test.lines { inputs.append(.text(name: "\(test.location) lines", lines)) }
            _ = try replay.run(inputs: inputs) { actual.append(AlertFormatter.summary($0)) }
            return Result(test: test, actual: actual, error: nil)
        } catch {
            return Result(test: test, actual: actual, error: "\(error)")
        }
    }

    /// Finds rule-test files: each path that is a file, and every `*.test.yaml` under each directory.
    public func discover(_ paths: [String]) throws(InputError) -> [String] {
        var files: [String] = []
        for path in paths {
            files += try TestFileFinder.find(path)
        }
        return files
    }
}
