import Foundation
import HeartlineCore
import HeartlineInput

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "heartline-input-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` to `name` in the directory and returns the file's path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }
}

/// Compresses bytes with the system's gzip(1), so the test does not trust our own zlib use.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let directory = try TemporaryDirectory()
    let file = try directory.write("plain", bytes)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
    process.arguments = ["-n", "-k", file]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw GzipFailed() }
    return Array(try Data(contentsOf: URL(fileURLWithPath: file + ".gz")))
}

struct GzipFailed: Error {}

/// Every remaining line of a reader, copied out.
func allLines(_ reader: LineReader) throws -> [[UInt8]] {
    var lines: [[UInt8]] = []
    while let line = try reader.nextLine() {
        lines.append(Array(line))
    }
    return lines
}

/// Every remaining entry of a reader.
func allEntries(_ reader: JournalExportReader) throws -> [JournalEntry] {
    var entries: [JournalEntry] = []
    while let entry = try reader.nextEntry() {
        entries.append(entry)
    }
    return entries
}

/// Writes the journal export format (https://systemd.io/JOURNAL_EXPORT_FORMATS/) the way
/// journalctl does: text fields as `NAME=value`, values with a newline or control byte in binary.
enum JournalExportWriter {
    static func entry(_ fields: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for (name, value) in fields {
            out += name.utf8
            if value.contains(where: { $0 < 0x20 }) {
                out.append(0x0A)
                withUnsafeBytes(of: UInt64(value.count).littleEndian) { out += $0 }
                out += value
                out.append(0x0A)
            } else {
                out.append(UInt8(ascii: "="))
                out += value
                out.append(0x0A)
            }
        }
        out.append(0x0A)
        return out
    }

    static func entry(_ fields: [(String, String)]) -> [UInt8] {
        entry(fields.map { ($0.0, Array($0.1.utf8)) })
    }
}

/// A source of `count` repeated bytes, then `tail`: a huge line that is never held in memory.
struct RepeatingByteSource: ByteSource {
    var remaining: Int
    let byte: UInt8
    var tail: MemoryByteSource

    init(byte: UInt8, count: Int, then tail: [UInt8]) {
        self.remaining = count
        self.byte = byte
        self.tail = MemoryByteSource(tail)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard remaining > 0 else { return tail.read(into: buffer) }
        let count = min(remaining, buffer.count)
        buffer.baseAddress?.initializeMemory(as: UInt8.self, repeating: byte, count: count)
        remaining -= count
        return count
    }
}

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// A source that hands out at most `perRead` bytes per read, as a slow pipe does, so that lines
/// and fields really are split across reads.
struct TrickleByteSource: ByteSource {
    var bytes: MemoryByteSource
    let perRead: Int

    init(_ bytes: [UInt8], perRead: Int) {
        self.bytes = MemoryByteSource(bytes)
        self.perRead = perRead
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        bytes.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(perRead)))
    }
}
