import Testing

@testable import HeartlineCore

/// Sliding-window counts (issue 14): the walking count gives what counting every kept instant
/// gives, for any capacity, spacing and window, including windows that move backwards.
struct RecentInstantsTests {
    /// What the count was before it walked: every kept instant looked at.
    static func naive(_ kept: [Instant], after lower: Instant, through upper: Instant) -> Int {
        kept.reduce(0) { $0 + ($1 > lower && $1 <= upper ? 1 : 0) }
    }

    /// A deterministic generator (SplitMix64), so that a failure names its seed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test(arguments: [1, 2, 3, 10, 64, 1000], [1 as UInt64, 2, 3])
    func theWalkingCountEqualsCountingEveryKeptInstant(capacity: Int, seed: UInt64) {
        var generator = Generator(state: seed)
        var instants = RecentInstants(capacity: capacity)
        var now: Int64 = 1_000_000
        let window: Int64 = Int64(1 + generator.next(50))
        for step in 0..<5000 {
            // Several events at one instant happen: steps of 0 are common.
            now += Int64(generator.next(4)) * Int64(generator.next(5))
            instants.append(Instant(seconds: now))
            // Mostly the evaluator's question (the window ending now); sometimes a later instant, and
            // now and then a window that moves backwards.
            let upper = now + (step % 7 == 0 ? Int64(generator.next(20)) : 0)
            let lower = upper - window - (step % 97 == 0 ? Int64(generator.next(200)) : 0)
            let expected = Self.naive(instants.oldestFirst, after: Instant(seconds: lower), through: Instant(seconds: upper))
            let counted = instants.count(after: Instant(seconds: lower), through: Instant(seconds: upper))
            #expect(counted == expected, "seed \(seed), step \(step)")
            if counted != expected { return }
        }
    }

    @Test func aWindowBeforeEveryKeptInstantCountsThemAllAndOneAfterCountsNone() {
        var instants = RecentInstants(capacity: 3)
        for second in [10, 20, 30, 40] as [Int64] { instants.append(Instant(seconds: second)) }
        #expect(instants.count(after: Instant(seconds: 0), through: Instant(seconds: 40)) == 3)
        #expect(instants.count(after: Instant(seconds: 40), through: Instant(seconds: 50)) == 0)
        #expect(instants.count(after: Instant(seconds: 19), through: Instant(seconds: 40)) == 3)
        #expect(instants.count(after: Instant(seconds: 20), through: Instant(seconds: 35)) == 1)
    }
}
