public import HeartlineRegex

/// Classifies lines for jobs: which jobs a line is a success, failure, start or measure for.
///
/// Each job's patterns are tried in SPEC §1 precedence (failure, success, start, measure) and the
/// first kind that matches wins; the job's `ignore` patterns are tried only then, since a line
/// that matches nothing else cannot be ignored. Matching is on raw bytes with PCRE2 (see
/// ``CompiledRegex``); captures become strings only for dynamic job names and measured values.
///
/// With the prefilter on (the default), one Vectorscan scan per line (``MultiPatternPrefilter``)
/// names the patterns that may match, and PCRE2 runs only on those; a line no pattern can match
/// costs one scan. A pattern of fields alone is scanned for the text its fields require
/// (``FieldLiterals``: an equal value or a key, and any backslash); one that requires none is tried
/// on every line routed to its service. The results are the same either way; only the cost differs.
///
/// Not thread-safe: it owns PCRE2 and Vectorscan scratch space. Give each thread its own matcher.
public final class LineMatcher {
    /// The services whose jobs it matches, in evaluator order.
    public let services: [ServiceSpec]
    /// The prefilter over every pattern of every job, indexed like ``patterns``; nil when off.
    public let prefilter: MultiPatternPrefilter?
    /// Every pattern of every job, in service, job, then precedence order (ids for the prefilter).
    public let patterns: [PatternSpec]
    /// Match attempts abandoned at the PCRE2 match limit: lines where a pattern backtracked too much.
    /// Such an attempt counts as no match.
    public private(set) var limitExceeded = 0
    /// ``limitExceeded`` per pattern, indexed like ``patterns``.
    public private(set) var limitExceededByPattern: [Int]
    /// Measure lines whose `value` group or field did not hold a number; they count for nothing.
    public private(set) var unreadableMeasures = 0
    /// Lines a field pattern needed the fields of but that its service's `source.format` could not
    /// decode (not a JSON object under `json`, an unterminated quote under `logfmt`, too deep or too
    /// long), per service index; field patterns see no fields on such a line, regexes still match.
    public var undecodableLines: [Int] { fields.undecodable }

    private let regexes: [CompiledRegex?]
    /// Per prefilter id, the index into ``patterns`` of the regex or field literal it stands for;
    /// -1 for the backslash, which makes every literal-filtered pattern a candidate.
    private let patternOfPrefilterID: [Int32]
    /// Per pattern, the prefilter id of its regex; nil for a pattern of fields alone.
    let prefilterIDOfRegex: [Int?]
    /// Per pattern of fields alone, the texts the prefilter scans for (``FieldLiterals``), one of
    /// which a backslash-free line must hold for it; nil when it requires none (or has a regex).
    let literalsOfPattern: [[String]?]
    /// The jobs with a literal-filtered pattern, in order: the candidates of a line with a backslash.
    private let literalJobs: [Int]
    /// The scan generation of the last line with a backslash (every literal-filtered pattern is then
    /// a candidate).
    private var escapeGeneration: UInt32 = 0
    /// Per service, the jobs with a pattern of fields alone that requires no text: candidates for
    /// every routed line.
    let alwaysJobs: [[Int]]
    /// Field access for the record being matched, and the compiled field slots.
    private var fields: RecordFields
    private let fieldPlan: FieldPlan
    private let jobs: [JobPatterns]
    /// Each job's name, indexed like `jobs` (kept apart so that `jobs` holds plain integers).
    private let jobNames: [JobName]
    let jobsOfService: [Range<Int>]
    private let jobOfPattern: [Int]
    private let scanner: PrefilterScanner?
    /// ``scanner`` again, for the per-line path: `scanner` keeps it alive as long as `self`, and
    /// using it unretained spares a retain and release per line.
    private let unretainedScanner: Unmanaged<PrefilterScanner>?
    /// Whether only the prefilter's candidates are tried.
    private let filtering: Bool
    private let scratch: MatchScratch
    /// Per pattern and per job: the scan generation that last marked it a candidate.
    private var patternMark: [UInt32]
    private var jobMark: [UInt32]
    private var serviceMark: [UInt32]
    /// The jobs of the current line's candidates, each once.
    private var candidateJobs: [Int] = []
    private var generation: UInt32 = 0

