import Foundation
import HeartlineCore
import HeartlineInput
import Testing

struct InputFileTests {
    static let journal = JournalExportWriter.entry([
        ("__CURSOR", "s=1;i=1"), ("__REALTIME_TIMESTAMP", "1732881600000000"), ("MESSAGE", "from the journal"),
    ])

    private func lines(of file: InputFile) throws -> [String] {
        guard case .lines(let reader) = file.kind else {
            Issue.record("expected plain text, got a journal")
            return []
        }
        return try allLines(reader).map { String(decoding: $0, as: UTF8.self) }
    }

    private func entries(of file: InputFile) throws -> [JournalEntry] {
        guard case .journal(let reader) = file.kind else {
            Issue.record("expected a journal export stream, got plain text")
            return []
        }
        return try allEntries(reader)
    }

    @Test func plainTextIsReadAsLinesWithTheSniffedBytesKept() throws {
        let directory = try TemporaryDirectory()
        let text = (0..<2000).map { "Nov 29 03:00:\($0 % 60) host cron[\($0)]: job \($0) done" }
        let path = try directory.write("app.log", text.joined(separator: "\n") + "\n")
        let file = try InputFile(path: path, chunkSize: 1000)
        #expect(file.path == path)
        #expect(!file.isCompressed)
        #expect(try lines(of: file) == text)
    }

