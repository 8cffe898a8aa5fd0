import HeartlineCore
import HeartlineInput

/// The stretches of one plain-text input whose time only moves forward, found by a first pass, so
/// that an input whose time goes back by more than ``bound`` (logs of several days concatenated
/// out of order, a rotated file appended after its successor) is replayed as several inputs merged
/// by time, as several files are (SPEC §7).
///
/// The first pass reads every line's end but the stamps of only every ``Replay``-sampled line
/// (``ReplayStream/sampleInterval``), as replay itself does; when a sampled stamp is more than
/// ``bound`` before the latest one, the lines since the previous sample are read again to find the
/// first line of the new segment. A stretch that goes back and forward again between two samples
/// (fewer than 64 lines) is not split off: its lines are taken at the latest time, and counted as
/// going back, as before. Smaller steps back (clock jitter, a repeated DST hour) never split.
struct TimeSegments {
    /// How far back a stamp must go for a new segment: an hour.
    static let bound: Int64 = 3600

    /// One segment: its bytes, and the stamp reader as it stood before its first line (its syslog
    /// year, for year-less stamps).
    struct Segment {
        var range: Range<Int>
        var stamps: StampReader
    }

    /// The segments of the bytes `open()` gives, read with `stamps`; one segment when time never
    /// goes back by more than ``bound``.
    ///
    /// - Parameters:
    ///   - open: Makes a reader of the input's bytes from `start` on (called again to re-read).
    ///   - stamps: The input's stamp reader, at its start.
    /// - Throws: The input's ``InputError``.
    static func find(
        open: (_ start: Int) throws(InputError) -> LineReader, stamps: StampReader
    ) throws(InputError) -> [Segment] {
        let reader = try open(0)
        var stamps = stamps
        var segments = [Segment(range: 0..<0, stamps: stamps)]
        var latest: Instant?
        // The last sampled line: where it started and the reader's state before it.
        var sample: (offset: Int, stamps: StampReader) = (0, stamps)
        var lineNumber = 0
        while true {
            let offset = reader.consumedBytes
            guard let line = try reader.nextLine() else { break }
            lineNumber += 1
            guard lineNumber % ReplayStream.sampleInterval == 0 || latest == nil else { continue }
            let before = stamps
            guard let stamp = stamps.stamp(line) else { continue }
            if let last = latest, stamp.nanoseconds < last.nanoseconds - bound * 1_000_000_000 {
                // Somewhere since the last sample time went back: find the line.
                let boundary = try firstBackwardLine(
                    from: sample, through: offset, latest: last, open: open)
                segments[segments.count - 1].range = segments[segments.count - 1].range.lowerBound..<boundary.offset
                segments.append(Segment(range: boundary.offset..<boundary.offset, stamps: boundary.stamps))
                latest = stamp
            } else {
                latest = max(stamp, latest ?? stamp)
            }
            sample = (offset, before)
        }
        segments[segments.count - 1].range = segments[segments.count - 1].range.lowerBound..<reader.consumedBytes
        return segments
    }

    /// Reads the lines from `sample` through the line at `end` again, each stamp this time, and
    /// returns where the first one more than ``bound`` before the latest starts, with the stamp
    /// reader's state before it.
    private static func firstBackwardLine(
        from sample: (offset: Int, stamps: StampReader), through end: Int, latest: Instant,
        open: (_ start: Int) throws(InputError) -> LineReader
    ) throws(InputError) -> (offset: Int, stamps: StampReader) {
        let reader = try open(sample.offset)
        var stamps = sample.stamps
        var latest = latest
        while true {
            let offset = sample.offset + reader.consumedBytes
            let before = stamps
            guard offset <= end, let line = try reader.nextLine() else { return (end, before) }
            guard let stamp = stamps.stamp(line) else { continue }
            if stamp.nanoseconds < latest.nanoseconds - bound * 1_000_000_000 { return (offset, before) }
            latest = max(latest, stamp)
        }
    }
}