    /// Prepares matching for `services`.
    ///
    /// - Parameters:
    ///   - services: The services, in the order ``JobEvent/service`` will index.
    ///   - usePrefilter: Whether to narrow the patterns with Vectorscan first (same results, faster).
    ///   - prefilterCache: Where the compiled prefilter is kept between runs; nil compiles it here.
    public init(services: [ServiceSpec], usePrefilter: Bool = true, prefilterCache: (any PrefilterCache)? = nil) {
        self.services = services
        var patterns: [PatternSpec] = []
        var jobs: [JobPatterns] = []
        var jobNames: [JobName] = []
        var jobsOfService: [Range<Int>] = []
        var jobOfPattern: [Int] = []
        for (serviceIndex, service) in services.enumerated() {
            let firstJob = jobs.count
            for (jobIndex, job) in service.jobs.enumerated() {
                func add(_ specs: [PatternSpec]) -> Range<Int> {
                    let start = patterns.count
                    patterns += specs
                    jobOfPattern += Array(repeating: jobs.count, count: specs.count)
                    return start..<patterns.count
                }
                jobNames.append(job.name)
                jobs.append(
                    JobPatterns(
                        service: serviceIndex, job: jobIndex,
                        failure: add(job.failure), success: add(job.success), start: add(job.start),
                        measure: add(job.measure.map { [$0] } ?? []), ignore: add(job.ignore)))
            }
            jobsOfService.append(firstJob..<jobs.count)
        }
        self.patterns = patterns
        self.regexes = patterns.map(\.regex)
        self.jobs = jobs
        self.jobNames = jobNames
        self.jobsOfService = jobsOfService
        self.jobOfPattern = jobOfPattern
        // The prefilter's ids: every regex first (`check` reports their modes), then the literals of
        // field-only patterns, then the backslash.
        var sources: [String] = []
        var owners: [Int32] = []
        var regexIDs: [Int?] = Array(repeating: nil, count: patterns.count)
        for (index, pattern) in patterns.enumerated() {
            guard let regex = pattern.regex else { continue }
            regexIDs[index] = sources.count
            sources.append(regex.pattern)
            owners.append(Int32(index))
        }
        let literals = patterns.map { $0.regex == nil ? FieldLiterals.required(by: $0) : nil }
        let neverSkipped = patterns.indices.map { patterns[$0].regex == nil && literals[$0] == nil }
        for (index, texts) in literals.enumerated() {
            for text in texts ?? [] {
                sources.append(FieldLiterals.pattern(text))
                owners.append(Int32(index))
            }
        }
        if literals.contains(where: { $0 != nil }) {
            sources.append(FieldLiterals.escape)
            owners.append(-1)
        }
        self.patternOfPrefilterID = owners
        self.prefilterIDOfRegex = regexIDs
        self.literalsOfPattern = literals
        // `ignore` patterns are tried only once a job has matched, so they never make it a candidate.
        self.literalJobs = jobs.indices.filter { job in
            let found = jobs[job]
            return [found.failure, found.success, found.start, found.measure].contains { range in
                range.contains { literals[$0] != nil }
            }
        }
        self.alwaysJobs = jobsOfService.map { range in
            range.filter { job in
                let found = jobs[job]
                return [found.failure, found.success, found.start, found.measure].contains { range in
                    range.contains { neverSkipped[$0] }
                }
            }
        }
        let plan = FieldPlan(
            services: services, patterns: patterns, serviceOfPattern: jobOfPattern.map { jobs[$0].service },
            jobs: jobs.map { ($0.service, $0.job) })
        self.fieldPlan = plan
        self.fields = RecordFields(plan: plan, serviceCount: services.count)
        self.prefilter =
            usePrefilter
            ? MultiPatternPrefilter(patterns: sources, cache: prefilterCache) : nil
        let scanner = prefilter?.makeScanner()
        self.scanner = scanner
        self.unretainedScanner = scanner.map { Unmanaged.passUnretained($0) }
        self.filtering = scanner != nil
        let fieldRegexes = patterns.flatMap(\.fields).flatMap(\.tests).compactMap { test -> CompiledRegex? in
            if case .regex(let regex) = test { return regex }
            return nil
        }
        self.scratch = MatchScratch(
            maxCaptures: (regexes.compactMap { $0?.captureCount } + fieldRegexes.map(\.captureCount)).max() ?? 0)
        self.patternMark = Array(repeating: 0, count: patterns.count)
        self.limitExceededByPattern = Array(repeating: 0, count: patterns.count)
        self.jobMark = Array(repeating: 0, count: jobs.count)
        self.serviceMark = Array(repeating: 0, count: services.count)
    }

