import HeartlineRegex

/// Classifies lines for jobs: which jobs a line is a success, failure, start or measure for.
///
/// Each job's patterns are tried in SPEC §1 precedence (failure, success, start, measure) and the
/// first kind that matches wins; the job's `ignore` patterns are tried only then, since a line
/// that matches nothing else cannot be ignored. Matching is on raw bytes with PCRE2 (see
/// ``CompiledRegex``); captures become strings only for dynamic job names and measured values.
///
/// Not thread-safe: it owns one PCRE2 ``MatchScratch``. Give each matching thread its own matcher.
public final class LineMatcher {
    /// The services whose jobs it matches, in evaluator order.
    public let services: [ServiceSpec]
    /// Match attempts abandoned at the PCRE2 match limit: lines where a pattern backtracked too much.
    /// Such an attempt counts as no match.
    public private(set) var limitExceeded = 0
    /// Measure lines whose `value` group did not hold a number; they count for nothing.
    public private(set) var unreadableMeasures = 0

    private let scratch: MatchScratch
    private let jobs: [[CompiledJob]]

    /// Prepares matching for `services`.
    public init(services: [ServiceSpec]) {
        self.services = services
        self.jobs = services.map { $0.jobs.map(CompiledJob.init) }
        let maxCaptures = services.flatMap(\.jobs).flatMap(\.allPatterns).map(\.regex.captureCount).max() ?? 0
        self.scratch = MatchScratch(maxCaptures: maxCaptures)
    }

    /// Appends to `events` what `line` means for every job of the services at `serviceIndices`.
    ///
    /// - Parameters:
    ///   - line: The line's bytes, without its newline; any bytes, valid UTF-8 or not.
    ///   - serviceIndices: Indices into ``services`` of the services this line is routed to.
    ///   - events: Receives at most one event per job.
    public func match(
        _ line: UnsafeRawBufferPointer, services serviceIndices: some Sequence<Int>, into events: inout [JobEvent]
    ) {
        for service in serviceIndices {
            for (jobIndex, job) in jobs[service].enumerated() {
                guard let (kind, regex) = firstMatch(job, line) else { continue }
                let instance = job.isDynamic ? instanceName(job, regex, line) : job.name.template
                if job.ignore.contains(where: { matches($0, line) }) { continue }
                events.append(JobEvent(service: service, job: jobIndex, instance: instance, kind: kind))
            }
        }
    }

    private func firstMatch(_ job: CompiledJob, _ line: UnsafeRawBufferPointer) -> (JobEvent.Kind, CompiledRegex)? {
        if let regex = job.failure.first(where: { matches($0, line) }) { return (.failure, regex) }
        if let regex = job.success.first(where: { matches($0, line) }) { return (.success, regex) }
        if let regex = job.start.first(where: { matches($0, line) }) { return (.start, regex) }
        if let regex = job.measure, matches(regex, line) {
            guard let value = measuredValue(regex, line) else {
                unreadableMeasures += 1
                return nil
            }
            return (.measure(value), regex)
        }
        return nil
    }

    private func matches(_ regex: CompiledRegex, _ line: UnsafeRawBufferPointer) -> Bool {
        switch regex.match(line, scratch: scratch) {
        case .matched: return true
        case .noMatch: return false
        case .limitExceeded:
            limitExceeded += 1
            return false
        }
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
    private func instanceName(_ job: CompiledJob, _ regex: CompiledRegex, _ line: UnsafeRawBufferPointer) -> String {
        var values: [String: String] = [:]
        for name in job.name.captureNames {
            guard let group = regex.namedGroups[name], let range = regex.captureRange(group, in: scratch) else {
                continue
            }
            values[name] = String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self)
        }
        return job.name.instanceName(values)
    }
}

extension LineMatcher {
    /// A job's patterns, unwrapped for the hot loop.
    private struct CompiledJob {
        let name: JobName
        let isDynamic: Bool
        let failure: [CompiledRegex]
        let success: [CompiledRegex]
        let start: [CompiledRegex]
        let measure: CompiledRegex?
        let ignore: [CompiledRegex]

        init(_ job: JobSpec) {
            name = job.name
            isDynamic = job.name.isDynamic
            failure = job.failure.map(\.regex)
            success = job.success.map(\.regex)
            start = job.start.map(\.regex)
            measure = job.measure?.regex
            ignore = job.ignore.map(\.regex)
        }
    }
}

extension JobSpec {
    /// Every pattern of the job, of every kind.
    public var allPatterns: [PatternSpec] {
        failure + success + start + ignore + (measure.map { [$0] } ?? [])
    }
}
