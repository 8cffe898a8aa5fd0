public import HeartlineCore

/// Reads entries from a journal export stream, the output of `journalctl -o export`.
///
/// The format (systemd's "Journal Export Format", https://systemd.io/JOURNAL_EXPORT_FORMATS/):
/// entries are separated by an empty line; a field is either a text line `NAME=value\n`, or, for
/// values that are not plain text, the name alone on a line, its size as a 64-bit little-endian
/// integer, the raw bytes and a `\n`. Field names are `A`-`Z`, `0`-`9` and `_`, at most 64 bytes,
/// not starting with a digit (systemd's own rule).
///
/// Damaged input never stops the reader: an entry with a bad field name, a size that cannot be
/// (over journald's 768 MiB field limit, or running past the end of the data) or a binary field not
/// followed by `\n` is dropped up to the next empty line and counted in ``malformedEntries``.
/// Values longer than ``maxFieldBytes`` are cut to that many bytes and counted in
/// ``truncatedFields``, so memory stays bounded. Not `Sendable`: one thread reads it.
public final class JournalExportReader {
    /// The default longest field value kept whole: 16 MiB.
    public static let defaultMaxFieldBytes = 16 * 1024 * 1024
    /// journald's largest field (`DATA_SIZE_MAX`, 768 MiB); a declared size above it is damage.
    static let largestPossibleField: UInt64 = 768 * 1024 * 1024

    /// The longest field value kept, in bytes; a text field's line counts its name too.
    public let maxFieldBytes: Int
    /// Entries returned so far.
    public private(set) var entriesRead = 0
    /// Entries dropped because they were damaged.
    public private(set) var malformedEntries = 0
    /// Field values that were longer than ``maxFieldBytes`` and kept cut short.
    public private(set) var truncatedFields = 0
    /// Bytes read from the source so far (decompressed bytes for gzip).
    public var bytesRead: Int { lines.bytesRead }

    private let lines: LineReader
    /// ``LineReader/truncatedLines`` as of the last line looked at, to tell whether it was cut.
    private var truncatedLinesSeen = 0

    /// Creates a reader.
    ///
    /// - Parameters:
    ///   - source: The export stream.
    ///   - chunkSize: Bytes to read from `source` at a time.
    ///   - maxFieldBytes: The longest field value kept whole, in bytes.
    public init(
        source: any ByteSource,
        chunkSize: Int = LineReader.defaultChunkSize,
        maxFieldBytes: Int = JournalExportReader.defaultMaxFieldBytes
    ) {
        self.maxFieldBytes = maxFieldBytes
        self.lines = LineReader(source: source, chunkSize: chunkSize, maxLineBytes: maxFieldBytes)
    }

    /// Returns the next well-formed entry, skipping damaged ones.
    ///
    /// - Returns: The entry, or `nil` at the end of the stream. A last entry without the closing
    ///   empty line is still returned.
    /// - Throws: The source's ``InputError`` (a read error, corrupt gzip).
    public func nextEntry() throws(InputError) -> JournalEntry? {
        var fields: [String: [UInt8]] = [:]
        var damaged = false
        while let line = try lines.nextLine() {
            let truncated = lines.truncatedLines != truncatedLinesSeen
            truncatedLinesSeen = lines.truncatedLines
            if line.isEmpty {
                if damaged {
                    malformedEntries += 1
                    damaged = false
                    fields = [:]
                } else if !fields.isEmpty {
                    entriesRead += 1
                    return JournalEntry(fields: fields)
                }
            } else if !damaged {
                damaged = try !readField(line, truncated: truncated, into: &fields)
            }
        }
        if damaged {
            malformedEntries += 1
            return nil
        }
        if fields.isEmpty {
            return nil
        }
        entriesRead += 1
        return JournalEntry(fields: fields)
    }

    /// Adds one field that starts with `line`, reading a binary field's bytes after it.
    ///
    /// - Parameters:
    ///   - line: The field's first line.
    ///   - truncated: Whether the line reader cut `line` short.
    ///   - fields: The entry so far.
    /// - Returns: `false` if the field is damaged.
    private func readField(
        _ line: UnsafeRawBufferPointer,
        truncated: Bool,
        into fields: inout [String: [UInt8]]
    ) throws(InputError) -> Bool {
        // A valid name is at most 64 bytes, so a `=` further in cannot end one.
        if let equals = line.prefix(JournalFieldName.longest + 1).firstIndex(of: UInt8(ascii: "=")) {
            let name = UnsafeRawBufferPointer(rebasing: line[..<equals])
            guard Self.isValidName(name) else { return false }
            if truncated {
                truncatedFields += 1
            }
            let key = String(decoding: name, as: UTF8.self)
            if fields[key] == nil {
                fields[key] = Array(line[(equals + 1)...])
            }
            return true
        }
        guard Self.isValidName(line) else { return false }
        // The line is only valid until the reader moves on, so take the name now.
        let key = String(decoding: line, as: UTF8.self)
        let sizeBytes = try lines.peekBytes(8)
        guard sizeBytes.count == 8 else { return false }
        let size = UInt64(littleEndian: sizeBytes.loadUnaligned(as: UInt64.self))
        // Leaving an impossible size unread lets the lines after the name be skipped as text,
        // so the next entry is found again.
        guard size <= Self.largestPossibleField else { return false }
        var ignored: [UInt8] = []
        _ = try lines.readBytes(8, keepingAtMost: 0, into: &ignored)
        let keep = fields[key] == nil ? min(Int(size), maxFieldBytes) : 0
        var value: [UInt8] = []
        value.reserveCapacity(keep)
        guard try lines.readBytes(Int(size), keepingAtMost: keep, into: &value) == Int(size) else { return false }
        let terminator = try lines.peekBytes(1)
        guard terminator.first == 0x0A else { return false }
        _ = try lines.readBytes(1, keepingAtMost: 0, into: &ignored)
        if Int(size) > maxFieldBytes {
            truncatedFields += 1
        }
        if fields[key] == nil {
            fields[key] = value
        }
        return true
    }

    /// Whether `name` may name a field of an export stream: a stored field or an address such as
    /// `__CURSOR` (``JournalFieldName``'s rule).
    static func isValidName(_ name: some Collection<UInt8>) -> Bool {
        JournalFieldName.kind(of: name) != .invalid
    }
}

@available(*, unavailable)
extension JournalExportReader: Sendable {}
