import HeartlineCore
import HeartlineInput
import Testing

struct JournalExportReaderTests {
    static let chunkSizes = [1, 5, 64, LineReader.defaultChunkSize]

    static let first = JournalExportWriter.entry([
        ("__CURSOR", "s=1;i=1"),
        ("__REALTIME_TIMESTAMP", "1732881600123456"),
        ("SYSLOG_IDENTIFIER", "restic"),
        ("MESSAGE", "snapshot 1a2b3c4d saved"),
    ])
    static let second = JournalExportWriter.entry([
        ("__CURSOR", [UInt8]("s=1;i=2".utf8)),
        ("__REALTIME_TIMESTAMP", [UInt8]("1732881601000000".utf8)),
        ("MESSAGE", [UInt8]("Fatal: unable to open repository\nat /srv\0".utf8) + [0xFF]),
        ("_PID", [UInt8]("42".utf8)),
    ])

    @Test(arguments: chunkSizes)
    func textAndBinaryFieldsAreReadByteForByte(chunkSize: Int) throws {
        let reader = JournalExportReader(
            source: TrickleByteSource(Self.first + Self.second, perRead: chunkSize), chunkSize: chunkSize)
        let entries = try allEntries(reader)
        try #require(entries.count == 2)
        #expect(entries[0].realtime == Instant(nanoseconds: 1_732_881_600_123_456_000))
        #expect(entries[0].field("SYSLOG_IDENTIFIER") == "restic")
        #expect(entries[0].message == bytes("snapshot 1a2b3c4d saved"))
        #expect(entries[0].fields.count == 4)
        #expect(entries[1].realtime == Instant(seconds: 1_732_881_601))
        #expect(entries[1].message == bytes("Fatal: unable to open repository\nat /srv\0") + [0xFF])
        #expect(entries[1].field("MESSAGE") == "Fatal: unable to open repository\nat /srv\0\u{FFFD}")
        #expect(entries[1].field("_PID") == "42")
        #expect(entries[1].field("NOT_THERE") == nil)
        #expect(reader.entriesRead == 2)
        #expect(reader.malformedEntries == 0)
    }

    @Test func repeatedFieldKeepsItsFirstValue() throws {
        let input = JournalExportWriter.entry([("MESSAGE", "first"), ("MESSAGE", "second\n"), ("MESSAGE", "third")])
        let entries = try allEntries(JournalExportReader(source: MemoryByteSource(input)))
        #expect(entries.map(\.message) == [bytes("first")])
    }

    @Test func missingOrBadTimestampLeavesRealtimeNil() throws {
        let input =
            JournalExportWriter.entry([("MESSAGE", "no time")])
            + JournalExportWriter.entry([("__REALTIME_TIMESTAMP", "12x"), ("MESSAGE", "bad time")])
            + JournalExportWriter.entry([("__REALTIME_TIMESTAMP", "99999999999999999999"), ("MESSAGE", "overflow")])
        let entries = try allEntries(JournalExportReader(source: MemoryByteSource(input)))
        #expect(entries.map(\.realtime) == [nil, nil, nil])
        #expect(entries.map { $0.field("MESSAGE") } == ["no time", "bad time", "overflow"])
    }

    @Test(arguments: chunkSizes)
    func lastEntryWithoutClosingEmptyLineAndExtraEmptyLinesAreFine(chunkSize: Int) throws {
        let input = bytes("\n\n") + Self.first + bytes("\n\n") + Self.second.dropLast()
        let reader = JournalExportReader(source: TrickleByteSource(input, perRead: chunkSize), chunkSize: chunkSize)
        #expect(try allEntries(reader).map { $0.field("__CURSOR") } == ["s=1;i=1", "s=1;i=2"])
        #expect(reader.malformedEntries == 0)
    }

    @Test func emptyStreamHasNoEntries() throws {
        let reader = JournalExportReader(source: MemoryByteSource([]))
        #expect(try reader.nextEntry() == nil)
        #expect(try reader.nextEntry() == nil)
    }

