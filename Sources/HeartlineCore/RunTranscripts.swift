/// The lines of each open run, kept so that a `failing`, `stuck` or `too_fast` alert can carry the
/// lines of the run it is about (issue 11), not only the last matching line.
///
/// Which lines belong to a run:
/// - the line of its start, and every later line whose event names the same job instance and run
///   key (its measures, and the success or failure that closes it);
/// - with a `run_key`, any other line routed to the job's service that contains the key's text
///   (a worker's error lines that repeat the job id), and any other journal entry with a copied
///   field equal to the key (systemd's `Main process exited` entry carries the run's
///   `INVOCATION_ID` as a field, not in its text);
/// - without a `run_key`, every other line routed to the job's service since the start line.
///
/// Bounds: a run keeps its last ``lineLimit`` lines, each cut at ``byteLimit`` bytes of UTF-8; at
/// most ``openLimit`` runs per service are transcribed (a new start beyond that forgets the oldest,
/// whose alert then falls back to the last line); at most ``closedLimit`` closed runs wait for
/// their alerts. Nothing is saved across a restart.
///
/// Pure and not thread-safe, like the evaluation that owns it.
public struct RunTranscripts {
    /// Lines kept per run: the last ones.
    public static let lineLimit = 20
    /// Bytes of UTF-8 kept of one line.
    public static let byteLimit = 1000
    /// Runs transcribed at once per service.
    public static let openLimit = 64
    /// Closed runs kept until their alerts are taken.
    public static let closedLimit = 4096

    /// One run's identity: its service (index), job instance and key (nil: a run without a key).
    struct RunID: Hashable {
        var service: Int
        var instance: String
        var key: String?
    }

    /// The last lines of one run.
    struct Transcript {
        var lines: [String]
        /// The key's UTF-8, searched for in lines without an event; nil for a run without a key.
        var keyBytes: [UInt8]?

        mutating func append(_ line: String) {
            if lines.count == RunTranscripts.lineLimit { lines.removeFirst() }
            lines.append(line)
        }
    }

    /// A run that closed, waiting for its alert.
    struct Closed {
        var service: String
        var instance: String
        var ended: Instant
        var outcome: ClosedRun.Outcome
        var lines: [String]
    }

    private let serviceNames: [String]
    private let serviceIndex: [String: Int]
    private var open: [RunID: Transcript] = [:]
    /// Open runs per service, oldest first.
    private var openByService: [[RunID]]
    private var closed: [Closed] = []
    /// Whether any run is open: lines are then looked at even without events.
    private var openCount = 0

