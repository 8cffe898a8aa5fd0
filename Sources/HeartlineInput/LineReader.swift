internal import Glibc

/// Splits a byte stream into lines without copying them.
///
/// Lines end at `\n`; one `\r` before it is dropped, so CRLF files read like LF files. The last
/// line is returned even without a final newline. Bytes are not decoded: NUL bytes and invalid
/// UTF-8 come through untouched. Each line is a view into the reader's buffer, valid only until
/// the next call, so reading allocates and copies nothing per line.
///
/// A line longer than ``maxLineBytes`` is cut to its first ``maxLineBytes`` bytes and counted in
/// ``truncatedLines``; the rest of it is read and dropped in chunks, never held whole. The buffer
/// therefore never exceeds about `maxLineBytes + chunkSize` bytes, however long a line is.
///
/// Not `Sendable`: one thread reads it.
public final class LineReader {
    /// The default number of bytes read from the source at a time: 256 KiB.
    public static let defaultChunkSize = 256 * 1024
    /// The default longest line kept whole: 1 MiB.
    public static let defaultMaxLineBytes = 1024 * 1024

    /// The number of bytes asked of the source per read, at least.
    public let chunkSize: Int
    /// The longest line returned whole, in bytes, not counting the line ending.
    public let maxLineBytes: Int
    /// Lines returned so far, truncated ones included.
    public private(set) var linesRead = 0
    /// Bytes read from the source so far (decompressed bytes for gzip).
    public private(set) var bytesRead = 0
    /// The offset in the source of the first byte not yet returned: where the next line starts.
    public var consumedBytes: Int { bytesRead - (end - start) }
    /// Lines that were longer than ``maxLineBytes`` and returned cut short.
    public private(set) var truncatedLines = 0
    /// Changes whenever buffered bytes move or are replaced; while it stays the same, views handed
    /// out earlier (and ``lookahead``) still show the same bytes at the same addresses.
    public private(set) var generation = 0

