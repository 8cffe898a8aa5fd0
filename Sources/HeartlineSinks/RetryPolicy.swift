/// How long the daemon waits before offering a failing sink its queued alerts again.
///
/// Exponential backoff with full jitter, as in Marc Brooker's "Exponential Backoff And Jitter"
/// (AWS Architecture Blog, 2015): after the n-th failure in a row the wait is drawn uniformly from
/// zero up to `min(cap, base × 2^(n−1))`. Drawing from the whole range, rather than adding a little
/// noise to a fixed wait, keeps many sinks (or many daemons behind one receiver) that failed
/// together from retrying together. A wait may be zero; the ceiling keeps the average growing.
/// All times are `Duration`s, computed in whole nanoseconds.
public struct RetryPolicy: Hashable, Sendable {
    /// The ceiling of the first wait, after one failure; positive.
    public var base: Duration
    /// The largest ceiling any wait can have, however many failures came before; at least `base`.
    public var cap: Duration

    /// The daemon's default: ceilings of 1 s, 2 s, 4 s, ... up to 5 minutes.
    public static let standard = RetryPolicy(base: .seconds(1), cap: .seconds(300))

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - base: The ceiling of the wait after the first failure; must be positive.
    ///   - cap: The largest ceiling; a `cap` below `base` is taken as `base`.
    public init(base: Duration, cap: Duration) {
        precondition(base > .zero, "RetryPolicy.base must be positive")
        self.base = base
        self.cap = max(cap, base)
    }

    /// The longest wait after `failures` failures in a row: `min(cap, base × 2^(failures−1))`.
    ///
    /// - Parameter failures: Consecutive failed attempts so far; values below 1 count as 1.
    /// - Returns: The ceiling, at most ``cap``; the doubling stops at ``cap`` without overflowing.
    public func ceiling(afterFailures failures: Int) -> Duration {
        let base = Self.nanoseconds(base)
        let cap = Self.nanoseconds(cap)
        let doublings = max(failures, 1) - 1
        guard doublings < Int64.bitWidth - 1, base <= cap >> doublings else { return .nanoseconds(cap) }
        return .nanoseconds(base << doublings)
    }

    /// The wait after `failures` failures in a row, drawn with the system's random numbers.
    ///
    /// - Parameter failures: Consecutive failed attempts so far; values below 1 count as 1.
    /// - Returns: A wait uniformly distributed in `0...ceiling(afterFailures: failures)`, in nanoseconds.
    public func delay(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, using: &generator)
    }

    /// The wait after `failures` failures in a row, drawn from `generator` (seeded in tests).
    ///
    /// - Parameters:
    ///   - failures: Consecutive failed attempts so far; values below 1 count as 1.
    ///   - generator: The source of randomness.
    /// - Returns: A wait uniformly distributed in `0...ceiling(afterFailures: failures)`, in nanoseconds.
    public func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        .nanoseconds(Int64.random(in: 0...Self.nanoseconds(ceiling(afterFailures: failures)), using: &generator))
    }

    /// A duration in whole nanoseconds, saturating at `Int64.max` (about 292 years).
    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
