import HeartlineRegex

/// Decides from a file's first bytes whether it is plain text, a journal export stream or binary.
///
/// The rules are listed on ``InputFile``. Replay and the daemon's file follower both refuse what it
/// calls binary, with the words of ``binaryMessage(_:)``.
package enum InputSniffer {
    /// How many bytes are looked at first: 4 KiB.
    package static let headBytes = 4096
    /// How far to look for `__REALTIME_TIMESTAMP` in a first entry that outgrows ``headBytes``: 64 KiB.
    static let longHeadBytes = 64 * 1024
    /// Runs of NUL bytes at least this long are ignored by the binary test.
    static let nulRunIgnored = 16

    /// What the first bytes look like.
    package enum Verdict: Equatable {
        case text
        case journal
        /// Not a log; the reason names what it looks like instead.
        case binary(String)
        /// Field lines without `__REALTIME_TIMESTAMP` yet, and the first entry runs past the bytes seen.
        case undecided
    }

    /// Magic bytes of formats that are surely not logs, with the words for the message.
    private static let magics: [(bytes: [UInt8], reason: String)] = [
        ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"),
        (Array("LPKSHHRH".utf8), "systemd journal file; export it with `journalctl --file … -o export`"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz-compressed data; decompress it first"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd-compressed data; decompress it first"),
        ([0x50, 0x4B, 0x03, 0x04], "zip archive"),
        ([0x89, 0x50, 0x4E, 0x47], "PNG image"),
        (Array("SQLite format 3\0".utf8), "SQLite database"),
        ([0xFF, 0xFE], "UTF-16 text; convert it to UTF-8 first"),
        ([0xFE, 0xFF], "UTF-16 text; convert it to UTF-8 first"),
    ]

    /// Reads until `count` bytes or the end of the stream.
    ///
    /// - Parameters:
    ///   - source: The stream; a pipe may return fewer bytes per read.
    ///   - count: How many bytes to read at most.
    /// - Returns: The bytes read.
    static func readHead(of source: inout any ByteSource, count: Int) throws(InputError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < count {
            let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if read == 0 { break }
            filled += read
        }
        return Array(buffer[..<filled])
    }

    /// Classifies the first bytes of an input.
    ///
    /// - Parameters:
    ///   - head: The first bytes (decompressed if gzip).
    ///   - canLookFurther: Whether more bytes could be read if these do not decide; when false, a
    ///     first entry of field lines without `__REALTIME_TIMESTAMP` so far makes the input text.
    /// - Returns: The verdict; `undecided` only when `canLookFurther` is true.
    package static func classify(_ head: [UInt8], canLookFurther: Bool) -> Verdict {
        if head.starts(with: "__CURSOR=".utf8) || head.starts(with: "__REALTIME_TIMESTAMP=".utf8) {
            return .journal
        }
        if let magic = magics.first(where: { head.starts(with: $0.bytes) }) {
            return .binary(magic.reason)
        }
        // "BZh" alone could start a text line; bzip2 follows it with the block size digit.
        if head.starts(with: "BZh".utf8) && head.count > 3 && (0x31...0x39).contains(head[3]) {
            return .binary("bzip2-compressed data; decompress it first")
        }
        switch journalFields(head, canLookFurther: canLookFurther) {
        case .some(true): return .journal
        case .none: return .undecided
        case .some(false): break
        }
        let window = head.prefix(headBytes)
        let (suspicious, counted) = suspiciousBytes(window)
        if counted > 0 && suspicious * 10 > counted * 3 {
            let percent = suspicious * 100 / counted
            return .binary("\(percent)% control or non-UTF-8 bytes in the first \(window.count) bytes")
        }
        return .text
    }

    /// Why an input is refused, in the words replay and the daemon share.
    ///
    /// - Parameter reason: What the input looks like, from ``Verdict/binary(_:)``.
    /// - Returns: For example `looks like a binary file (ELF executable); not a log`.
    package static func binaryMessage(_ reason: String) -> String {
        "looks like a binary file (\(reason)); not a log"
    }

    /// Whether `head` starts with journal export fields that include `__REALTIME_TIMESTAMP`.
    ///
    /// - Returns: `true` or `false`, or `nil` when the bytes ran out inside the first entry first.
    private static func journalFields(_ head: [UInt8], canLookFurther: Bool) -> Bool? {
        var offset = 0
        var fieldCount = 0
        var sawRealtime = false
        while offset < head.count {
            guard let newline = head[offset...].firstIndex(of: 0x0A) else { break }
            let line = head[offset..<newline]
            offset = newline + 1
            if line.isEmpty || line == [0x0D] {
                return fieldCount >= 2 && sawRealtime
            }
            let name = line.prefix(while: { $0 != UInt8(ascii: "=") })
            guard JournalExportReader.isValidName(name) else { return false }
            if name.count == line.count {
                // A binary field: 8-byte little-endian size, the bytes, a newline.
                guard head.count - offset >= 8 else { break }
                let size = head[offset..<offset + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                guard size <= JournalExportReader.largestPossibleField else { return false }
                offset += 8 + Int(size) + 1
            } else if name.elementsEqual("__REALTIME_TIMESTAMP".utf8) {
                sawRealtime = true
            }
            fieldCount += 1
            if fieldCount >= 2 && sawRealtime {
                return true
            }
        }
        return fieldCount > 0 && canLookFurther ? nil : false
    }

    /// Counts bytes no log would hold: control bytes other than text whitespace and escape, and
    /// bytes outside valid UTF-8 sequences. Long NUL runs are skipped, counted in neither total.
    ///
    /// - Returns: The suspicious bytes and the bytes considered.
    private static func suspiciousBytes(_ window: ArraySlice<UInt8>) -> (suspicious: Int, counted: Int) {
        let bytes = Array(window)
        var suspicious = 0
        var counted = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 {
                let run = bytes[index...].prefix(while: { $0 == 0 }).count
                if run < nulRunIgnored {
                    suspicious += run
                    counted += run
                }
                index += run
            } else if byte < 0x80 {
                let isText = (byte >= 0x20 && byte != 0x7F) || [0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains(byte)
                if !isText { suspicious += 1 }
                counted += 1
                index += 1
            } else {
                // A sequence cut off by the end of the sniffed window counts as text.
                let length = min(
                    bytes.withUnsafeBytes { UTF8Check.sequenceLength($0, at: index) }, bytes.count - index)
                if length == 0 {
                    suspicious += 1
                    counted += 1
                    index += 1
                } else {
                    counted += length
                    index += length
                }
            }
        }
        return (suspicious, counted)
    }
}