    static let damagedEntries: [(String, [UInt8])] = [
        ("a name with lower case and no equals sign", bytes("MESSAGE=x\nnot a field\nPRIORITY=6\n\n")),
        ("an empty name", bytes("=value\n\n")),
        ("a name starting with a digit", bytes("1ABC=value\n\n")),
        ("a name over 64 bytes", bytes(String(repeating: "A", count: 65) + "=v\n\n")),
        ("a binary size over journald's limit", bytes("MESSAGE\nBAR=1\nBAZ=2\n\n")),
        ("a binary field not ended by a newline", bytes("MESSAGE\n") + [3, 0, 0, 0, 0, 0, 0, 0] + bytes("abcX\n\n")),
        ("a name line cut off by the empty line", bytes("MESSAGE\n\n")),
    ]

    @Test(arguments: damagedEntries)
    func damagedEntryIsSkippedAndCountedAndTheNextOneRead(what: String, damaged: [UInt8]) throws {
        for chunkSize in [1, 3, 4096] {
            let input = Self.first + damaged + Self.second
            let reader = JournalExportReader(
                source: TrickleByteSource(input, perRead: chunkSize), chunkSize: chunkSize)
            let cursors = try allEntries(reader).map { $0.field("__CURSOR") }
            #expect(cursors == ["s=1;i=1", "s=1;i=2"], "\(what), chunk size \(chunkSize)")
            #expect(reader.malformedEntries == 1, "\(what), chunk size \(chunkSize)")
        }
    }

    @Test func binarySizeBeyondTheDataEndsTheStreamAndCountsOnce() throws {
        let damaged = bytes("MESSAGE\n") + [0x00, 0x00, 0x00, 0x20, 0, 0, 0, 0] + bytes("only a few bytes\n\n")
        let reader = JournalExportReader(source: MemoryByteSource(Self.first + damaged))
        #expect(try allEntries(reader).count == 1)
        #expect(reader.malformedEntries == 1)
    }

    @Test func streamEndingInsideTheSizeIsMalformed() throws {
        let reader = JournalExportReader(source: MemoryByteSource(Self.first + bytes("MESSAGE\n") + [5, 0, 0]))
        #expect(try allEntries(reader).count == 1)
        #expect(reader.malformedEntries == 1)
    }

    @Test func valuesOverTheLimitAreCutAndCounted() throws {
        let long = String(repeating: "z", count: 100)
        let input = JournalExportWriter.entry([
            ("MESSAGE", bytes(long + "\n")), ("TEXT", bytes(long)), ("SHORT", bytes("ok")),
        ])
        let reader = JournalExportReader(source: TrickleByteSource(input, perRead: 7), chunkSize: 7, maxFieldBytes: 16)
        let entry = try #require(try reader.nextEntry())
        #expect(entry.message == [UInt8](repeating: UInt8(ascii: "z"), count: 16))
        #expect(entry.field("TEXT") == String(repeating: "z", count: 11))
        #expect(entry.field("SHORT") == "ok")
        #expect(reader.truncatedFields == 2)
        #expect(reader.malformedEntries == 0)
    }

    @Test func realJournalctlExportSampleIsReadWhole() throws {
        let path =
            String(#filePath.dropLast("JournalExportReaderTests.swift".count))
            + "Fixtures/journal-export-sample.export"
        let reader = JournalExportReader(source: try FileByteSource(path: path), chunkSize: 1000)
        let entries = try allEntries(reader)
        #expect(entries.count == 20)
        #expect(reader.malformedEntries == 0)
        #expect(entries.first?.realtime == Instant(nanoseconds: 1_795_981_465_767_041_000))
        #expect(entries.first?.field("MESSAGE") == "starting backup run 0")
        #expect(entries.first?.field("SYSLOG_IDENTIFIER") == "restic")
        let multiline = entries.first { $0.field("PRIORITY") == "3" }
        #expect(multiline?.field("MESSAGE") == "Fatal: unable to open repository\nat /srv/backup: permission denied")
        let invalidUTF8 = entries.first { $0.message.contains(0xFF) }
        #expect(invalidUTF8?.message == bytes("queue worker: bytes ") + [0xFF, 0xFE] + bytes(" not UTF-8"))
        #expect(entries.last?.field("MESSAGE") == "completed jobs: 17")
    }
}
