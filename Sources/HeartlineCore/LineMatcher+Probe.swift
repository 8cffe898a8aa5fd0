public import HeartlineRegex

extension LineMatcher {
    /// What one pattern, tried alone, says about a record (for `heartline match`).
    public struct PatternProbe: Sendable, Hashable {
        /// Whether the pattern's regex and field conditions all hold; `.limitExceeded` when its
        /// regex hit PCRE2's match limit.
        public var result: MatchResult
        /// For a matching `measure` pattern, the number it reads, or nil when it holds none.
        public var value: Double?
    }

    /// How the prefilter takes one pattern (for `heartline check`).
    public enum PrefilterTake: Hashable, Sendable {
        /// A regex, in the mode Vectorscan compiled it in.
        case regex(MultiPatternPrefilter.Mode)
        /// A pattern of fields alone, tried only on lines holding one of these texts or a backslash
        /// (``FieldLiterals``).
        case fieldText([String])
        /// A pattern of fields alone that requires no text: tried on every line of its service.
        case everyLine
    }

    /// How the prefilter takes pattern `id`; nil when the prefilter is off.
    ///
    /// - Parameter id: An index into ``patterns``.
    public func prefilterTake(ofPattern id: Int) -> PrefilterTake? {
        guard let prefilter else { return nil }
        if let regexID = prefilterIDOfRegex[id] { return .regex(prefilter.modes[regexID]) }
        return literalsOfPattern[id].map { .fieldText($0) } ?? .everyLine
    }

    /// Whether a job of any of these services has a pattern of fields alone that requires no text,
    /// which the prefilter cannot see: every line routed to them must then be matched, none passed
    /// over by the prefilter's next hit (``PrefilterScanner/nextHitEnd(atOrAfter:)``).
    ///
    /// - Parameter serviceIndices: Indices into ``services``.
    public func triesEveryLine(of serviceIndices: [Int]) -> Bool {
        serviceIndices.contains { !alwaysJobs[$0].isEmpty }
    }

    /// The ids (indices into ``patterns``) of one job's patterns by kind.
    ///
    /// - Parameters:
    ///   - service: An index into ``services``.
    ///   - job: An index into that service's `jobs`.
    /// - Returns: Id ranges of the job's failure, success, start, measure and ignore patterns, each
    ///   in the order they are written.
    public func patternIDs(service: Int, job: Int) -> (
        failure: Range<Int>, success: Range<Int>, start: Range<Int>, measure: Range<Int>, ignore: Range<Int>
    ) {
        let index = jobsOfService[service].lowerBound + job
        let found = jobPatterns(index)
        return (found.failure, found.success, found.start, found.measure, found.ignore)
    }

    /// Tries each of `ids` alone on a plain line, without the prefilter.
    ///
    /// - Parameters:
    ///   - line: The line's bytes, without its newline.
    ///   - ids: Indices into ``patterns``.
    /// - Returns: One probe per id, in order.
    public func probe(_ line: UnsafeRawBufferPointer, patterns ids: [Int]) -> [PatternProbe] {
        beginRecord(text: line, journal: nil)
        return ids.map { tryPattern($0, line) }
    }

    /// Tries each of `ids` alone on a journal entry (its `MESSAGE` and fields), without the prefilter.
    ///
    /// - Parameters:
    ///   - batch: The entries.
    ///   - entry: The entry's position in `batch`.
    ///   - ids: Indices into ``patterns``.
    /// - Returns: One probe per id, in order.
    public func probe<Batch: JournalEntryBatch>(journal batch: Batch, entry: Int, patterns ids: [Int])
        -> [PatternProbe]
    {
        batch.withMessage(of: entry) { message in
            beginRecord(text: message) { name in batch.withField(named: name, of: entry) { $0.map { Array($0) } } }
            defer { endRecord() }
            return ids.map { tryPattern($0, message) }
        }
    }

    private func tryPattern(_ id: Int, _ line: UnsafeRawBufferPointer) -> PatternProbe {
        if let regex = patternRegex(id) {
            let result = regex.match(line, scratch: matchScratch)
            guard case .matched = result else { return PatternProbe(result: result, value: nil) }
        }
        guard patternFieldsHold(id) else { return PatternProbe(result: .noMatch, value: nil) }
        return PatternProbe(result: .matched, value: patternMeasuredValue(id, line))
    }
}
