import HeartlineCore
import HeartlineInput
import HeartlineRegex

/// One replay input positioned on its current record, for the merge by time.
///
/// A record is a moment the evaluator must see: a line or journal entry that means something to a
/// job (its ``events``), the first stamped line of a plain-text input (T0 when `--from` is not
/// given), and the input's last line (the end of its time). Plain-text lines that are none of
/// these are read past without being timed: their stamps could only move the clock between two
/// records, which changes no alert, since every alert carries its own instant. That is what keeps
/// replay near the speed of the prefilter's scan: most lines cost one newline search and one look
/// at the scan's results.
///
/// Stamps of plain-text lines are read in line order for every line up to the input's first stamp,
/// for lines that produce events, for every ``sampleInterval``th line, and for the last line. A
/// line without a stamp takes that of the nearest stamped line before it (a stack trace's lines
/// take the time of the line that began it), found by looking back through the buffer. The
/// samples keep the clock and the year of year-less stamps (``SyslogYearRule``) moving through
/// long stretches without records. Which stamps count depends only on the lines, never on how
/// reads happen to split the input, so a replay gives the same alerts from a file and from a pipe.
final class ReplayStream {
    /// One line in this many has its stamp read even when it means nothing to any job.
    static let sampleInterval = 64

    let path: String
    /// The current record's event time.
    private(set) var time = Instant(nanoseconds: 0)
    /// What the current record means for jobs; may be empty (a first line, a last line).
    private(set) var events: [JobEvent] = []

    private let lines: LineReader?
    private var stamps: StampReader
    private let journal: JournalExportReader?
    private let matcher: LineMatcher
    /// This input's own prefilter scanner (see ``LineMatcher/makeBlockScanner()``).
    private let blockScanner: PrefilterScanner?
    /// Whether a routed service has field-only patterns, so no line may be passed over.
    private let matchesEveryLine: Bool
    /// The latest time this input has reached; time never runs backwards within one input.
    private var lastTime: Instant?
    /// Lines read from a plain-text input.
    private var lineNumber = 0
    /// The stamp of the nearest stamped line through line ``knownLine``, found by reading it or by
    /// looking back; lines after `knownLine` have been read past without their stamps.
    private var knownStamp: Instant?
    private var knownLine = 0
    private var ended = false

    private let router: RecordRouter
    private let fileRoute: [Int]
    /// The services the current journal entry goes to; kept to reuse its storage.
    private var journalTargets: [Int] = []

    init(path: String, lines: LineReader, stamps: StampReader, router: RecordRouter, matcher: LineMatcher) {
        self.path = path
        self.lines = lines
        self.stamps = stamps
        self.journal = nil
        self.matcher = matcher
        self.blockScanner = matcher.makeBlockScanner()
        self.router = router
        self.fileRoute = router.services(forFile: path)
        self.matchesEveryLine = matcher.triesEveryLine(of: fileRoute)
    }

    init(path: String, journal: JournalExportReader, router: RecordRouter, matcher: LineMatcher) {
        self.path = path
        self.lines = nil
        self.stamps = StampReader()
        self.journal = journal
        self.matcher = matcher
        self.blockScanner = nil
        self.router = router
        self.fileRoute = []
        self.matchesEveryLine = false
    }

    /// Bytes of the input read so far (decompressed, for a `.gz`).
    var bytesRead: Int { lines?.bytesRead ?? journal?.bytesRead ?? 0 }

    /// Moves to the next record; false at the end of the input.
    ///
    /// - Parameters:
    ///   - from: `--from`, which lends its time to unstamped lines before the first stamped one.
    ///   - report: Counts lines and what was skipped.
    ///   - timer: Charged for reading (and timestamps) and for matching.
    func advance(from: Instant?, report: inout ReplayReport, timer: inout StageTimer) throws(InputError) -> Bool {
        if let lines {
            return try advanceLines(lines, from: from, report: &report, timer: &timer)
        }
        if let journal {
            while let next = try journal.nextEntry() {
                report.journalEntries += 1
                guard let t = settle(next.realtime, from: from, report: &report) else { continue }
                timer.lap(.read)
                journalTargets.removeAll(keepingCapacity: true)
                let batch = JournalEntries([next], routing: router.journal)
                router.services(forJournal: 0, of: batch, into: &journalTargets)
                events.removeAll(keepingCapacity: true)
                matcher.match(journal: batch, entry: 0, services: journalTargets, into: &events)
                timer.lap(.match)
                time = t
                return true
            }
            report.malformedEntries += journal.malformedEntries
        }
        return false
    }

