/// Reads a plain-file line's own time with the `timestamp:` settings of the services it goes to:
/// the one time reader of replay and the daemon.
///
/// Settings are tried in order and the first that reads a stamp wins. What differs between the
/// drivers is only the year rule of year-less stamps (``SyslogYearRule``): replay's `--year` and
/// Dec → Jan roll (SPEC §3), the daemon's nearest-to-now (SPEC §4).
public struct StampReader: Sendable {
    private var parsers: [TimestampParser]

    /// Prepares the parsers.
    ///
    /// - Parameters:
    ///   - specs: The settings, in the order they are tried (``RecordRouter/stampSpecs(for:)``).
    ///   - yearRule: How year-less stamps get their year.
    /// - Throws: `TimestampError` for a strftime pattern that cannot be read (pattern files are
    ///   checked when loaded, so only hand-built settings fail).
    public init(specs: [TimestampSpec], yearRule: SyslogYearRule) throws(TimestampError) {
        var parsers: [TimestampParser] = []
        for spec in specs { parsers.append(try TimestampParser(spec: spec, yearRule: yearRule)) }
        self.parsers = parsers
    }

    /// A reader with no settings: every line is without a stamp.
    public init() {
        parsers = []
    }

    /// Whether there is no setting to read with: every line is then without a stamp.
    public var isEmpty: Bool { parsers.isEmpty }

    /// The line's own time, or nil when no setting reads a stamp in it.
    ///
    /// - Parameter line: The line's bytes, without its newline.
    public mutating func stamp(_ line: UnsafeRawBufferPointer) -> Instant? {
        for index in parsers.indices {
            if let t = parsers[index].parse(line) { return t }
        }
        return nil
    }

    /// Moves the daemon's nearest-to-now year rule on to `now`; does nothing under replay's rule.
    public mutating func advance(now: Instant) {
        for index in parsers.indices { parsers[index].advance(now: now) }
    }
}
