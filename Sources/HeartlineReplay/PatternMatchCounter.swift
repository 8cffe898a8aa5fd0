public import HeartlineCore
import HeartlineInput
import HeartlineRegex

/// Counts, for `heartline match`, which patterns each line of some logs matches (see
/// ``PatternMatchReport``).
///
/// Nothing is evaluated and nothing is routed: every line goes to every service. Each pattern is
/// run on its own with PCRE2 (no prefilter: clarity over speed), and a ``LineMatcher`` says what the
/// line means for each job, so the job counts are exactly what replay would take. Each input gets
/// fresh timestamp readers, as in replay, so a syslog year starts from `year` in every file.
///
/// Not `Sendable`: it owns PCRE2 scratch space and is used from one thread.
public final class PatternMatchCounter {
    /// How many sample lines a pattern keeps: the first it matched.
    public static let sampleCount = 3
    /// How many characters of a sample line are kept; a longer one ends in `…`.
    public static let sampleLength = 200

    /// The counts so far.
    public private(set) var report: PatternMatchReport

    private let services: [ServiceSpec]
    private let year: Int
    /// Per service and job, the matcher's ids of its patterns in the report's order.
    private let patternIDs: [[[Int]]]
    private let matcher: LineMatcher
    private let allServices: [Int]
    private var events: [JobEvent] = []
    /// Per service and job, whether each pattern (in the report's order) reads fields.
    private let readsFields: [[[Bool]]]
    private let decoder = FieldDecoder(paths: [])

    /// Prepares counting.
    ///
    /// - Parameters:
    ///   - services: The services whose patterns are counted.
    ///   - year: The year of the first year-less syslog stamp of each input.
    public init(services: [ServiceSpec], year: Int) {
        self.services = services
        self.year = year
        report = PatternMatchReport(services: services)
        let matcher = LineMatcher(services: services, usePrefilter: false)
        self.matcher = matcher
        // PatternMatchReport.patterns(of:) lists success, failure, start, ignore, then measure.
        patternIDs = services.indices.map { service in
            services[service].jobs.indices.map { job in
                let ids = matcher.patternIDs(service: service, job: job)
                return Array(ids.success) + Array(ids.failure) + Array(ids.start) + Array(ids.ignore)
                    + Array(ids.measure)
            }
        }
        allServices = Array(services.indices)
        readsFields = services.map { service in
            service.jobs.map { job in PatternMatchReport.patterns(of: job).map(\.spec.usesFields) }
        }
    }

    /// Reads one input to its end and counts its lines.
    ///
    /// - Parameter input: A plain log, a `.gz` of one, a journal export stream, `-` for standard
    ///   input, or inline text.
    /// - Throws: ``ReplayError`` with code `.input` when the input cannot be opened or read, or a
    ///   service's strftime pattern cannot be used; lines read before the failure stay counted.
    public func count(_ input: ReplayInput) throws(ReplayError) {
        let kind = try input.open()
        report.inputs.append(PatternMatchReport.Input(name: input.name))
        switch kind {
        case .lines(let reader):
            var parsers = try stampParsers(for: input)
            try read { () throws(InputError) in
                while let line = try reader.nextLine() {
                    var times: [Instant?] = []
                    for index in parsers.indices { times.append(parsers[index].stamp(line)) }
                    events.removeAll(keepingCapacity: true)
                    matcher.match(line, services: allServices, into: &events)
                    count(line, times: times, journalField: nil) { matcher.probe(line, patterns: $0) }
                }
            }
            report.truncated += reader.truncatedLines
        case .journal(let reader):
            report.inputs[report.inputs.count - 1].isJournal = true
            try read { () throws(InputError) in
                while let entry = try reader.nextEntry() {
                    let times = Array(repeating: entry.realtime, count: services.count)
                    let batch = JournalEntries([entry], routing: JournalRouting(matches: []))
                    events.removeAll(keepingCapacity: true)
                    matcher.match(journal: batch, entry: 0, services: allServices, into: &events)
                    entry.message.withUnsafeBytes { message in
                        count(message, times: times, journalField: { entry.field($0) }) {
                            matcher.probe(journal: batch, entry: 0, patterns: $0)
                        }
                    }
                }
            }
        }
    }

    /// Runs `body`, turning a read error into a ``ReplayError``.
    private func read(_ body: () throws(InputError) -> Void) throws(ReplayError) {
        do {
            try body()
        } catch {
            throw ReplayError(code: .input, message: error.description)
        }
    }

    /// One timestamp reader per service, fresh for one input.
    private func stampParsers(for input: ReplayInput) throws(ReplayError) -> [StampReader] {
        var parsers: [StampReader] = []
        for service in services {
            do {
                parsers.append(try StampReader(specs: [service.timestamp], yearRule: .rolling(startYear: year)))
            } catch {
                throw ReplayError(code: .input, message: "\(input.name): service '\(service.name)': \(error)")
            }
        }
        return parsers
    }

    /// Counts one record, whose job events are in `events` already.
    ///
    /// - Parameters:
    ///   - line: The line's bytes (a journal entry's `MESSAGE`), without its newline.
    ///   - times: Per service, the line's time as that service reads it, or nil when it cannot.
    ///   - journalField: For a journal entry, its field of a name, or nil when it has none.
    ///   - probe: Tries the given patterns alone on the record.
    private func count(
        _ line: UnsafeRawBufferPointer, times: [Instant?], journalField: ((String) -> String?)?,
        probe: ([Int]) -> [LineMatcher.PatternProbe]
    ) {
        report.lines += 1
        report.inputs[report.inputs.count - 1].lines += 1
        var anyMatch = false
        for serviceIndex in services.indices {
            note(times[serviceIndex], service: serviceIndex)
            for jobIndex in services[serviceIndex].jobs.indices {
                let probes = probe(patternIDs[serviceIndex][jobIndex])
                anyMatch =
                    countJob(line, probes: probes, service: serviceIndex, job: jobIndex, journalField: journalField)
                    || anyMatch
            }
        }
        if !events.isEmpty {
            report.matched += 1
        } else if anyMatch {
            report.ignored += 1
        } else {
            report.missed += 1
        }
    }

