internal import Glibc
import HeartlineCore
import HeartlineInput

/// One open log file being read, and the unfinished line at its end.
///
/// Reads with `pread(2)` at an explicit offset, so a truncated file restarts at 0 without seeking.
/// Tracks two offsets: bytes read, and bytes consumed (up to the end of the last line handed out);
/// the bytes between them are the partial last line, of which at most `maxLineBytes + 1` are kept
/// (one over the limit, to tell a CRLF ending from a longer line). Not `Sendable`: the follower's
/// thread owns it; the descriptor closes when it is released.
final class FollowedFile {
    /// What one call of ``read(into:chunks:clock:now:emit:)`` ended with.
    enum ReadOutcome: Equatable {
        /// Everything there was has been read.
        case endOfFile
        /// The chunk budget ran out first: more may be waiting.
        case moreAvailable
        /// `read(2)` failed.
        case failed(SystemCallError)
    }

    /// What the file's first bytes say it holds.
    enum Content: Equatable {
        /// Not looked at yet: the file had no bytes, or was truncated since.
        case unexamined
        /// A log: its lines are read.
        case text
        /// No log, for the reason given (``InputSniffer``'s words): nothing is read from it.
        case binary(String)
    }

    /// The followed path whose lines these are (a rotated file keeps the name it was followed by).
    let path: String
    /// The device the file is on.
    let device: UInt64
    /// The file's inode.
    let inode: UInt64
    /// The next byte to read.
    private(set) var readOffset: Int64 = 0
    /// Bytes consumed: the end of the last line handed out.
    private(set) var consumed: Int64 = 0
    /// When the file last grew, or was opened.
    private(set) var lastGrowth: ContinuousClock.Instant
    /// When the file was found renamed or deleted; `nil` while the path still names it.
    var rotatedAt: ContinuousClock.Instant?
    /// What ``examine()`` found; reset by ``restartFromBeginning()``.
    private(set) var content = Content.unexamined

    private let descriptor: Int32
    private let maxLineBytes: Int
    private let countDescriptors: (Int) -> Void
    private var fingerprint = FileIdentity.emptyFingerprint
    private var fingerprintLength = 0
    /// The kept head of the unfinished line.
    private var partial: [UInt8] = []
    /// The unfinished line's length so far, dropped bytes included.
    private var partialLength: Int64 = 0

    /// Opens a regular file for reading from its start.
    ///
    /// - Parameters:
    ///   - filePath: Where the file is now (a rotated copy may have another name than `path`).
    ///   - path: The followed path its lines are attributed to.
    ///   - maxLineBytes: The longest line kept whole.
    ///   - clock: The clock that stamps ``lastGrowth``.
    ///   - countDescriptors: Told `1` when the descriptor opens and `-1` when it closes.
    /// - Throws: ``SystemCallError`` when the file cannot be opened, or is not a regular file
    ///   (`EISDIR`, or `EINVAL` for a FIFO or device).
    init(
        opening filePath: String, as path: String, maxLineBytes: Int, clock: ContinuousClock,
        countDescriptors: @escaping (Int) -> Void
    ) throws(SystemCallError) {
        // O_NONBLOCK: a FIFO swapped in for the log must not block the thread in open(2).
        let descriptor = open(filePath, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw SystemCallError("cannot open") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = SystemCallError("cannot stat")
            close(descriptor)
            throw error
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            Glibc.errno = status.st_mode & S_IFMT == S_IFDIR ? EISDIR : EINVAL
            throw SystemCallError("not a regular file")
        }
        countDescriptors(1)
        self.descriptor = descriptor
        self.path = path
        self.device = UInt64(status.st_dev)
        self.inode = UInt64(status.st_ino)
        self.maxLineBytes = maxLineBytes
        self.countDescriptors = countDescriptors
        self.lastGrowth = clock.now
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        (fingerprint, fingerprintLength) = prefixFingerprint(length: FileIdentity.fingerprintLimit)
    }

    deinit {
        close(descriptor)
        countDescriptors(-1)
    }

    /// The file's identity as far as it has been fingerprinted.
    var identity: FileIdentity {
        FileIdentity(device: device, inode: inode, fingerprint: fingerprint, fingerprintLength: fingerprintLength)
    }

    /// The position after the last line handed out.
    var position: FilePosition {
        FilePosition(path: path, identity: identity, offset: consumed)
    }

    /// Whether bytes of an unfinished line are held.
    var hasPartialLine: Bool { partialLength > 0 }

