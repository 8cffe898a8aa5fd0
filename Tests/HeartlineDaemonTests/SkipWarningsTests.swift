import HeartlineCore
import Testing

@testable import HeartlineDaemon

/// Warnings of skipped lines: at most one a minute per key, with the count since the last one.
struct SkipWarningsTests {
    static func at(_ seconds: Int64) -> Instant { Instant(nanoseconds: seconds * 1_000_000_000) }

    @Test func aKeyIsWarnedOfAtOnceThenAtMostOnceAMinuteWithTheCountSinceTheLast() {
        var warnings = SkipWarnings<String>()
        #expect(warnings.due(["/a.log": 1], now: Self.at(0)).map { "\($0.key) \($0.added)" } == ["/a.log 1"])
        #expect(warnings.due(["/a.log": 5], now: Self.at(59)).isEmpty)
        #expect(warnings.due(["/a.log": 7], now: Self.at(60)).map { "\($0.key) \($0.added)" } == ["/a.log 6"])
        // Nothing new: no warning, however long it has been.
        #expect(warnings.due(["/a.log": 7], now: Self.at(600)).isEmpty)
        #expect(warnings.due(["/a.log": 8], now: Self.at(601)).map { "\($0.key) \($0.added)" } == ["/a.log 1"])
    }

    @Test func keysAreLimitedApartAndWarnedOfInOrder() {
        var warnings = SkipWarnings<String>()
        #expect(warnings.due(["/b.log": 2], now: Self.at(0)).map(\.key) == ["/b.log"])
        let due = warnings.due(["/b.log": 3, "/a.log": 4], now: Self.at(30))
        #expect(due.map { "\($0.key) \($0.added)" } == ["/a.log 4"])
        let later = warnings.due(["/b.log": 3, "/a.log": 4], now: Self.at(60))
        #expect(later.map { "\($0.key) \($0.added)" } == ["/b.log 1"])
    }
}
