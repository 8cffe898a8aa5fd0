import HeartlineRegex
import Testing

@testable import HeartlineCore

struct LineMatcherTests {
    static let here = SourceLocation(file: "t.yaml", line: 1, column: 1)

    static func patterns(_ sources: [String]) -> [PatternSpec] {
        sources.map { PatternSpec(regex: try! CompiledRegex($0), location: here) }
    }

    static func events(_ job: JobSpec, _ line: String) -> [JobEvent] {
        let matcher = LineMatcher(services: [ServiceSpec(name: "s", jobs: [job], location: here)])
        var events: [JobEvent] = []
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { matcher.match(UnsafeRawBufferPointer($0), services: [0], into: &events) }
        return events
    }

    static let backup = JobSpec(
        name: JobName("nightly"), success: patterns(["snapshot [0-9a-f]{8} saved"]),
        failure: patterns(["Fatal: .*", "unable to open repository"]), start: patterns(["starting backup"]),
        ignore: patterns(["dry run"]), location: here)

    @Test(arguments: [
        ("snapshot 1a2b3c4d saved", JobEvent.Kind.success),
        ("Fatal: snapshot 1a2b3c4d saved but index broken", .failure),
        ("starting backup; snapshot 1a2b3c4d saved", .success),
        ("starting backup", .start),
        ("xx unable to open repository", .failure),
    ])
    func precedenceIsFailureThenSuccessThenStart(line: String, kind: JobEvent.Kind) {
        #expect(Self.events(Self.backup, line).map(\.kind) == [kind])
    }

    @Test func anIgnoredLineCountsForNothing() {
        #expect(Self.events(Self.backup, "dry run: snapshot 1a2b3c4d saved").isEmpty)
        #expect(Self.events(Self.backup, "dry run: Fatal: x").isEmpty)
    }

    @Test func aLineMatchingNothingYieldsNoEvent() {
        #expect(Self.events(Self.backup, "snapshot 1a2b3c4 saved").isEmpty)
    }

    @Test func aDynamicJobTakesItsNameFromTheMatchingPattern() {
        let job = JobSpec(
            name: JobName("queue-{class}"), success: Self.patterns(["done class=(?<class>\\w+)"]),
            failure: Self.patterns(["(?<class>\\w+) job failed"]), location: Self.here)
        #expect(Self.events(job, "worker done class=mail").map(\.instance) == ["queue-mail"])
        #expect(Self.events(job, "invoice job failed").map(\.instance) == ["queue-invoice"])
    }

    @Test func aMeasureLineYieldsItsValue() {
        let job = JobSpec(
            name: JobName("age"), measure: Self.patterns(["oldest_job_age=(?<value>\\d+(?:\\.\\d+)?)s"]).first,
            threshold: .above(600), location: Self.here)
        #expect(Self.events(job, "queue oldest_job_age=612.5s").map(\.kind) == [.measure(612.5)])
    }

    @Test func invalidUTF8AndNULBytesStillMatch() {
        let matcher = LineMatcher(services: [ServiceSpec(name: "s", jobs: [Self.backup], location: Self.here)])
        var events: [JobEvent] = []
        let bytes: [UInt8] = [0xFF, 0x00, 0xC3] + Array("snapshot 0badf00d saved".utf8) + [0xFE]
        bytes.withUnsafeBytes { matcher.match($0, services: [0], into: &events) }
        #expect(events.map(\.kind) == [.success])
    }

    /// PCRE2 alone backtracks on this line until the match limit stops it; Vectorscan, which does
    /// not backtrack, rules the line out before PCRE2 ever runs.
    @Test(arguments: [(false, 1), (true, 0)])
    func aBacktrackingPatternIsCutOffAndCounted(usePrefilter: Bool, limitHits: Int) throws {
        let job = JobSpec(name: JobName("evil"), success: Self.patterns(["^(a+)+$"]), location: Self.here)
        let matcher = LineMatcher(
            services: [ServiceSpec(name: "s", jobs: [job], location: Self.here)], usePrefilter: usePrefilter)
        var events: [JobEvent] = []
        let line = Array(String(repeating: "a", count: 40).utf8) + [UInt8(ascii: "b")]
        line.withUnsafeBytes { matcher.match($0, services: [0], into: &events) }
        #expect(events.isEmpty)
        #expect(matcher.limitExceeded == limitHits)
    }
}