    /// The file's current size and link count from `fstat(2)`.
    ///
    /// - Returns: Size in bytes and number of links (0 once deleted), or `nil` if `fstat` failed.
    func status() -> (size: Int64, links: UInt64)? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return (Int64(status.st_size), UInt64(status.st_nlink))
    }

    /// Whether this is the file a saved identity names: same device and inode, and the same first
    /// bytes over the length the saved fingerprint covers.
    ///
    /// - Parameter saved: An identity from a saved position.
    /// - Returns: `true` if the file still starts as it did when the identity was taken.
    func isFile(_ saved: FileIdentity) -> Bool {
        guard saved.device == device, saved.inode == inode else { return false }
        let (hash, length) = prefixFingerprint(length: saved.fingerprintLength)
        return length == saved.fingerprintLength && hash == saved.fingerprint
    }

    /// Whether the file was truncated (copytruncate) since it was read: it is shorter than what was
    /// read, or its first bytes are no longer the fingerprinted ones (truncated and written up to
    /// or past the old offset between two looks).
    ///
    /// The first bytes are compared even when the file has not grown: a truncated file that got
    /// as many bytes as were read before looks unchanged by its size, and once it is renamed away
    /// no later write may come to show it.
    ///
    /// - Parameter size: The file's current size.
    /// - Returns: `true` if reading must restart at 0.
    func wasTruncated(size: Int64) -> Bool {
        if size < readOffset {
            return true
        }
        guard fingerprintLength > 0 else { return false }
        let (hash, length) = prefixFingerprint(length: fingerprintLength)
        return length != fingerprintLength || hash != fingerprint
    }

    /// Continues from a saved offset: the bytes before it count as consumed.
    ///
    /// - Parameter offset: Bytes already consumed, at most the file's size.
    func resume(at offset: Int64) {
        readOffset = offset
        consumed = offset
    }

    /// Starts after the last complete line, so that only lines written from now on are read.
    ///
    /// An unfinished last line is read whole once its newline comes. When no newline is found in
    /// the last `maxLineBytes + 1` bytes (the last line is over the limit anyway), reading starts at
    /// the end.
    ///
    /// - Parameter buffer: Scratch space for reading backwards.
    func startAfterLastCompleteLine(buffer: UnsafeMutableRawBufferPointer) {
        guard let size = status()?.size, let base = buffer.baseAddress else { return }
        var windowEnd = size
        let lowest = max(0, size - Int64(maxLineBytes) - 1)
        while windowEnd > lowest {
            let windowStart = max(lowest, windowEnd - Int64(buffer.count))
            let count = pread(descriptor, base, Int(windowEnd - windowStart), off_t(windowStart))
            guard count > 0 else { break }
            let window = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            if let newline = window.lastIndex(of: 0x0A) {
                resume(at: windowStart + Int64(newline) + 1)
                return
            }
            windowEnd = windowStart
        }
        resume(at: lowest == 0 ? 0 : size)
    }

    /// Classifies the file by its first ``InputSniffer/headBytes`` bytes, the rule replay uses, unless
    /// it was already: an empty file is not binary yet and stays unexamined until it has bytes.
    ///
    /// - Returns: Whether this call found the file binary.
    func examine() -> Bool {
        guard content == .unexamined else { return false }
        let head = [UInt8](unsafeUninitializedCapacity: InputSniffer.headBytes) { bytes, filled in
            filled = 0
            while filled < bytes.count {
                let count = pread(descriptor, bytes.baseAddress! + filled, bytes.count - filled, off_t(filled))
                if count < 0 && Glibc.errno == EINTR { continue }
                guard count > 0 else { break }
                filled += count
            }
        }
        guard !head.isEmpty else { return false }
        if case .binary(let reason) = InputSniffer.classify(head, canLookFurther: false) {
            content = .binary(reason)
            return true
        }
        content = .text
        return false
    }

    /// Starts again at byte 0 after a copytruncate; any partial line must have been flushed.
    ///
    /// The new first bytes are examined again.
    func restartFromBeginning() {
        content = .unexamined
        readOffset = 0
        consumed = 0
        partial = []
        partialLength = 0
        (fingerprint, fingerprintLength) = prefixFingerprint(length: FileIdentity.fingerprintLimit)
    }

    /// Reads what the file holds past ``readOffset`` and hands out every complete line.
    ///
    /// - Parameters:
    ///   - buffer: Where chunks are read; its size is the chunk size.
    ///   - chunks: The most chunks to read in this call, so that one busy file does not starve others.
    ///   - clock: The clock for ``lastGrowth``.
    ///   - now: The wall clock for the lines' `readAt`.
    ///   - emit: Receives each line; throws to stop reading.
    /// - Returns: Whether the end was reached, more may be waiting, or the read failed.
    /// - Throws: Whatever `emit` throws.
    func read<Failure: Error>(
        into buffer: UnsafeMutableRawBufferPointer, chunks: Int, clock: ContinuousClock, now: () -> Instant,
        emit: (FileLine) throws(Failure) -> Void
    ) throws(Failure) -> ReadOutcome {
        guard let base = buffer.baseAddress else { return .endOfFile }
        var remaining = chunks
        while remaining > 0 {
            let count = pread(descriptor, base, buffer.count, off_t(readOffset))
            if count < 0 {
                if Glibc.errno == EINTR { continue }
                return .failed(SystemCallError("read failed"))
            }
            if count == 0 {
                return .endOfFile
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            lastGrowth = clock.now
            widenFingerprint(with: chunk)
            try split(chunk, readAt: now(), emit: emit)
            remaining -= 1
        }
        return .moreAvailable
    }

    /// Hands out the unfinished line as it is, if there is one: at a timeout, at a copytruncate, or
    /// when a rotated-away file is closed. What is written after it becomes a line of its own.
    ///
    /// - Parameters:
    ///   - readAt: The wall-clock time to stamp the line with.
    ///   - emit: Receives the line.
    /// - Throws: Whatever `emit` throws.
    func flushPartialLine<Failure: Error>(
        readAt: Instant, emit: (FileLine) throws(Failure) -> Void
    ) throws(Failure) {
        guard partialLength > 0 else { return }
        let total = partialLength
        let kept = partial
        partial = []
        partialLength = 0
        consumed += total
        let (bytes, truncated) = shape(kept, length: total)
        try emit(FileLine(bytes: bytes, position: position, truncated: truncated, readAt: readAt))
    }

    private func split<Failure: Error>(
        _ chunk: UnsafeRawBufferPointer, readAt: Instant, emit: (FileLine) throws(Failure) -> Void
    ) throws(Failure) {
        guard let base = chunk.baseAddress else { return }
        let chunkStart = readOffset
        readOffset += Int64(chunk.count)
        var start = 0
        while start < chunk.count {
            guard let newline = memchr(base + start, 0x0A, chunk.count - start) else {
                appendPartial(UnsafeRawBufferPointer(rebasing: chunk[start...]))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(newline))
            let segment = UnsafeRawBufferPointer(rebasing: chunk[start..<end])
            let (bytes, truncated): ([UInt8], Bool)
            if partialLength == 0 {
                (bytes, truncated) = shape(Array(segment.prefix(maxLineBytes + 1)), length: Int64(segment.count))
            } else {
                appendPartial(segment)
                (bytes, truncated) = shape(partial, length: partialLength)
                partial = []
                partialLength = 0
            }
            consumed = chunkStart + Int64(end) + 1
            start = end + 1
            try emit(FileLine(bytes: bytes, position: position, truncated: truncated, readAt: readAt))
        }
    }

    /// Drops one `\r` before the newline, then cuts a line over the limit.
    ///
    /// - Parameters:
    ///   - kept: The line's first bytes, at most `maxLineBytes + 1`.
    ///   - length: The line's whole length without its `\n`.
    /// - Returns: The line's bytes and whether it was cut.
    private func shape(_ kept: [UInt8], length: Int64) -> ([UInt8], Bool) {
        var bytes = kept
        if length == Int64(bytes.count), bytes.last == 0x0D {
            bytes.removeLast()
        }
        guard bytes.count > maxLineBytes || length > Int64(kept.count) else { return (bytes, false) }
        bytes.removeLast(bytes.count - min(bytes.count, maxLineBytes))
        return (bytes, true)
    }

    private func appendPartial(_ bytes: UnsafeRawBufferPointer) {
        let room = maxLineBytes + 1 - partial.count
        if room > 0 {
            partial.append(contentsOf: bytes.prefix(room))
        }
        partialLength += Int64(bytes.count)
    }

    /// Extends the fingerprint over the part of a chunk that lies in the file's first KiB.
    private func widenFingerprint(with chunk: UnsafeRawBufferPointer) {
        let chunkStart = readOffset
        let limit = Int64(FileIdentity.fingerprintLimit)
        let covered = Int64(fingerprintLength)
        guard covered < limit, chunkStart <= covered, chunkStart + Int64(chunk.count) > covered else { return }
        let from = Int(covered - chunkStart)
        let to = Int(min(limit, chunkStart + Int64(chunk.count)) - chunkStart)
        fingerprint = FileIdentity.fingerprint(
            continuing: fingerprint, over: UnsafeRawBufferPointer(rebasing: chunk[from..<to]))
        fingerprintLength += to - from
    }

    /// FNV-1a over the file's first `length` bytes, read with `pread(2)`.
    ///
    /// - Parameter length: Bytes wanted, at most ``FileIdentity/fingerprintLimit``.
    /// - Returns: The hash and how many bytes it covers (fewer if the file is shorter).
    private func prefixFingerprint(length: Int) -> (UInt64, Int) {
        withUnsafeTemporaryAllocation(byteCount: FileIdentity.fingerprintLimit, alignment: 8) { scratch in
            var filled = 0
            while filled < length {
                let count = pread(descriptor, scratch.baseAddress! + filled, length - filled, off_t(filled))
                if count < 0 && Glibc.errno == EINTR { continue }
                guard count > 0 else { break }
                filled += count
            }
            let bytes = UnsafeRawBufferPointer(rebasing: scratch[..<filled])
            return (FileIdentity.fingerprint(continuing: FileIdentity.emptyFingerprint, over: bytes), filled)
        }
    }
}
