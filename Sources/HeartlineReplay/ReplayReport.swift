/// What a replay read and skipped: the counted side of SPEC §6's "a counted, bounded skip".
public struct ReplayReport: Sendable, Hashable {
    /// Plain-file lines read, all files together.
    public var lines = 0
    /// Journal export entries read.
    public var journalEntries = 0
    /// Lines and entries that produced at least one job event.
    public var matched = 0
    /// Alerts emitted.
    public var alerts = 0
    /// Matching lines with no readable stamp that took the latest time of their input.
    public var unstamped = 0
    /// Lines skipped because no earlier line of their file had a time to lend them.
    public var untimed = 0
    /// Matching lines whose stamp went back in time against the latest stamp read in their input;
    /// taken at that latest time.
    public var backwards = 0
    /// Lines cut at the line-length limit.
    public var truncated = 0
    /// Match attempts abandoned at the PCRE2 match limit (a pattern backtracking badly).
    public var matchLimitHits = 0
    /// Journal export entries that could not be parsed and were skipped.
    public var malformedEntries = 0
    /// Inputs whose time went back by more than an hour, replayed as segments merged by time.
    public var inputsSplit = 0
    /// The segments those inputs were split into.
    public var segments = 0
    /// Lines (or journal messages) a field pattern needed that their service's `source.format`
    /// could not decode; their field patterns saw no fields, their regexes still matched.
    public var undecodable = 0

    /// Time per stage, when ``ReplayOptions/timeStages`` was set.
    public var stageTimes = StageTimes()

    /// Creates an empty report.
    public init() {}

    /// Warnings worth a line each on standard error; empty when nothing was skipped or cut.
    public var warnings: [String] {
        var out: [String] = []
        if untimed > 0 { out.append("\(untimed) lines had no readable timestamp before any stamped line; skipped") }
        if unstamped > 0 {
            out.append("\(unstamped) matching lines had no readable timestamp; took the time of the line before")
        }
        if backwards > 0 {
            out.append("\(backwards) matching lines went back in time; taken at the latest time before them")
        }
        if truncated > 0 { out.append("\(truncated) lines were longer than the line limit; truncated") }
        if matchLimitHits > 0 {
            out.append(
                "\(matchLimitHits) match attempts hit the PCRE2 match limit (a pattern backtracks badly); counted as no match"
            )
        }
        if inputsSplit > 0 {
            out.append(
                "\(inputsSplit) inputs went back in time by more than an hour; replayed as \(segments) segments merged by time")
        }
        if malformedEntries > 0 { out.append("\(malformedEntries) journal export entries were malformed; skipped") }
        if undecodable > 0 {
            out.append(
                "\(undecodable) lines were not valid in their service's format (JSON, logfmt) or too deep or long; "
                    + "their field patterns saw no fields")
        }
        return out
    }
}
