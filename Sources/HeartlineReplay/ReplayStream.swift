import HeartlineCore
import HeartlineInput

/// One replay input positioned on its current record, for the merge by time.
///
/// A plain-text line stays valid (it points into the reader's buffer) until ``advance(from:report:)``.
final class ReplayStream {
    let path: String
    /// The current record's event time.
    private(set) var time = Instant(nanoseconds: 0)
    /// The current journal entry, for a journal export input.
    private(set) var entry: JournalEntry?

    private let lines: LineReader?
    private var parsers: [TimestampParser]
    private let journal: JournalExportReader?
    private var line = UnsafeRawBufferPointer(start: nil, count: 0)
    private var lastTime: Instant?

    private let fileRoute: [Int]
    private let journalRoute: JournalRoute

    init(path: String, lines: LineReader, parsers: [TimestampParser], route: [Int]) {
        self.path = path
        self.lines = lines
        self.parsers = parsers
        self.journal = nil
        self.fileRoute = route
        self.journalRoute = .fixed([])
    }

    init(path: String, journal: JournalExportReader, route: JournalRoute) {
        self.path = path
        self.lines = nil
        self.parsers = []
        self.journal = journal
        self.fileRoute = []
        self.journalRoute = route
    }

    /// Moves to the next record that has a time; false at the end of the input.
    func advance(from: Instant?, report: inout ReplayReport) throws(InputError) -> Bool {
        if let lines {
            while let next = try lines.nextLine() {
                report.lines += 1
                guard let t = settle(stamp(next), from: from, report: &report) else { continue }
                line = next
                time = t
                return true
            }
            report.truncated += lines.truncatedLines
        } else if let journal {
            while let next = try journal.nextEntry() {
                report.journalEntries += 1
                guard let t = settle(next.realtime, from: from, report: &report) else { continue }
                entry = next
                time = t
                return true
            }
            report.malformedEntries += journal.malformedEntries
        }
        return false
    }

    /// Runs the current record's text (a line, or a journal entry's MESSAGE) through the matcher,
    /// for the services it is routed to.
    func match(with matcher: LineMatcher, into events: inout [JobEvent]) {
        if let entry {
            let route = journalRoute.services(for: entry)
            entry.message.withUnsafeBytes { matcher.match($0, services: route, into: &events) }
        } else if let lines {
            matcher.match(
                line, lookahead: (lines.lookahead, lines.generation), services: fileRoute, into: &events)
        }
    }

    private func stamp(_ line: UnsafeRawBufferPointer) -> Instant? {
        for index in parsers.indices {
            if let t = parsers[index].parse(line) { return t }
        }
        return nil
    }

    /// Applies the rules for lines without a stamp and for stamps that go back in time.
    private func settle(_ stamp: Instant?, from: Instant?, report: inout ReplayReport) -> Instant? {
        guard let stamp else {
            guard let borrowed = lastTime ?? from else {
                report.untimed += 1
                return nil
            }
            report.unstamped += 1
            lastTime = borrowed
            return borrowed
        }
        if let lastTime, stamp < lastTime {
            report.backwards += 1
            return lastTime
        }
        lastTime = stamp
        return stamp
    }
}
