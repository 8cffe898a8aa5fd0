public import HeartlineCore
import HeartlineInput

/// Runs recorded logs through the schedule evaluator in simulated time (SPEC §3).
///
/// Each input is a plain log, a `.gz` of one, a journal export stream, or `-` for standard input.
/// Inputs are read as streams (never whole) and merged by event time. A plain line's time is its
/// own stamp, read with the `timestamp:` settings of the services it goes to (the first that reads
/// it wins); a journal entry's time is `__REALTIME_TIMESTAMP`. Time within one input never runs
/// backwards: a matching line without a stamp, or with a stamp earlier than the latest stamp read
/// in its input, takes that latest time (and is counted). Lines before any stamped line of their
/// input are skipped and counted, unless `--from` gives them a time. Lines that match nothing are
/// not timed one by one (see ``ReplayStream``); the alerts are the same. With `--service`, only the
/// named services are evaluated, and every input goes to them.
public final class Replay {
    /// The services replayed, in evaluator order.
    public let services: [ServiceSpec]
    /// The options in force.
    public let options: ReplayOptions

    private let router: RecordRouter
    private let stampSpecs: [TimestampSpec]

    /// Prepares a replay.
    ///
    /// - Throws: ``ReplayError`` with code `.unknownService` when `--service` names a service that
    ///   is not among `services`.
    public init(services: [ServiceSpec], options: ReplayOptions) throws(ReplayError) {
        self.options = options
        if options.services.isEmpty {
            self.services = services
            router = RecordRouter(services: services, files: .everyFileSource)
        } else {
            // Only the named services are evaluated: the others get no input, and would only
            // report themselves missing.
            var chosen: [ServiceSpec] = []
            for name in options.services {
                guard let service = services.first(where: { $0.name == name }) else {
                    let known = services.map(\.name).joined(separator: ", ")
                    throw ReplayError(
                        code: .unknownService, message: "--service \(name): no such service; known: \(known)")
                }
                if !chosen.contains(where: { $0.name == name }) { chosen.append(service) }
            }
            self.services = chosen
            router = RecordRouter(services: chosen, files: .everyFileSource, only: Array(chosen.indices))
        }
        // Every plain input goes to the same services, whose settings read its stamps; with none,
        // the default settings still give the input its time.
        let specs = router.stampSpecs(for: router.services(forFile: ""))
        stampSpecs = specs.isEmpty ? [TimestampSpec()] : specs
    }

    /// About how many lines pass between two calls of `run`'s `progress`.
    public static let progressInterval = 1 << 16

    /// Replays `inputs`, handing each alert to `emit` as soon as its instant is settled: no input
    /// can still hold an earlier one, since inputs are merged by time.
    ///
    /// - Parameters:
    ///   - inputs: Files (a path, or `-` for standard input) or inline text.
    ///   - progress: Told how far the replay has come, about every ``progressInterval`` lines and
    ///     once at the end; a caller flushes alerts written so far and draws a progress line.
    ///   - emit: Receives alerts in SPEC §2 order.
    /// - Returns: What was read, skipped and cut.
    /// - Throws: ``ReplayError`` with code `.input` when an input cannot be opened or read; alerts
    ///   already emitted stand.
    public func run(
        inputs: [ReplayInput], progress: ((ReplayProgress) -> Void)? = nil, emit: (Alert) -> Void
    ) throws(ReplayError) -> ReplayReport {
        var report = ReplayReport()
        var timer = StageTimer(enabled: options.timeStages)
        let matcher = LineMatcher(
            services: services, usePrefilter: options.usePrefilter, prefilterCache: options.prefilterCache)
        var opened: [ReplayStream] = []
        for input in inputs {
            let streams = try open(input, matcher: matcher)
            if streams.count > 1 {
                report.inputsSplit += 1
                report.segments += streams.count
            }
            opened += streams
        }
        var evaluator = Evaluator(services: services)
        let (from, until) = (options.from, options.until)
        if let from { evaluator.start(at: from) }
        var lastTime: Instant?
        timer.lap(.setup)
        var streams: [ReplayStream] = []
        for stream in opened where try advance(stream, &report, &timer) { streams.append(stream) }
        var nextProgress = Self.progressInterval
        func tellProgress(finished: Bool) {
            guard let progress else { return }
            progress(
                ReplayProgress(
                    records: report.lines + report.journalEntries, bytesRead: opened.reduce(0) { $0 + $1.bytesRead },
                    finished: finished))
        }

        while let (index, limit) = earliest(streams) {
            // Take this stream's records while they come first; the merge looks again only when
            // another stream's next record is due.
            let stream = streams[index]
            var more = true
            while more, stream.time < limit.time || (stream.time == limit.time && index < limit.index) {
                let t = stream.time
                if let until, t > until {
                    more = false
                    break
                }
                if from.map({ t >= $0 }) ?? true {
                    evaluator.ingest(stream.events, at: t)
                    lastTime = t
                    if !stream.events.isEmpty { report.matched += 1 }
                    for alert in evaluator.takeAlerts() {
                        report.alerts += 1
                        emit(alert)
                    }
                }
                timer.lap(.evaluate)
                more = try advance(stream, &report, &timer)
                if progress != nil, report.lines + report.journalEntries >= nextProgress {
                    nextProgress = report.lines + report.journalEntries + Self.progressInterval
                    tellProgress(finished: false)
                }
            }
            if !more { streams.remove(at: index) }
        }

        if let end = options.until ?? lastTime {
            evaluator.advance(through: end)
        }
        for alert in evaluator.flush() {
            report.alerts += 1
            emit(alert)
        }
        timer.lap(.evaluate)
        tellProgress(finished: true)
        report.stageTimes = timer.times
        report.matchLimitHits = matcher.limitExceeded
        report.undecodable = matcher.undecodableLines.reduce(0, +)
        return report
    }

