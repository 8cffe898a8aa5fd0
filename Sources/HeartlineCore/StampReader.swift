/// Reads a plain-file line's own time with the `timestamp:` settings of the services it goes to:
/// the one time reader of replay and the daemon.
///
/// Settings are tried in order and the first that reads a stamp wins. What differs between the
/// drivers is only the year rule of year-less stamps (``SyslogYearRule``): replay's `--year` and
/// Dec → Jan roll (SPEC §3), the daemon's nearest-to-now (SPEC §4).
///
/// A setting with `field:` decodes the line by its service's `source.format` (``FieldDecoder``) and
/// reads the stamp from that field's value; a line without the field has no stamp by that setting.
public struct StampReader: Sendable {
    private var parsers: [TimestampParser]
    /// Per parser, the decoder of its `field:`, or nil to read the line itself.
    private var fields: [FieldStamp?]

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
        self.fields = specs.map { spec in
            spec.field.map { FieldStamp(decoder: FieldDecoder(paths: [FieldPath($0)]), format: spec.fieldFormat) }
        }
    }

    /// A reader with no settings: every line is without a stamp.
    public init() {
        parsers = []
        fields = []
    }

    /// Whether there is no setting to read with: every line is then without a stamp.
    public var isEmpty: Bool { parsers.isEmpty }

    /// The line's own time, or nil when no setting reads a stamp in it.
    ///
    /// - Parameter line: The line's bytes, without its newline.
    public mutating func stamp(_ line: UnsafeRawBufferPointer) -> Instant? {
        for index in parsers.indices {
            if fields[index] != nil {
                guard var text = fields[index]!.value(of: line) else { continue }
                if let t = text.withUTF8({ parsers[index].parse(UnsafeRawBufferPointer($0)) }) { return t }
            } else if let t = parsers[index].parse(line) {
                return t
            }
        }
        return nil
    }

    /// Moves the daemon's nearest-to-now year rule on to `now`; does nothing under replay's rule.
    public mutating func advance(now: Instant) {
        for index in parsers.indices { parsers[index].advance(now: now) }
    }
}

extension StampReader {
    /// The decoder of one `field:` setting.
    private struct FieldStamp: Sendable {
        var decoder: FieldDecoder
        let format: LineFormat

        /// The field's text on `line`, or nil when the line does not decode or lacks the field.
        mutating func value(of line: UnsafeRawBufferPointer) -> String? {
            guard decoder.decode(line, format: format).isDecoded else { return nil }
            return decoder.value(at: 0)?.text
        }
    }
}
