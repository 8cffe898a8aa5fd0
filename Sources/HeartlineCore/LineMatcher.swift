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
/// costs one scan. The results are the same either way; only the cost differs.
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
    /// Measure lines whose `value` group did not hold a number; they count for nothing.
    public private(set) var unreadableMeasures = 0

    private let regexes: [CompiledRegex]
    private let jobs: [JobPatterns]
    /// Each job's name, indexed like `jobs` (kept apart so that `jobs` holds plain integers).
    private let jobNames: [JobName]
    private let jobsOfService: [Range<Int>]
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
        self.prefilter =
            usePrefilter
            ? MultiPatternPrefilter(patterns: patterns.map(\.source), cache: prefilterCache) : nil
        let scanner = prefilter?.makeScanner()
        self.scanner = scanner
        self.unretainedScanner = scanner.map { Unmanaged.passUnretained($0) }
        self.filtering = scanner != nil
        self.scratch = MatchScratch(maxCaptures: regexes.map(\.captureCount).max() ?? 0)
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
        if candidates.isEmpty { return }
        generation &+= 1
        if generation == 0 { resetMarks() }
        // Visit only the candidates' jobs, not every job of every routed service: with hundreds of
        // jobs, walking them all per candidate line would cost more than the scan.
        candidateJobs.removeAll(keepingCapacity: true)
        for id in candidates {
            patternMark[Int(id)] = generation
            let job = jobOfPattern[Int(id)]
            if jobMark[job] != generation {
                jobMark[job] = generation
                candidateJobs.append(job)
            }
        }
        // Job indices run in service then job order, the order events must come in.
        if candidateJobs.count > 1 { candidateJobs.sort() }
        for service in serviceIndices { serviceMark[service] = generation }
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
            guard let value = measuredValue(regexes[id], line) else {
                unreadableMeasures += 1
                return
            }
            (kind, matched) = (.measure(value), id)
        } else {
            return
        }
        let name = jobNames[jobIndex]
        let instance = name.isDynamic ? instanceName(name, regexes[matched], line) : name.template
        if firstMatch(job.ignore, line) != nil { return }
        events.append(JobEvent(service: job.service, job: job.job, instance: instance, kind: kind))
    }

    /// The first pattern in `ids` that matches, trying only the prefilter's candidates.
    private func firstMatch(_ ids: Range<Int>, _ line: UnsafeRawBufferPointer) -> Int? {
        for id in ids where !filtering || patternMark[id] == generation {
            switch regexes[id].match(line, scratch: scratch) {
            case .matched: return id
            case .noMatch: continue
            case .limitExceeded:
                limitExceeded += 1
                limitExceededByPattern[id] += 1
            }
        }
        return nil
    }

    private func resetMarks() {
        for index in patternMark.indices { patternMark[index] = 0 }
        for index in jobMark.indices { jobMark[index] = 0 }
        for index in serviceMark.indices { serviceMark[index] = 0 }
        generation = 1
    }

    /// Reads the named group `value` of the measure pattern that just matched.
    private func measuredValue(_ regex: CompiledRegex, _ line: UnsafeRawBufferPointer) -> Double? {
        guard let group = regex.namedGroups["value"], let range = regex.captureRange(group, in: scratch) else {
            return nil
        }
        return Double(String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self))
    }

    /// Fills a dynamic job's placeholders from the pattern that just matched. The parser has
    /// checked that every pattern of a dynamic job has each placeholder's group.
    private func instanceName(_ name: JobName, _ regex: CompiledRegex, _ line: UnsafeRawBufferPointer) -> String {
        var values: [String: String] = [:]
        for group in name.captureNames {
            guard let number = regex.namedGroups[group], let range = regex.captureRange(number, in: scratch) else {
                continue
            }
            values[group] = String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self)
        }
        return name.instanceName(values)
    }
}

extension LineMatcher {
    /// One job's patterns as id ranges into the flat pattern list.
    private struct JobPatterns {
        let service: Int
        let job: Int
        let failure: Range<Int>
        let success: Range<Int>
        let start: Range<Int>
        let measure: Range<Int>
        let ignore: Range<Int>
    }
}
