import Foundation
import Testing

@testable import HeartlineRegex

struct MultiPatternPrefilterTests {
    static let patterns = [
        "snapshot [0-9a-f]{8} saved",  // 0 exact
        #"(\w+) again \1"#,  // 1 back-reference: approximate
        #"\Astarts"#,  // 2 subject anchor: unsupported
        "^CRON",  // 3 line anchor, exact
        "failed$",  // 4
        "(?i)ÉCHEC",  // 5 non-ASCII caseless: unsupported
    ]

    @Test func eachPatternGetsTheModeVectorscanCanHonour() {
        let prefilter = MultiPatternPrefilter(patterns: Self.patterns)
        #expect(prefilter.modes[0] == .exact)
        #expect(prefilter.modes[1] == .approximate)
        guard case .unsupported = prefilter.modes[2], case .unsupported = prefilter.modes[5] else {
            Issue.record("subject anchors and non-ASCII caseless patterns must be unsupported")
            return
        }
        #expect(prefilter.modes[3] == .exact)
        #expect(prefilter.modes[4] == .exact)
    }

    static func candidates(_ scanner: PrefilterScanner) -> Set<Int32> { Set(scanner.candidates) }

    @Test(
        arguments: [
            ("snapshot 0a1b2c3d saved", [0, 2, 5]),
            ("x again x", [1, 2, 5]),
            ("CRON[1]: job failed", [2, 3, 4, 5]),
            (" CRON failed later", [2, 5]),
            ("nothing", [2, 5]),
        ] as [(String, Set<Int32>)])
    func aLineScanNamesExactlyThePatternsThatCanMatchIt(line: String, expected: Set<Int32>) {
        let scanner = MultiPatternPrefilter(patterns: Self.patterns).makeScanner()
        Array(line.utf8).withUnsafeBytes { scanner.scan($0) }
        #expect(Self.candidates(scanner) == expected)
    }

    @Test func invalidUTF8MakesEveryPatternACandidate() {
        let scanner = MultiPatternPrefilter(patterns: Self.patterns).makeScanner()
        [0xFF, 0x41].withUnsafeBytes { scanner.scan($0) }
        #expect(Self.candidates(scanner) == Set(0..<6))
    }

    /// A match may run across a newline in a block scan (an approximated pattern's looser form
    /// does here), which can only add candidates; it must never lose one.
    @Test func aBlockScanNeverLosesACandidateThatALineScanFinds() {
        let lines = [
            "CRON[1]: job failed", "snapshot 0a1b2c3d saved", "nothing", "x again x", "failed",
            "snapshot 0a1b2c3d", "saved CRON", "CRON", "",
        ]
        let text = Array((lines.joined(separator: "\n") + "\nsnapshot partial").utf8)
        let prefilter = MultiPatternPrefilter(patterns: Self.patterns)
        let blockScanner = prefilter.makeScanner()
        let lineScanner = prefilter.makeScanner()
        text.withUnsafeBytes { buffer in
            var start = 0
            for line in lines {
                let view = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + line.utf8.count)])
                blockScanner.scan(view, within: UnsafeRawBufferPointer(rebasing: buffer[start...]), generation: 1)
                lineScanner.scan(view)
                #expect(Self.candidates(blockScanner).isSuperset(of: Self.candidates(lineScanner)), "line: \(line)")
                let exact: Set<Int32> = [0, 3, 4]
                #expect(
                    Self.candidates(blockScanner).intersection(exact)
                        == Self.candidates(lineScanner).intersection(exact),
                    "line: \(line)")
                start += line.utf8.count + 1
            }
        }
    }

    @Test func aRepeatedMatchOnOneLineIsRecordedOnce() {
        let scanner = MultiPatternPrefilter(patterns: ["[0-9]+"]).makeScanner()
        Array("12345 678 9\n42".utf8).withUnsafeBytes { buffer in
            scanner.scan(UnsafeRawBufferPointer(rebasing: buffer[0..<11]), within: buffer, generation: 7)
        }
        #expect(Array(scanner.candidates) == [0])
    }

    /// Vectorscan 5.4.9's AVX-512 scan path reported two of these three start lines, and which two
    /// depended on the bytes after the buffer. The patterns are `Patterns/unattended-upgrades.yaml`'s,
    /// the lines from its fixture (a real unattended-upgrades 2.9.1 log). Each scan runs on a buffer
    /// whose bytes after the text differ, so a scan that reads past its end shows up here.
    @Test func aBlockScanReportsEveryLineThatMatchesWhateverFollowsTheBuffer() throws {
        let patterns = [
            #"^\S+ \S+ INFO No packages found that can be upgraded unattended and no pending auto-removals$"#,
            #"^\S+ \S+ INFO All upgrades installed$"#,
            #"^\S+ \S+ INFO Packages that were successfully auto-removed: "#,
            #"^\S+ \S+ ERROR "#,
            #"^\S+ \S+ INFO Starting unattended upgrades script$"#,
        ]
        let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let log = try #require(
            FileManager.default.contents(
                atPath: "/\(root)/fixtures/library/unattended-upgrades/unattended-upgrades.log"))
        let lines = String(decoding: log, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let expected = lines.indices.compactMap { index -> Int32? in
            let line = lines[index]
            if line.contains("INFO Starting unattended upgrades script") { return 4 }
            if line.contains(" ERROR ") { return 3 }
            if line.hasSuffix("INFO No packages found that can be upgraded unattended and no pending auto-removals") {
                return 0
            }
            return nil
        }
        #expect(expected.count == 6)
        let prefilter = MultiPatternPrefilter(patterns: patterns)
        #expect(prefilter.modes.allSatisfy { $0 == .exact })
        for filler in [0x00, 0x0A, 0x20, 0x41, 0xFF] as [UInt8] {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: log.count + 4096, alignment: 64)
            defer { buffer.deallocate() }
            buffer.initializeMemory(as: UInt8.self, repeating: filler)
            log.copyBytes(to: buffer)
            let scanner = prefilter.makeScanner()
            var found: [Int32] = []
            var start = 0
            for line in lines.dropLast() {
                let length = line.utf8.count
                let block = UnsafeRawBufferPointer(rebasing: buffer[start..<log.count])
                scanner.scan(
                    UnsafeRawBufferPointer(rebasing: buffer[start..<start + length]), within: block, generation: 1)
                found += scanner.candidates
                start += length + 1
            }
            #expect(found == expected, "bytes after the text: \(filler)")
        }
    }
}
