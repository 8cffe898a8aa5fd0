import HeartlineInput
import Testing

struct GzipByteSourceTests {
    static let text = (0..<5000).map { "line \($0): snapshot \(String($0 * 7919, radix: 16)) saved\n" }.joined()

    private func decompress(_ compressed: [UInt8], chunkSize: Int = 4096) throws(InputError) -> [UInt8] {
        let source = try GzipByteSource(MemoryByteSource(compressed), path: "test.gz", inputChunkSize: chunkSize)
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { return out }
            out += buffer[..<count]
        }
    }

    @Test(arguments: [1, 7, 4096, 65536])
    func gzipRoundTripGivesBackTheOriginalBytes(chunkSize: Int) throws {
        let compressed = try gzip(bytes(Self.text))
        #expect(try decompress(compressed, chunkSize: chunkSize) == bytes(Self.text))
    }

    @Test func concatenatedMembersReadAsOneStream() throws {
        let compressed =
            try gzip(bytes("first member\nsecond line")) + gzip(bytes(" continued\n")) + gzip(bytes("third\n"))
        let reader = LineReader(source: try GzipByteSource(MemoryByteSource(compressed), path: "a.gz"), chunkSize: 3)
        #expect(try allLines(reader) == ["first member", "second line continued", "third"].map(bytes))
    }

    @Test func zeroPaddingAfterTheLastMemberIsIgnored() throws {
        let compressed = try gzip(bytes("padded\n")) + [UInt8](repeating: 0, count: 512)
        #expect(try decompress(compressed) == bytes("padded\n"))
    }

    @Test func emptyMemberYieldsNoBytes() throws {
        #expect(try decompress(try gzip([])) == [])
    }

    @Test func corruptDataThrowsCorruptGzip() throws {
        var compressed = try gzip(bytes(Self.text))
        for index in stride(from: 40, to: 200, by: 3) {
            compressed[index] ^= 0x5A
        }
        let error = try #require(throws: InputError.self) { try decompress(compressed) }
        #expect(error.code == .corruptGzip)
        #expect(error.description.hasPrefix("test.gz: corrupt gzip data near byte "))
    }

    @Test func badChecksumThrowsCorruptGzip() throws {
        var compressed = try gzip(bytes(Self.text))
        compressed[compressed.count - 6] ^= 0xFF
        let error = try #require(throws: InputError.self) { try decompress(compressed) }
        #expect(error.code == .corruptGzip)
        #expect(error.message.hasSuffix("incorrect data check"))
    }

    @Test func truncatedStreamThrowsCorruptGzip() throws {
        let compressed = try gzip(bytes(Self.text))
        let error = try #require(throws: InputError.self) { try decompress(Array(compressed.dropLast(20))) }
        #expect(error.code == .corruptGzip)
        #expect(error.message.hasSuffix("unexpected end of gzip data (the file is truncated)"))
    }

    @Test func emptyInputIsATruncatedStream() throws {
        let error = try #require(throws: InputError.self) { try decompress([]) }
        #expect(error.code == .corruptGzip)
    }

    @Test func garbageAfterAMemberThrowsCorruptGzip() throws {
        let compressed = try gzip(bytes("good\n")) + bytes("trailing garbage")
        let error = try #require(throws: InputError.self) { try decompress(compressed) }
        #expect(error.code == .corruptGzip)
    }
}