    /// The service and job a pattern belongs to.
    ///
    /// - Parameter pattern: An index into ``patterns``.
    /// - Returns: Indices into ``services`` and into that service's `jobs`.
    public func owner(ofPattern pattern: Int) -> (service: Int, job: Int) {
        let job = jobs[jobOfPattern[pattern]]
        return (job.service, job.job)
    }

    /// A scanner for one input read in buffers, to pass with ``match(_:lookahead:services:into:)``'s
    /// lookahead: it keeps the scan of that input's current buffer, so inputs read in turn (replay
    /// merging several files) do not scan each other's buffers again. nil without a prefilter.
    public func makeBlockScanner() -> PrefilterScanner? {
        prefilter?.makeScanner()
    }

    /// Appends to `events` what `line` means for every job of the services at `serviceIndices`.
    ///
    /// - Parameters:
    ///   - line: The line's bytes, without its newline; any bytes, valid UTF-8 or not.
    ///   - lookahead: The buffer the line sits in, from its start on, that buffer's generation (see
    ///     ``PrefilterScanner/scan(_:within:generation:)``) and the input's scanner from
    ///     ``makeBlockScanner()``, so that the prefilter scans many lines at once; nil to scan the
    ///     line alone.
    ///   - serviceIndices: Indices into ``services`` of the services this line is routed to.
    ///   - events: Receives at most one event per job, in service then job order.
    public func match(
        _ line: UnsafeRawBufferPointer,
        lookahead: (buffer: UnsafeRawBufferPointer, generation: Int, scanner: PrefilterScanner)? = nil,
        services serviceIndices: [Int], into events: inout [JobEvent]
    ) {
        fields.begin(text: line, journal: nil)
        matchRecord(line, lookahead: lookahead, services: serviceIndices, into: &events)
    }

    /// Appends to `events` what one journal entry means for every job of the services at
    /// `serviceIndices`: regexes see its `MESSAGE`, field patterns its fields (journal field names)
    /// and the fields decoded from `MESSAGE` (other paths).
    ///
    /// - Parameters:
    ///   - batch: The entries; fields are read with ``JournalEntryBatch/withField(named:of:_:)``,
    ///     so a batch from the journal must have been read with a routing that copies
    ///     ``ServiceSpec/journalFieldNames``.
    ///   - entry: The entry's position in `batch`.
    ///   - serviceIndices: Indices into ``services`` of the services the entry is routed to.
    ///   - events: Receives at most one event per job, in service then job order.
    public func match<Batch: JournalEntryBatch>(
        journal batch: Batch, entry: Int, services serviceIndices: [Int], into events: inout [JobEvent]
    ) {
        batch.withMessage(of: entry) { message in
            let readsFields = serviceIndices.contains { fieldPlan.readsFields[$0] }
            if readsFields {
                fields.begin(text: message) { name in
                    batch.withField(named: name, of: entry) { $0.map { Array($0) } }
                }
            } else {
                fields.begin(text: message, journal: nil)
            }
            matchRecord(message, lookahead: nil, services: serviceIndices, into: &events)
        }
        fields.end()
    }

