/// The name of a field: a top-level key, or a dotted walk into nested JSON objects (`error.code`).
///
/// A path addresses a field in this order:
/// 1. a top-level JSON key, logfmt key or journal field whose name is the whole path text, dots
///    included (`{"a.b": 1}` for `a.b`);
/// 2. otherwise, in JSON only, the walk through nested objects by ``components`` (`{"a": {"b": 1}}`).
///
/// When a line has both, the top-level key wins wherever it appears. A key with a dot below the top
/// level (`{"x": {"a.b": 1}}`) cannot be addressed. Paths do not index arrays: an array is one
/// composite value at its key's path. Logfmt keys are flat, so only rule 1 applies to them.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    /// The keys to walk through, outermost first; never empty. An empty component stands for an
    /// empty key (`{"": 1}`).
    public let components: [String]

    /// Parses a dotted path: `error.code` has the components `error` and `code`.
    ///
    /// - Parameter text: The path as written in a pattern file; it is split at every `.`.
    public init(_ text: String) {
        components = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// Makes a path from its keys as they are, without splitting them at dots.
    ///
    /// `FieldPath(components: ["a.b"])` addresses only the top-level key `a.b`, while
    /// `FieldPath("a.b")` addresses that key or the walk `a` then `b`.
    ///
    /// - Parameter components: The keys, outermost first; at least one.
    public init(components: [String]) {
        precondition(!components.isEmpty, "a field path has at least one key")
        self.components = components
    }

    /// The components joined with `.`: the text of a top-level key that this path addresses.
    public var description: String { components.joined(separator: ".") }
}
