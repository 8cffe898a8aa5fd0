import Testing

@testable import HeartlineRegex

struct CompiledRegexTests {
    static func match(_ regex: CompiledRegex, _ line: String, _ scratch: MatchScratch) -> MatchResult {
        Array(line.utf8).withUnsafeBytes { regex.match($0, scratch: scratch) }
    }

    @Test func namedGroupsMapToTheirNumbersAndByteRanges() throws {
        let regex = try CompiledRegex(#"host=(?<host>\w+) took (?<value>\d+)ms"#)
        #expect(regex.namedGroups == ["host": 1, "value": 2])
        let scratch = MatchScratch(maxCaptures: regex.captureCount)
        #expect(Self.match(regex, "é host=db1 took 250ms", scratch) == .matched)
        // "é" is two bytes, so offsets are byte offsets.
        #expect(regex.captureRange(1, in: scratch) == 8..<11)
        #expect(regex.captureRange(2, in: scratch) == 17..<20)
    }

    @Test func anInvalidPatternReportsPCRE2sMessageAndOffset() {
        #expect(throws: RegexError.self) { try CompiledRegex("snapshot (unclosed") }
        do {
            _ = try CompiledRegex("ab[c")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .syntax)
            #expect(error.message.contains("missing terminating ]"))
            #expect(error.offset == 4)
        }
    }

    @Test func matchingIsUnanchored() throws {
        let regex = try CompiledRegex("saved")
        #expect(Self.match(regex, "snapshot 1 saved to repo", MatchScratch()) == .matched)
        #expect(Self.match(regex, "nothing here", MatchScratch()) == .noMatch)
    }

    @Test func anEmptySubjectIsMatchable() throws {
        #expect(Self.match(try CompiledRegex("^$"), "", MatchScratch()) == .matched)
    }

    @Test func catastrophicBacktrackingStopsAtTheMatchLimit() throws {
        let regex = try CompiledRegex("^(a|aa)+$")
        let line = String(repeating: "a", count: 60) + "b"
        #expect(Self.match(regex, line, MatchScratch()) == .limitExceeded)
    }
}