    /// Opens an input as one stream, or for a plain-text file or inline text whose time goes back
    /// by more than an hour, as one stream per forward segment (``TimeSegments``).
    private func open(_ input: ReplayInput, matcher: LineMatcher) throws(ReplayError) -> [ReplayStream] {
        let kind = try input.open(chunkSize: options.chunkSize)
        switch kind {
        case .lines(let reader):
            let stamps: StampReader
            do {
                stamps = try StampReader(specs: stampSpecs, yearRule: .rolling(startYear: options.year))
            } catch {
                throw ReplayError(code: .input, message: "\(input.name): \(error)")
            }
            let whole = ReplayStream(path: input.name, lines: reader, stamps: stamps, router: router, matcher: matcher)
            guard let bytes = try Self.rangeReader(input, chunkSize: options.chunkSize) else { return [whole] }
            let segments: [TimeSegments.Segment]
            do {
                segments = try TimeSegments.find(
                    open: { start throws(InputError) in try bytes(start..<Int.max) }, stamps: stamps)
            } catch {
                throw ReplayError(code: .input, message: error.description)
            }
            guard segments.count > 1 else { return [whole] }
            var streams: [ReplayStream] = []
            for segment in segments {
                do {
                    streams.append(
                        ReplayStream(
                            path: input.name, lines: try bytes(segment.range), stamps: segment.stamps, router: router,
                            matcher: matcher))
                } catch {
                    throw ReplayError(code: .input, message: error.description)
                }
            }
            return streams
        case .journal(let reader):
            return [ReplayStream(path: input.name, journal: reader, router: router, matcher: matcher)]
        }
    }

    /// A maker of readers of a stretch of an input's bytes, for inputs that can be read again: an
    /// uncompressed file (not standard input, not a `.gz`) or inline text. Nil for the others, whose
    /// segments are not split (a step back in time there is taken at the latest time, and counted).
    private static func rangeReader(
        _ input: ReplayInput, chunkSize: Int
    ) throws(ReplayError) -> ((Range<Int>) throws(InputError) -> LineReader)? {
        switch input {
        case .path(let path):
            guard path != "-" else { return nil }
            var head = [UInt8](repeating: 0, count: 2)
            do {
                let source = try FileRangeByteSource(path: path, range: 0..<2)
                let count = try head.withUnsafeMutableBytes { (buffer) throws(InputError) in
                    try source.read(into: buffer)
                }
                // A .gz is not re-read in stretches (its offsets are of the decompressed bytes).
                guard count == 2, head != [0x1F, 0x8B] else { return nil }
            } catch {
                throw ReplayError(code: .input, message: "\(error)")
            }
            return { range throws(InputError) in
                LineReader(source: try FileRangeByteSource(path: path, range: range), chunkSize: chunkSize)
            }
        case .text(_, let text):
            let bytes = Array(text.utf8)
            return { range in
                let clamped = min(range.lowerBound, bytes.count)..<min(range.upperBound, bytes.count)
                return LineReader(source: MemoryByteSource(Array(bytes[clamped])), chunkSize: chunkSize)
            }
        }
    }

    private func advance(
        _ stream: ReplayStream, _ report: inout ReplayReport, _ timer: inout StageTimer
    ) throws(ReplayError) -> Bool {
        do {
            return try stream.advance(from: options.from, report: &report, timer: &timer)
        } catch {
            throw ReplayError(code: .input, message: error.description)
        }
    }

    /// The stream whose current record is earliest (the first input wins a tie), and the record
    /// that comes next after it: the runner-up's time and index, or the end of time when alone.
    private func earliest(_ streams: [ReplayStream]) -> (Int, limit: (time: Instant, index: Int))? {
        guard !streams.isEmpty else { return nil }
        var best = 0
        var second: Int?
        for index in 1..<streams.count {
            if streams[index].time < streams[best].time {
                second = best
                best = index
            } else if second.map({ streams[index].time < streams[$0].time }) ?? true {
                second = index
            }
        }
        guard let second else { return (best, (Instant(nanoseconds: .max), .max)) }
        return (best, (streams[second].time, second))
    }
}
