import HeartlineInput
import Testing

struct LineReaderTests {
    static let chunkSizes = [1, 2, 3, 7, 64, LineReader.defaultChunkSize]

    @Test(arguments: chunkSizes)
    func linesSplitAcrossChunkBoundariesComeOutWhole(chunkSize: Int) throws {
        let reader = LineReader(
            source: TrickleByteSource(bytes("alpha\nbeta gamma\n\ndelta epsilon zeta\nlast"), perRead: chunkSize),
            chunkSize: chunkSize)
        #expect(try allLines(reader) == ["alpha", "beta gamma", "", "delta epsilon zeta", "last"].map(bytes))
        #expect(reader.linesRead == 5)
        #expect(reader.bytesRead == 41)
        #expect(reader.truncatedLines == 0)
    }

    /// `nextLineIsBuffered` is false exactly for the last line of each fill, and `lookbehind` holds
    /// the whole lines of the same fill before the current one.
    @Test(arguments: [1, 5, 11, 64])
    func lookbehindAndNextLineIsBufferedDescribeTheCurrentFill(chunkSize: Int) throws {
        let text = "one\ntwo\r\nthree\nfour\nfive"
        let reader = LineReader(source: TrickleByteSource(bytes(text), perRead: chunkSize), chunkSize: chunkSize)
        var seen: [String] = []
        var lastOfFill: [String] = []
        while let line = try reader.nextLine() {
            let generation = reader.generation
            let behind = String(decoding: reader.lookbehind.filter { $0 != 0x0D }, as: UTF8.self)
            // Whatever lies behind is whole lines of this fill, ending just before this one.
            #expect(behind.isEmpty || behind.hasSuffix("\n"))
            #expect(seen.joined(separator: "\n").hasSuffix(behind.split(separator: "\n").joined(separator: "\n")))
            let buffered = reader.nextLineIsBuffered
            #expect(reader.generation == generation)
            let current = String(decoding: line, as: UTF8.self)
            if !buffered { lastOfFill.append(current) }
            seen.append(current)
        }
        #expect(seen == ["one", "two", "three", "four", "five"])
        // The input's last line is always the last of its fill.
        #expect(lastOfFill.last == "five")
        // With everything in one fill, "five" has no newline yet: reading it takes another fill.
        if chunkSize == 64 { #expect(lastOfFill == ["four", "five"]) }
    }

    @Test(arguments: chunkSizes)
    func crlfEndingsLoseTheirCarriageReturn(chunkSize: Int) throws {
        let reader = LineReader(
            source: TrickleByteSource(bytes("one\r\ntwo\r\n\r\nin\rside\nlast\r"), perRead: chunkSize),
            chunkSize: chunkSize)
        #expect(try allLines(reader) == ["one", "two", "", "in\rside", "last"].map(bytes))
    }

    @Test(arguments: [
        ("", [String]()),
        ("\n", [""]),
        ("\n\n\n", ["", "", ""]),
        ("a\nb\n", ["a", "b"]),
        ("a\nb", ["a", "b"]),
        ("no newline at all", ["no newline at all"]),
    ])
    func finalNewlineAddsNoEmptyLineAndAMissingOneLosesNothing(input: String, expected: [String]) throws {
        for chunkSize in [1, 4, 4096] {
            let reader = LineReader(source: TrickleByteSource(bytes(input), perRead: chunkSize), chunkSize: chunkSize)
            #expect(try allLines(reader) == expected.map(bytes))
        }
    }

    @Test(arguments: chunkSizes)
    func nulBytesAndInvalidUTF8PassThroughUntouched(chunkSize: Int) throws {
        let input: [UInt8] = [0x61, 0x00, 0x62, 0xFF, 0xFE, 0xC3, 0x28, 0x0A, 0x00, 0x0A, 0xED, 0xA0, 0x80]
        let reader = LineReader(source: TrickleByteSource(input, perRead: chunkSize), chunkSize: chunkSize)
        #expect(try allLines(reader) == [[0x61, 0x00, 0x62, 0xFF, 0xFE, 0xC3, 0x28], [0x00], [0xED, 0xA0, 0x80]])
    }

    @Test func fiveMegabyteLineIsCutToTheLimitAndTheNextLineIsIntact() throws {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 5_000_000)
        let input = bytes("before\n") + long + bytes("\nafter\n")
        let reader = LineReader(source: MemoryByteSource(input))
        let lines = try allLines(reader)
        #expect(lines.count == 3)
        #expect(lines.first == bytes("before"))
        #expect(
            lines.dropFirst().first == [UInt8](repeating: UInt8(ascii: "x"), count: LineReader.defaultMaxLineBytes))
        #expect(lines.last == bytes("after"))
        #expect(reader.truncatedLines == 1)
        #expect(reader.linesRead == 3)
        #expect(reader.bytesRead == input.count)
    }

    @Test func gigabyteLineStreamsThroughWithoutBeingHeld() throws {
        let source = RepeatingByteSource(byte: UInt8(ascii: "y"), count: 1 << 30, then: bytes("\r\nnext\n"))
        let reader = LineReader(source: source, maxLineBytes: 1000)
        let lines = try allLines(reader)
        #expect(lines == [[UInt8](repeating: UInt8(ascii: "y"), count: 1000), bytes("next")])
        #expect(reader.truncatedLines == 1)
        #expect(reader.bytesRead == (1 << 30) + 7)
    }

    @Test(arguments: [1, 3, 5, 64])
    func limitIsOnTheLineWithoutItsEnding(chunkSize: Int) throws {
        let input = "12345678\n12345678\r\n123456789\n123456789\r\n1234567890123\nend"
        let reader = LineReader(
            source: TrickleByteSource(bytes(input), perRead: chunkSize), chunkSize: chunkSize, maxLineBytes: 8)
        #expect(
            try allLines(reader) == ["12345678", "12345678", "12345678", "12345678", "12345678", "end"].map(bytes))
        #expect(reader.truncatedLines == 3)
        #expect(reader.linesRead == 6)
    }

    @Test func overlongLastLineWithoutNewlineIsCutAndCounted() throws {
        let reader = LineReader(
            source: TrickleByteSource(bytes("ok\nabcdefghij"), perRead: 2), chunkSize: 2, maxLineBytes: 4)
        #expect(try allLines(reader) == ["ok", "abcd"].map(bytes))
        #expect(reader.truncatedLines == 1)
    }

    @Test func endIsReportedAgainAfterTheEnd() throws {
        let reader = LineReader(source: MemoryByteSource(bytes("only\n")))
        #expect(try reader.nextLine().map(Array.init) == bytes("only"))
        #expect(try reader.nextLine() == nil)
        #expect(try reader.nextLine() == nil)
    }

    @Test func sourceErrorsReachTheCaller() {
        struct FailingSource: ByteSource {
            func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
                throw InputError(code: .io, path: "/x", message: "read failed: Input/output error", errno: 5)
            }
        }
        let reader = LineReader(source: FailingSource())
        #expect(throws: InputError(code: .io, path: "/x", message: "read failed: Input/output error", errno: 5)) {
            try reader.nextLine()
        }
    }
}