    @Test func openReturnsTheReaderForTheFormat() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("export", Self.journal)
        guard case .journal(let reader) = try InputFile.open(path) else {
            Issue.record("expected a journal export stream")
            return
        }
        #expect(try reader.nextEntry()?.field("MESSAGE") == "from the journal")
    }

    @Test func gzipFileIsDecompressedWhateverItsName() throws {
        let directory = try TemporaryDirectory()
        let text = (0..<3000).map { "2025-11-29T03:00:00Z backup: snapshot \($0) saved" }
        let path = try directory.write("app.log.1", try gzip(bytes(text.joined(separator: "\n"))))
        let file = try InputFile(path: path)
        #expect(file.isCompressed)
        #expect(try lines(of: file) == text)
    }

    @Test func journalExportIsRecognisedByItsFirstField() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("export", Self.journal + Self.journal)
        let file = try InputFile(path: path)
        #expect(try entries(of: file).map { $0.field("MESSAGE") } == ["from the journal", "from the journal"])
    }

    @Test func gzippedJournalExportIsRecognised() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("export.gz", try gzip(Self.journal))
        let file = try InputFile(path: path)
        #expect(file.isCompressed)
        #expect(try entries(of: file).count == 1)
    }

    @Test func journalExportStartingWithOtherFieldsIsRecognisedByItsTimestamp() throws {
        let directory = try TemporaryDirectory()
        let bigField = String(repeating: "v", count: 10_000)
        let entry = JournalExportWriter.entry([
            ("_HOSTNAME", "vm"), ("BIG", bigField), ("BLOB", "a\nb"), ("__REALTIME_TIMESTAMP", "1732881600000000"),
            ("MESSAGE", "hello"),
        ])
        let path = try directory.write("export", entry)
        let file = try InputFile(path: path)
        #expect(try entries(of: file).map { $0.field("BIG") } == [bigField])
    }

    @Test func keyValueTextWithoutJournalTimestampStaysText() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("env.log", "KEY=value\nOTHER=1\n\nplain line\n")
        #expect(try lines(of: InputFile(path: path)) == ["KEY=value", "OTHER=1", "", "plain line"])
    }

    @Test func executableIsRefusedAsBinary() throws {
        let error = try #require(throws: InputError.self) { try InputFile(path: "/bin/ls") }
        #expect(error.code == .binary)
        #expect(error.description == "/bin/ls: looks like a binary file (ELF executable); not a log")
    }

    @Test func randomBytesAreRefusedAsBinary() throws {
        let directory = try TemporaryDirectory()
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = try directory.write("noise.bin", noise)
        let error = try #require(throws: InputError.self) { try InputFile(path: path) }
        #expect(error.code == .binary)
        #expect(error.message.contains("control or non-UTF-8 bytes in the first 4096 bytes"))
    }

    @Test func otherCompressionIsRefusedWithAHint() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("app.log.xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04])
        let error = try #require(throws: InputError.self) { try InputFile(path: path) }
        #expect(error.message == "looks like a binary file (xz-compressed data; decompress it first); not a log")
    }

    @Test(
        arguments: [
            ([0x4C, 0x50, 0x4B, 0x53, 0x48, 0x48, 0x52, 0x48, 0x02, 0x00], "systemd journal file"),
            (Array("BZh91AY&SY".utf8) + [0x01, 0x02], "bzip2-compressed data"),
            ([0x28, 0xB5, 0x2F, 0xFD, 0x00], "zstd-compressed data"),
            ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], "zip archive"),
            ([0xFF, 0xFE, 0x61, 0x00, 0x62, 0x00], "UTF-16 text"),
        ] as [([UInt8], String)])
    func knownBinaryFormatsAreNamed(head: [UInt8], name: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("input", head)
        let error = try #require(throws: InputError.self) { try InputFile(path: path) }
        #expect(error.code == .binary)
        #expect(error.message.hasPrefix("looks like a binary file (\(name)"))
    }

    @Test func coloredTerminalOutputAndBzhTextStayText() throws {
        let directory = try TemporaryDirectory()
        let colored = (0..<50).map { "\u{1B}[32mOK\u{1B}[0m\tstep \($0)\u{8}\u{8} done\r" }
        let path = try directory.write("build.log", "BZh is a word here\n" + colored.joined(separator: "\n") + "\n")
        #expect(try lines(of: InputFile(path: path)).count == 51)
    }

    @Test func logStartingWithANulBlockAfterTruncationIsText() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "copytruncated.log", [UInt8](repeating: 0, count: 5000) + bytes("after\nmore\n"))
        let lines = try lines(of: InputFile(path: path))
        #expect(lines.count == 2)
        #expect(lines.last == "more")
    }

    @Test func latin1AndUTF8TextIsNotBinary() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("mixed.log", bytes("café ünïcode ✓\n") + [0x63, 0x61, 0x66, 0xE9, 0x0A])
        #expect(try lines(of: InputFile(path: path)).count == 2)
    }

    @Test func emptyFileIsTextWithNoLines() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("empty.log", [])
        #expect(try lines(of: InputFile(path: path)) == [])
    }

    @Test func corruptGzipFileThrowsCorruptGzip() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("bad.gz", [0x1F, 0x8B, 0x08, 0x00] + bytes("not really deflate data at all"))
        let error = try #require(throws: InputError.self) { try InputFile(path: path) }
        #expect(error.code == .corruptGzip)
        #expect(error.path == path)
    }

    @Test func missingFileSaysNoSuchFile() throws {
        let error = try #require(throws: InputError.self) { try InputFile(path: "/nonexistent/heartline/y.log") }
        #expect(error.code == .notFound)
        #expect(error.errno == ENOENT)
        #expect(error.description == "/nonexistent/heartline/y.log: no such file")
    }

    @Test func directoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(throws: InputError.self) { try InputFile(path: directory.path) }
        #expect(error.code == .isDirectory)
        #expect(error.description == "\(directory.path): is a directory, not a file")
    }

    @Test(.disabled(if: getuid() == 0, "root may read any file"))
    func unreadableFileSaysPermissionDenied() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("secret.log", "x\n")
        chmod(path, 0)
        let error = try #require(throws: InputError.self) { try InputFile(path: path) }
        #expect(error.code == .permissionDenied)
        #expect(error.description == "\(path): permission denied")
    }

    @Test func standardInputIsSniffedToo() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("stdin.gz", try gzip(Self.journal))
        let saved = dup(STDIN_FILENO)
        let descriptor = open(path, O_RDONLY)
        dup2(descriptor, STDIN_FILENO)
        close(descriptor)
        defer {
            dup2(saved, STDIN_FILENO)
            close(saved)
        }
        let file = try InputFile(path: "-")
        #expect(file.path == "standard input")
        #expect(file.isCompressed)
        #expect(try entries(of: file).count == 1)
    }
}