    private func note(_ time: Instant?, service index: Int) {
        guard let time else {
            report.services[index].untimed += 1
            return
        }
        let service = report.services[index]
        if service.earliest.map({ time < $0 }) ?? true { report.services[index].earliest = time }
        if service.latest.map({ time > $0 }) ?? true { report.services[index].latest = time }
    }

    /// Runs every pattern of one job on the line and counts what the line means for the job.
    ///
    /// - Returns: Whether any of the job's patterns matched.
    private func countJob(
        _ line: UnsafeRawBufferPointer, probes: [LineMatcher.PatternProbe], service: Int, job: Int,
        journalField: ((String) -> String?)?
    ) -> Bool {
        var counts = report.services[service].jobs[job]
        defer { report.services[service].jobs[job] = counts }
        var matchedKinds: Set<PatternMatchReport.PatternKind> = []
        var readableValue = false
        for (index, probe) in probes.enumerated() {
            switch probe.result {
            case .matched:
                counts.patterns[index].matched += 1
                if counts.patterns[index].samples.count < Self.sampleCount {
                    counts.patterns[index].samples.append(Self.sample(line))
                    if readsFields[service][job][index] {
                        let spec = PatternMatchReport.patterns(of: services[service].jobs[job])[index].spec
                        counts.patterns[index].sampleFields.append(
                            sampleFields(line, pattern: spec, format: services[service].source.format, journalField))
                    }
                }
                matchedKinds.insert(counts.patterns[index].kind)
                if probe.value != nil { readableValue = true }
            case .limitExceeded:
                counts.patterns[index].limitHits += 1
            case .noMatch:
                break
            }
        }
        if let event = events.first(where: { $0.service == service && $0.job == job }) {
            counts.counted[Self.kind(of: event.kind), default: 0] += 1
            if services[service].jobs[job].name.isDynamic { counts.instances[event.instance, default: 0] += 1 }
        } else if matchedKinds.isDisjoint(with: [.success, .failure, .start]) && matchedKinds.contains(.measure)
            && !readableValue
        {
            // As in LineMatcher, a measure line without a number is dropped before `ignore` is tried.
            counts.unreadableMeasures += 1
        } else if matchedKinds.contains(.ignore) && matchedKinds.count > 1 {
            counts.ignored += 1
        }
        return !matchedKinds.isEmpty
    }

    /// What a field pattern saw of a sample line, as `match` shows it under the sample: the journal
    /// fields the pattern names (for a journal entry), then every field the line (a journal entry's
    /// `MESSAGE`) decodes to under `format` (for a journal entry only when the pattern names a path
    /// that is not a journal field name), `path=value` separated by spaces, values quoted when they
    /// hold a space, a quote or `=` or are empty; or why the line did not decode. At most
    /// ``sampleLength`` characters, then `…`.
    private func sampleFields(
        _ line: UnsafeRawBufferPointer, pattern: PatternSpec, format: LineFormat,
        _ journalField: ((String) -> String?)?
    ) -> String {
        var parts: [String] = []
        var paths = pattern.fields.map(\.field)
        if let value = pattern.valueField { paths.append(value) }
        var decodesMessage = true
        if let journalField {
            let named = paths.filter { JournalFieldName.kind(of: $0) == .field }
            for name in named {
                parts.append("\(name)=\(Self.quotedIfNeeded(journalField(name) ?? "(absent)"))")
            }
            decodesMessage = named.count < paths.count
        }
        if decodesMessage {
            let listing = decoder.allFields(line, format: format)
            switch listing.outcome {
            case .decoded:
                for field in listing.fields {
                    parts.append("\(field.path)=\(Self.quotedIfNeeded(field.value.text))")
                }
                if listing.isTruncated { parts.append("…") }
            case .noFields:
                parts.append("(no fields: format text)")
            case .undecodable(let failure):
                parts.append("(not decoded: \(failure))")
            }
        }
        return Self.cut(parts.joined(separator: " "))
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func kind(of kind: JobEvent.Kind) -> PatternMatchReport.PatternKind {
        switch kind {
        case .success: .success
        case .failure: .failure
        case .start: .start
        case .measure: .measure
        }
    }

    /// A matched line as a sample: invalid UTF-8 shown as U+FFFD, and at most ``sampleLength``
    /// characters, then `…` when cut. Control characters are kept; the text report escapes them
    /// (``HeartlineCore/TerminalText/escaped(_:)``) when it prints the sample.
    ///
    /// - Parameter line: The line's bytes.
    /// - Returns: The sample.
    public static func sample(_ line: UnsafeRawBufferPointer) -> String {
        cut(String(decoding: line, as: UTF8.self))
    }

    /// `text` cut to ``sampleLength`` characters, then `…`.
    private static func cut(_ text: String) -> String {
        guard let cut = text.index(text.startIndex, offsetBy: sampleLength, limitedBy: text.endIndex),
            cut != text.endIndex
        else { return text }
        return text[..<cut] + "…"
    }
}