    /// The last line returned and every byte read after it, up to the end of what is buffered:
    /// whole lines that later calls will return, possibly ending in part of one.
    ///
    /// Lets a caller work on many lines at once (one multi-pattern scan per buffer rather than per
    /// line). Valid until the next call, like the line itself.
    public var lookahead: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + lastLineStart, count: end - lastLineStart)
    }

    /// The whole lines before the last line returned that were read in the same fill of the
    /// buffer (since ``generation`` last changed), each ending in its newline; empty after a refill.
    ///
    /// Lets a caller look back at lines it read past without keeping them. Valid until the next call.
    public var lookbehind: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer + firstWholeLine, count: max(0, lastLineStart - firstWholeLine))
    }

    private var source: any ByteSource
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private let maxCapacity: Int
    /// The first byte not yet returned or consumed.
    private var start = 0
    /// One past the last byte read from the source.
    private var end = 0
    /// How many bytes from `start` are already known to hold no newline.
    private var scanned = 0
    private var sourceEnded = false
    /// Whether the bytes up to the next newline belong to a line already returned truncated.
    private var discarding = false
    /// Where the last line returned starts in the buffer.
    private var lastLineStart = 0
    /// Where the first line returned whole since the last refill starts: after the dropped tail
    /// of a truncated line, if one was there.
    private var firstWholeLine = 0

    /// Creates a reader.
    ///
    /// - Parameters:
    ///   - source: The bytes to split.
    ///   - chunkSize: Bytes to read from `source` at a time; tests use tiny values to split lines.
    ///   - maxLineBytes: The longest line kept whole, in bytes.
    public init(
        source: any ByteSource,
        chunkSize: Int = LineReader.defaultChunkSize,
        maxLineBytes: Int = LineReader.defaultMaxLineBytes
    ) {
        precondition(chunkSize > 0 && chunkSize <= 1 << 40, "chunkSize out of range")
        precondition(maxLineBytes > 0 && maxLineBytes <= 1 << 40, "maxLineBytes out of range")
        self.source = source
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
        // Room for a partial line one byte over the limit (to tell a CRLF ending from a longer line),
        // or for a journal binary field's 8-byte size, plus a whole chunk read after it.
        self.maxCapacity = max(maxLineBytes + 1, 8) + chunkSize
        self.capacity = chunkSize
        self.buffer = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// Returns the next line, without its `\n` or `\r\n`.
    ///
    /// - Returns: The line's bytes, valid until the next call on this reader; `nil` at the end.
    /// - Throws: The source's ``InputError``; the reader should not be used after one.
    public func nextLine() throws(InputError) -> UnsafeRawBufferPointer? {
        while true {
            let pending = end - start
            if let newline = memchr(buffer + start + scanned, 0x0A, pending - scanned) {
                let lineStart = start
                let lineEnd = buffer.distance(to: newline)
                start = lineEnd + 1
                scanned = 0
                if discarding {
                    discarding = false
                    firstWholeLine = start
                    continue
                }
                return line(from: lineStart, to: lineEnd)
            }
            scanned = pending
            if discarding {
                start = end
                scanned = 0
                if sourceEnded { return nil }
                try refill()
                continue
            }
            if pending > maxLineBytes + 1 {
                // Even if a `\r\n` follows, the line is over the limit: return its head, drop the rest.
                let lineStart = start
                start = end
                scanned = 0
                discarding = true
                linesRead += 1
                truncatedLines += 1
                lastLineStart = lineStart
                return UnsafeRawBufferPointer(start: buffer + lineStart, count: maxLineBytes)
            }
            if sourceEnded {
                guard pending > 0 else { return nil }
                let lineStart = start
                start = end
                scanned = 0
                return line(from: lineStart, to: end)
            }
            try refill()
        }
    }

    /// Reads `count` bytes verbatim, newlines included, keeping at most `limit` of them.
    ///
    /// The journal export format's binary fields are a size and raw bytes between lines. Only
    /// called right after a line that was returned whole, so no truncated line is being dropped.
    ///
    /// - Parameters:
    ///   - count: Bytes to consume.
    ///   - limit: Bytes to append to `bytes`; the rest are consumed and dropped.
    ///   - bytes: Receives the kept bytes.
    /// - Returns: Bytes consumed: `count`, or fewer if the stream ended.
    func readBytes(_ count: Int, keepingAtMost limit: Int, into bytes: inout [UInt8]) throws(InputError) -> Int {
        var remaining = count
        var kept = 0
        scanned = 0
        while remaining > 0 {
            if start == end {
                if sourceEnded { break }
                try refill()
                continue
            }
            let taken = min(remaining, end - start)
            let keep = min(taken, limit - kept)
            if keep > 0 {
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer + start, count: keep))
                kept += keep
            }
            start += taken
            remaining -= taken
        }
        return count - remaining
    }

    /// Makes at least `count` bytes (at most 8) available without consuming them.
    ///
    /// - Parameter count: Bytes wanted, 1...8.
    /// - Returns: The next bytes: `count` of them, or fewer if the stream ends first.
    func peekBytes(_ count: Int) throws(InputError) -> UnsafeRawBufferPointer {
        while end - start < count && !sourceEnded {
            try refill()
        }
        return UnsafeRawBufferPointer(start: buffer + start, count: min(count, end - start))
    }

    /// Whether the next line's newline is already buffered, so that the line just returned is not
    /// the last one the buffer holds; false at the end of the input and before a refill.
    ///
    /// Costs the search for that newline, which the next ``nextLine()`` then does not repeat.
    public var nextLineIsBuffered: Bool {
        guard !discarding else { return false }
        let pending = end - start
        guard let newline = memchr(buffer + start + scanned, 0x0A, pending - scanned) else {
            scanned = pending
            return false
        }
        scanned = (buffer + start).distance(to: newline)
        return true
    }

    /// Where the next line starts in the buffer (the first byte not yet returned); valid, like a
    /// line, until the next call.
    public var nextLineStart: UnsafeRawPointer {
        UnsafeRawPointer(buffer + start)
    }

    /// Passes over up to `count` whole buffered lines whose newline lies before `limit`, without
    /// returning them; they count in ``linesRead`` (and, if too long, ``truncatedLines``) as if
    /// returned, and stay in ``lookbehind``. The last whole line buffered is never passed over, so
    /// that it is returned and ``nextLineIsBuffered`` can say it is the last.
    ///
    /// - Parameters:
    ///   - count: The most lines to pass over.
    ///   - limit: A place in the buffer; a line whose newline is at or after it is kept.
    /// - Returns: How many lines were passed over.
    public func skipLines(upTo count: Int, endingBefore limit: UnsafeRawPointer) -> Int {
        guard !discarding, count > 0 else { return 0 }
        var lineStart = start
        guard var newline = memchr(buffer + start, 0x0A, end - start).map(UnsafeRawPointer.init) else { return 0 }
        var skipped = 0
        while skipped < count, newline < limit {
            let lineEnd = UnsafeRawPointer(buffer).distance(to: newline)
            guard let next = memchr(buffer + lineEnd + 1, 0x0A, end - lineEnd - 1) else { break }
            var length = lineEnd - lineStart
            if length > 0 && buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { length -= 1 }
            if length > maxLineBytes { truncatedLines += 1 }
            linesRead += 1
            lastLineStart = lineStart
            skipped += 1
            lineStart = lineEnd + 1
            newline = UnsafeRawPointer(next)
        }
        start = lineStart
        scanned = UnsafeRawPointer(buffer + start).distance(to: newline)
        return skipped
    }

    private func line(from lineStart: Int, to lineEnd: Int) -> UnsafeRawBufferPointer {
        var length = lineEnd - lineStart
        if length > 0 && buffer.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D {
            length -= 1
        }
        linesRead += 1
        lastLineStart = lineStart
        if length > maxLineBytes {
            truncatedLines += 1
            length = maxLineBytes
        }
        return UnsafeRawBufferPointer(start: buffer + lineStart, count: length)
    }

    /// Moves the unconsumed bytes to the front, grows the buffer if a chunk would not fit, and reads.
    private func refill() throws(InputError) {
        generation += 1
        lastLineStart = 0
        firstWholeLine = 0
        let pending = end - start
        if start > 0 {
            if pending > 0 {
                memmove(buffer, buffer + start, pending)
            }
            start = 0
            end = pending
        }
        if capacity - end < chunkSize && capacity < maxCapacity {
            let grown = min(maxCapacity, max(capacity * 2, end + chunkSize))
            let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
            larger.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = larger
            capacity = grown
        }
        let count = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if count == 0 {
            sourceEnded = true
        } else {
            end += count
            bytesRead += count
        }
    }
}

@available(*, unavailable)
extension LineReader: Sendable {}
