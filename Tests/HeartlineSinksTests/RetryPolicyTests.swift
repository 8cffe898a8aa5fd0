import HeartlineSinks
import Testing

struct RetryPolicyTests {
    /// A deterministic generator (SplitMix64), so a drawn wait can be checked against its ceiling.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [
        (0, Duration.seconds(1)), (1, .seconds(1)), (2, .seconds(2)), (3, .seconds(4)), (9, .seconds(256)),
        (10, .seconds(300)), (64, .seconds(300)), (Int.max, .seconds(300)),
    ])
    func theCeilingDoublesPerFailureUpToTheCap(failures: Int, ceiling: Duration) {
        #expect(RetryPolicy.standard.ceiling(afterFailures: failures) == ceiling)
    }

    @Test func waitsAreDrawnFromZeroToTheCeiling() {
        let policy = RetryPolicy(base: .milliseconds(100), cap: .seconds(10))
        var generator = SplitMix(state: 42)
        for failures in 1...12 {
            let ceiling = policy.ceiling(afterFailures: failures)
            let waits = (0..<200).map { _ in policy.delay(afterFailures: failures, using: &generator) }
            #expect(waits.allSatisfy { $0 >= .zero && $0 <= ceiling })
            // Full jitter uses the whole range, not a band near the ceiling.
            #expect(waits.contains { $0 < ceiling / 4 } && waits.contains { $0 > ceiling * 3 / 4 })
        }
    }

    @Test func theSameSeedGivesTheSameWaits() {
        var first = SplitMix(state: 7)
        var second = SplitMix(state: 7)
        let policy = RetryPolicy.standard
        let a = (1...20).map { policy.delay(afterFailures: $0, using: &first) }
        let b = (1...20).map { policy.delay(afterFailures: $0, using: &second) }
        #expect(a == b)
    }

    @Test func aCapBelowTheBaseIsTheBase() {
        #expect(RetryPolicy(base: .seconds(5), cap: .seconds(1)).ceiling(afterFailures: 3) == .seconds(5))
    }
}