    private func advanceLines(
        _ lines: LineReader, from: Instant?, report: inout ReplayReport, timer: inout StageTimer
    ) throws(InputError) -> Bool {
        let (matcher, route) = (self.matcher, fileRoute)
        while let line = try lines.nextLine() {
            lineNumber += 1
            report.lines += 1
            timer.lap(.read)
            if !events.isEmpty { events.removeAll(keepingCapacity: true) }
            if let blockScanner {
                matcher.match(
                    line, lookahead: (lines.lookahead, lines.generation, blockScanner), services: route, into: &events)
            } else {
                matcher.match(line, services: route, into: &events)
            }
            timer.lap(.match)
            if lastTime == nil || !events.isEmpty {
                let own = stamp(line)
                // A continuation line (a stack trace, say) takes the time of the nearest stamped
                // line before it, read or not.
                let borrowed = own == nil && lastTime != nil ? nearestStamp(before: line, in: lines) : nil
                note(own ?? borrowed)
                guard let t = settle(own, borrowing: borrowed, from: from, report: &report) else { continue }
                time = t
                timer.lap(.read)
                return true
            }
            if lineNumber % Self.sampleInterval == 0 {
                let stamp = self.stamp(line)
                note(stamp ?? nearestStamp(before: line, in: lines))
                if let stamp, let lastTime, stamp > lastTime {
                    // The input's time moved on: a record of time alone, so that the alerts of
                    // earlier instants are settled and written now, not at the next match.
                    self.lastTime = stamp
                    time = stamp
                    timer.lap(.read)
                    return true
                }
            } else if !lines.nextLineIsBuffered {
                // The buffer's last line: the lines before it go with the next refill, so carry
                // the nearest stamp forward now. Also the input's end, if nothing follows.
                var copy = stamps
                note(copy.stamp(line) ?? nearestStamp(before: line, in: lines))
            }
            // Pass over the lines up to the next one that may match or is due a sample: they can
            // mean nothing to any job, and need no look of their own.
            if !matchesEveryLine, let limit = blockScanner?.nextHitEnd(atOrAfter: lines.nextLineStart) {
                let beforeSample = Self.sampleInterval - 1 - lineNumber % Self.sampleInterval
                let skipped = lines.skipLines(upTo: beforeSample, endingBefore: limit)
                lineNumber += skipped
                report.lines += skipped
            }
            timer.lap(.read)
        }
        guard !ended else { return false }
        ended = true
        report.truncated += lines.truncatedLines
        // The input ends at its last stamp, unless a record already stands there.
        guard let lastTime else { return false }
        let endTime = max(lastTime, knownStamp ?? lastTime)
        guard endTime > time else { return false }
        events.removeAll()
        time = endTime
        self.lastTime = endTime
        return true
    }

    /// Records that every line through the current one is accounted for: `stamp`, when there is
    /// one, is now the nearest stamp.
    private func note(_ stamp: Instant?) {
        if let stamp { knownStamp = stamp }
        knownLine = lineNumber
    }

    /// The stamp of the nearest line before `line` that has one: looks back through the lines read
    /// past since `knownLine` (all still in the buffer, see ``LineReader/lookbehind``), then falls
    /// back on `knownStamp`. Parses on a copy of the stamp reader, leaving the year state alone.
    private func nearestStamp(before line: UnsafeRawBufferPointer, in lines: LineReader) -> Instant? {
        let behind = lines.lookbehind
        guard let base = behind.baseAddress, let lineStart = line.baseAddress else { return knownStamp }
        var end = base.distance(to: lineStart)
        var copy: StampReader?
        var number = lineNumber - 1
        while number > knownLine, end > 0, end <= behind.count {
            // `end` is just past the newline of line `number`.
            var lineEnd = end - 1
            let start = behind[..<lineEnd].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            if lineEnd > start, behind[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if copy == nil { copy = stamps }
            if let stamp = copy!.stamp(UnsafeRawBufferPointer(rebasing: behind[start..<lineEnd])) {
                return stamp
            }
            end = start
            number -= 1
        }
        return knownStamp
    }

    private func stamp(_ line: UnsafeRawBufferPointer) -> Instant? {
        stamps.stamp(line)
    }

    /// Applies the rules for lines without a stamp and for stamps that go back in time.
    ///
    /// - Parameters:
    ///   - stamp: The record's own stamp, if it has one.
    ///   - borrowed: For a line without one, the nearest stamp before it.
    ///   - from: `--from`, lent to lines before the input's first stamp.
    ///   - report: Counts lines without a time, borrowed times and stamps that went back.
    /// - Returns: The record's time; nil when it has none to take (before any stamp or `from`).
    private func settle(
        _ stamp: Instant?, borrowing borrowed: Instant? = nil, from: Instant?, report: inout ReplayReport
    ) -> Instant? {
        guard let stamp else {
            guard let latest = lastTime ?? from else {
                report.untimed += 1
                return nil
            }
            report.unstamped += 1
            let t = max(latest, borrowed ?? latest)
            lastTime = t
            return t
        }
        if let lastTime, stamp < lastTime {
            report.backwards += 1
            return lastTime
        }
        lastTime = stamp
        return stamp
    }
}