    private func matchRecord(
        _ line: UnsafeRawBufferPointer,
        lookahead: (buffer: UnsafeRawBufferPointer, generation: Int, scanner: PrefilterScanner)?,
        services serviceIndices: [Int], into events: inout [JobEvent]
    ) {
        guard let unretainedScanner else {
            for service in serviceIndices {
                for jobIndex in jobsOfService[service] { classify(jobIndex, line, into: &events) }
            }
            return
        }
        let candidates: UnsafeBufferPointer<Int32>
        if let lookahead {
            lookahead.scanner.scan(line, within: lookahead.buffer, generation: lookahead.generation)
            candidates = lookahead.scanner.candidates
        } else {
            candidates = unretainedScanner._withUnsafeGuaranteedRef { scanner in
                scanner.scan(line)
                return scanner.candidates
            }
        }
        if candidates.isEmpty {
            // Only field-only patterns that require no text can match: their jobs, in service then
            // job order already.
            for service in serviceIndices {
                for job in alwaysJobs[service] { classify(job, line, into: &events) }
            }
            return
        }
        generation &+= 1
        if generation == 0 { resetMarks() }
        // Visit only the candidates' jobs, not every job of every routed service: with hundreds of
        // jobs, walking them all per candidate line would cost more than the scan.
        candidateJobs.removeAll(keepingCapacity: true)
        for id in candidates {
            let owner = Int(patternOfPrefilterID[Int(id)])
            guard owner >= 0 else {
                // A backslash: an escape may hide any literal, so every literal-filtered job is tried.
                escapeGeneration = generation
                for job in literalJobs where jobMark[job] != generation {
                    jobMark[job] = generation
                    candidateJobs.append(job)
                }
                continue
            }
            let pattern = owner
            patternMark[pattern] = generation
            let job = jobOfPattern[pattern]
            if jobMark[job] != generation {
                jobMark[job] = generation
                candidateJobs.append(job)
            }
        }
        for service in serviceIndices {
            serviceMark[service] = generation
            for job in alwaysJobs[service] where jobMark[job] != generation {
                jobMark[job] = generation
                candidateJobs.append(job)
            }
        }
        // Job indices run in service then job order, the order events must come in.
        if candidateJobs.count > 1 { candidateJobs.sort() }
        for index in candidateJobs.indices {
            let job = candidateJobs[index]
            if serviceMark[jobs[job].service] == generation { classify(job, line, into: &events) }
        }
    }

    private func classify(_ jobIndex: Int, _ line: UnsafeRawBufferPointer, into events: inout [JobEvent]) {
        let job = jobs[jobIndex]
        let kind: JobEvent.Kind
        let matched: Int
        if let id = firstMatch(job.failure, line) {
            (kind, matched) = (.failure, id)
        } else if let id = firstMatch(job.success, line) {
            (kind, matched) = (.success, id)
        } else if let id = firstMatch(job.start, line) {
            (kind, matched) = (.start, id)
        } else if let id = firstMatch(job.measure, line) {
            guard let value = measuredValue(id, line) else {
                unreadableMeasures += 1
                return
            }
            (kind, matched) = (.measure(value), id)
        } else {
            return
        }
        let name = jobNames[jobIndex]
        let instance: String
        if name.isDynamic {
            guard let filled = instanceName(name, matched, line) else { return }
            instance = filled
        } else {
            instance = name.template
        }
        // Read before the ignore patterns run: they reuse the scratch space holding the captures.
        let runKey = fieldPlan.runKeys[jobIndex].flatMap { namedValue($0, pattern: matched, line) }
        if firstMatch(job.ignore, line) != nil { return }
        events.append(JobEvent(service: job.service, job: job.job, instance: instance, kind: kind, runKey: runKey))
    }

    /// The first pattern in `ids` that matches, trying only the prefilter's candidates.
    private func firstMatch(_ ids: Range<Int>, _ line: UnsafeRawBufferPointer) -> Int? {
        for id in ids {
            if let regex = regexes[id] {
                if filtering && patternMark[id] != generation { continue }
                switch regex.match(line, scratch: scratch) {
                case .matched: break
                case .noMatch: continue
                case .limitExceeded:
                    limitExceeded += 1
                    limitExceededByPattern[id] += 1
                    continue
                }
            } else if filtering, literalsOfPattern[id] != nil, patternMark[id] != generation,
                escapeGeneration != generation
            {
                continue
            }
            if fieldPlan.conditionRanges[id].isEmpty || fieldsHold(id) { return id }
        }
        return nil
    }

