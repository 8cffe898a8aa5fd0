public import HeartlineCore
import HeartlineInput
public import HeartlineRegex

/// The knobs of `heartline replay` (SPEC §3).
public struct ReplayOptions: Sendable {
    /// T0 and the first instant replayed; earlier lines are skipped. Default: the first input event.
    public var from: Instant?
    /// The last instant evaluated, inclusive; later lines are not read. Default: the last input event.
    public var until: Instant?
    /// The year of the first year-less syslog stamp in each file.
    public var year: Int
    /// `--service`: send all input to these services, whatever their source. Empty: route by source.
    public var services: [String]
    /// Whether to narrow patterns with the Vectorscan prefilter before PCRE2 (same alerts, faster).
    public var usePrefilter = true
    /// Where the compiled prefilter is kept between runs (see ``PrefilterCache``); nil compiles it
    /// every run. Only the start-up cost differs.
    public var prefilterCache: (any PrefilterCache)?
    /// Bytes read from an input at a time; alerts never depend on it (tests vary it to show that).
    var chunkSize = LineReader.defaultChunkSize
    /// Whether to measure time per stage (``ReplayReport/stageTimes``); costs a clock read per stage per line.
    public var timeStages = false

    /// Creates options.
    /// - Parameter year: The first syslog stamp's year; callers pass `--year` or the current year.
    public init(from: Instant? = nil, until: Instant? = nil, year: Int, services: [String] = []) {
        self.from = from
        self.until = until
        self.year = year
        self.services = services
    }
}
