public import HeartlineRegex

/// One regex of a job as written in its pattern file, compiled.
public struct PatternSpec: Sendable {
    /// The compiled PCRE2 pattern.
    public var regex: CompiledRegex
    /// Where the pattern's scalar starts in the file.
    public var location: SourceLocation

    /// The pattern's source text.
    public var source: String { regex.pattern }

    /// Wraps a compiled pattern.
    public init(regex: CompiledRegex, location: SourceLocation) {
        self.regex = regex
        self.location = location
    }
}
