/// An input log opened for `heartline replay`, its format found by looking at its first bytes.
///
/// A file starting with the gzip magic bytes `1f 8b` is decompressed first, whatever its name, and
/// its decompressed bytes are looked at. It is a journal export stream if it starts with
/// `__CURSOR=` or `__REALTIME_TIMESTAMP=`, or with field lines (`NAME=value`) that include
/// `__REALTIME_TIMESTAMP` before the first empty line. It is refused as binary if it carries the
/// magic bytes of an executable, image, archive, database, journal file or other compression, or
/// if over 30% of its first 4 KiB are control bytes (other than tab, newline, carriage return,
/// form feed, backspace and escape) or bytes that are not UTF-8; long runs of NUL bytes, which a
/// log truncated in place can start with, do not count. Anything else is plain text.
///
/// The bytes looked at are not lost: the reader starts at the first byte. Standard input (`-`)
/// is sniffed the same way. Not `Sendable`: it owns an open file.
public struct InputFile {
    /// The name used in messages: the path as given, or `standard input` for `-`.
    public let path: String
    /// Whether the input was gzip-compressed.
    public let isCompressed: Bool
    /// The reader for the input's format.
    public let kind: InputKind

    /// Opens an input and picks its reader.
    ///
    /// - Parameters:
    ///   - path: A file path, or `-` for standard input.
    ///   - chunkSize: Bytes to read at a time.
    ///   - maxLineBytes: The longest plain-text line kept whole, in bytes.
    ///   - maxFieldBytes: The longest journal field value kept whole, in bytes.
    /// - Throws: ``InputError``: `notFound`, `permissionDenied`, `isDirectory`, `io`, `corruptGzip`,
    ///   or `binary` with the reason, e.g. `/bin/ls: looks like a binary file (ELF executable); not a log`.
    public init(
        path: String,
        chunkSize: Int = LineReader.defaultChunkSize,
        maxLineBytes: Int = LineReader.defaultMaxLineBytes,
        maxFieldBytes: Int = JournalExportReader.defaultMaxFieldBytes
    ) throws(InputError) {
        let file = path == "-" ? FileByteSource.standardInput() : try FileByteSource(path: path)
        var source: any ByteSource = file
        var head = try InputSniffer.readHead(of: &source, count: InputSniffer.headBytes)
        var isCompressed = false
        if head.starts(with: [0x1F, 0x8B]) {
            source = try GzipByteSource(ReplayingByteSource(head: head, rest: source), path: file.path)
            head = try InputSniffer.readHead(of: &source, count: InputSniffer.headBytes)
            isCompressed = true
        }
        var verdict = InputSniffer.classify(head, canLookFurther: head.count == InputSniffer.headBytes)
        if verdict == .undecided {
            // The first entry may be a journal entry with large fields: look further, once.
            head += try InputSniffer.readHead(of: &source, count: InputSniffer.longHeadBytes - head.count)
            verdict = InputSniffer.classify(head, canLookFurther: false)
        }
        let replaying = ReplayingByteSource(head: head, rest: source)
        switch verdict {
        case .binary(let reason):
            throw InputError(code: .binary, path: file.path, message: InputSniffer.binaryMessage(reason))
        case .journal:
            kind = .journal(JournalExportReader(source: replaying, chunkSize: chunkSize, maxFieldBytes: maxFieldBytes))
        case .text, .undecided:
            kind = .lines(LineReader(source: replaying, chunkSize: chunkSize, maxLineBytes: maxLineBytes))
        }
        self.path = file.path
        self.isCompressed = isCompressed
    }

    /// Opens an input with the default limits and returns just its reader.
    ///
    /// - Parameter path: A file path, or `-` for standard input.
    /// - Returns: The reader for the input's format.
    /// - Throws: ``InputError`` as ``init(path:chunkSize:maxLineBytes:maxFieldBytes:)`` does.
    public static func open(_ path: String) throws(InputError) -> InputKind {
        try InputFile(path: path).kind
    }
}

@available(*, unavailable)
extension InputFile: Sendable {}

/// Gives back bytes already read for sniffing, then the rest of the stream.
private struct ReplayingByteSource: ByteSource {
    let head: [UInt8]
    var rest: any ByteSource
    var offset = 0

    init(head: [UInt8], rest: any ByteSource) {
        self.head = head
        self.rest = rest
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard offset < head.count else {
            return try rest.read(into: buffer)
        }
        let count = min(buffer.count, head.count - offset)
        head.withUnsafeBytes { bytes in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]))
        }
        offset += count
        return count
    }
}
