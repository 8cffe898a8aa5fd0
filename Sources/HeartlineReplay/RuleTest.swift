public import HeartlineCore

/// One rule test: pattern files, input, and the alerts a replay must print (see README, "Rule tests").
///
/// In the spirit of `promtool test rules`: the input is replayed exactly as `heartline replay`
/// would, and the alerts must equal `expected`, in order.
public struct RuleTest: Sendable {
    /// The test's name, for reports.
    public var name: String
    /// Pattern files or directories, resolved against the test file's directory.
    public var patterns: [String]
    /// Pattern library directories for `extends:`, resolved against the test file's directory and
    /// searched before those of the runner.
    public var library: [String]
    /// Input log files, resolved against the test file's directory.
    public var inputs: [String]
    /// Inline input lines, replayed as one more input after the files.
    public var lines: String?
    /// Replay options (`from`, `until`, `year`, `services`).
    public var options: ReplayOptions
    /// Expected alerts as ``AlertFormatter/summary(_:)`` strings: `AT STATUS SERVICE/JOB CONDITION`.
    public var expected: [String]
    /// Where the test starts in its file.
    public var location: SourceLocation

    /// Creates a test.
    public init(
        name: String, patterns: [String], library: [String] = [], inputs: [String], lines: String?,
        options: ReplayOptions, expected: [String], location: SourceLocation
    ) {
        self.name = name
        self.patterns = patterns
        self.library = library
        self.inputs = inputs
        self.lines = lines
        self.options = options
        self.expected = expected
        self.location = location
    }
}