    /// Whether every field condition of pattern `id` holds on the current record. Field regexes
    /// reuse the scratch space, so a pattern's own regex captures must be read before: they are
    /// read only after the whole pattern matched, and patterns with both re-run their regex then.
    private func fieldsHold(_ id: Int) -> Bool {
        let service = jobs[jobOfPattern[id]].service
        if !fields.conditionsHold(ofPattern: id, service: service, scratch: scratch) { return false }
        // A field regex overwrote the captures of the pattern's own regex: match it again.
        if fieldPlan.hasFieldRegex[id], let regex = regexes[id] { _ = regex.match(currentLine, scratch: scratch) }
        return true
    }

    private var currentLine: UnsafeRawBufferPointer { fields.text }

    // MARK: For the probe facet (`heartline match`)

    func jobPatterns(_ index: Int) -> JobPatterns { jobs[index] }
    func beginRecord(text: UnsafeRawBufferPointer, journal: ((String) -> [UInt8]?)?) {
        fields.begin(text: text, journal: journal)
    }
    func endRecord() { fields.end() }
    func patternRegex(_ id: Int) -> CompiledRegex? { regexes[id] }
    var matchScratch: MatchScratch { scratch }
    func patternFieldsHold(_ id: Int) -> Bool { fieldPlan.conditionRanges[id].isEmpty || fieldsHold(id) }
    func patternMeasuredValue(_ id: Int, _ line: UnsafeRawBufferPointer) -> Double? {
        let job = jobs[jobOfPattern[id]]
        guard job.measure.contains(id) else { return nil }
        return measuredValue(id, line)
    }

    private func resetMarks() {
        for index in patternMark.indices { patternMark[index] = 0 }
        for index in jobMark.indices { jobMark[index] = 0 }
        for index in serviceMark.indices { serviceMark[index] = 0 }
        generation = 1
        escapeGeneration = 0
    }

    /// Reads the number of the measure pattern that just matched: its `value` field, or its regex's
    /// named group `value`.
    private func measuredValue(_ id: Int, _ line: UnsafeRawBufferPointer) -> Double? {
        if let slot = fieldPlan.valueSlots[id] {
            return fields.number(slot: slot, service: jobs[jobOfPattern[id]].service)
        }
        guard let regex = regexes[id], let group = regex.namedGroups["value"],
            let range = regex.captureRange(group, in: scratch)
        else {
            return nil
        }
        return Double(String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self))
    }

    /// Fills a dynamic job's placeholders from the pattern that just matched, or nil when a
    /// placeholder has neither a group in its regex nor a field on the line (the line then does not
    /// count for the job). The parser has checked that plain regexes have each placeholder's group.
    private func instanceName(_ name: JobName, _ pattern: Int, _ line: UnsafeRawBufferPointer) -> String? {
        var values: [String: String] = [:]
        for group in name.captureNames {
            if let regex = regexes[pattern], let number = regex.namedGroups[group] {
                if let range = regex.captureRange(number, in: scratch) {
                    values[group] = String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self)
                }
                continue
            }
            guard let value = namedValue(group, pattern: pattern, line) else { return nil }
            values[group] = value
        }
        return name.instanceName(values)
    }

    /// A value named `name` for the pattern that just matched: its regex's named group when it has
    /// one (nil when the group took no part), otherwise the record's field of that path.
    private func namedValue(_ name: String, pattern: Int, _ line: UnsafeRawBufferPointer) -> String? {
        if let regex = regexes[pattern], let number = regex.namedGroups[name] {
            return regex.captureRange(number, in: scratch).map {
                String(decoding: UnsafeRawBufferPointer(rebasing: line[$0]), as: UTF8.self)
            }
        }
        guard let slot = fieldPlan.slot(of: name) else { return nil }
        return fields.value(slot: slot, service: jobs[jobOfPattern[pattern]].service)?.text
    }
}

extension LineMatcher {
    /// One job's patterns as id ranges into the flat pattern list.
    struct JobPatterns {
        let service: Int
        let job: Int
        let failure: Range<Int>
        let success: Range<Int>
        let start: Range<Int>
        let measure: Range<Int>
        let ignore: Range<Int>
    }
}