    /// Creates empty transcripts for services named `serviceNames`, in the evaluator's order.
    public init(serviceNames: [String]) {
        self.serviceNames = serviceNames
        self.serviceIndex = Dictionary(
            serviceNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.openByService = Array(repeating: [], count: serviceNames.count)
    }

    /// Takes one line (a file line or a journal entry's `MESSAGE`) with what it meant.
    ///
    /// - Parameters:
    ///   - line: The line's bytes.
    ///   - events: The events the matcher made of it.
    ///   - services: The services it was routed to (indices).
    ///   - holdsKey: For a journal entry, whether one of its copied fields equals the given key
    ///     bytes; nil for a file line.
    public mutating func record(
        _ line: UnsafeRawBufferPointer, events: [JobEvent], services: [Int],
        holdsKey: ((borrowing [UInt8]) -> Bool)? = nil
    ) {
        guard !events.isEmpty || openCount > 0 else { return }
        var text: String?
        func lineText() -> String {
            if let text { return text }
            let made = String(decoding: UnsafeRawBufferPointer(rebasing: line.prefix(Self.byteLimit)), as: UTF8.self)
            text = made
            return made
        }
        var touched: [RunID] = []
        for event in events {
            let id = RunID(service: event.service, instance: event.instance, key: event.runKey)
            switch event.kind {
            case .start:
                openRun(id, first: lineText())
            case .success, .failure, .measure:
                guard open[id] != nil else { continue }
                open[id]?.append(lineText())
            }
            touched.append(id)
        }
        guard openCount > 0 else { return }
        for service in services where !openByService[service].isEmpty {
            for id in openByService[service] where !touched.contains(id) {
                guard let transcript = open[id] else { continue }
                if let key = transcript.keyBytes, !Self.contains(line, key), !(holdsKey?(key) ?? false) { continue }
                open[id]?.append(lineText())
            }
        }
    }

    /// Ends the transcript of a run the evaluator closed, keeping it for ``lines(for:)``.
    public mutating func close(_ record: RunRecord) {
        guard let service = serviceIndex[record.service] else { return }
        let id = RunID(service: service, instance: record.job, key: record.run.key)
        guard let transcript = open.removeValue(forKey: id) else { return }
        openCount -= 1
        openByService[service].removeAll { $0 == id }
        if closed.count == Self.closedLimit { closed.removeFirst() }
        closed.append(
            Closed(
                service: record.service, instance: record.job, ended: record.run.ended, outcome: record.run.outcome,
                lines: transcript.lines))
    }

    /// The lines of the run an alert is about: for a firing `failing` the run its failure closed,
    /// for `stuck` the run closed at its deadline, for `too_fast` the run its success closed, each
    /// at the alert's instant. Nil for other alerts and when no such run was transcribed.
    public func lines(for alert: Alert) -> [String]? {
        guard alert.status == .firing else { return nil }
        let outcome: ClosedRun.Outcome
        switch alert.condition {
        case .failing: outcome = .failure
        case .stuck: outcome = .stuck
        case .tooFast: outcome = .success
        default: return nil
        }
        return closed.last {
            $0.ended == alert.at && $0.outcome == outcome && $0.instance == alert.job && $0.service == alert.service
        }?.lines
    }

    /// Forgets closed runs that ended before `instant` (their alerts have been taken), or at it too
    /// when `including` is set.
    public mutating func forgetClosed(before instant: Instant, including: Bool) {
        guard !closed.isEmpty else { return }
        closed.removeAll { including ? $0.ended <= instant : $0.ended < instant }
    }

    /// Carries over the runs of the evaluation a reload replaces, by service name: the runs of
    /// services still loaded stay open, closed runs keep waiting for their alerts.
    public mutating func adopt(_ previous: RunTranscripts) {
        for (service, ids) in previous.openByService.enumerated() {
            guard let index = serviceIndex[previous.serviceNames[service]] else { continue }
            for id in ids {
                guard let transcript = previous.open[id] else { continue }
                let moved = RunID(service: index, instance: id.instance, key: id.key)
                openRun(moved, first: "")
                open[moved] = transcript
            }
        }
        closed = previous.closed + closed
        if closed.count > Self.closedLimit { closed.removeFirst(closed.count - Self.closedLimit) }
    }

    /// Drops the open runs of a job instance that the evaluator forgot (`forget_after`).
    public mutating func forget(service name: String, instance: String) {
        guard let service = serviceIndex[name] else { return }
        for id in openByService[service] where id.instance == instance {
            open[id] = nil
            openCount -= 1
        }
        openByService[service].removeAll { $0.instance == instance }
    }

    /// Transcribed runs open now (for tests and status).
    public var openRuns: Int { openCount }

    private mutating func openRun(_ id: RunID, first line: String) {
        if open[id] == nil {
            if openByService[id.service].count == Self.openLimit {
                let oldest = openByService[id.service].removeFirst()
                open[oldest] = nil
                openCount -= 1
            }
            openByService[id.service].append(id)
            openCount += 1
        }
        open[id] = Transcript(lines: [line], keyBytes: id.key.map { Array($0.utf8) })
    }

    /// Whether `needle` (not empty) occurs in `haystack`.
    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }
}
