/// A Prometheus-style histogram of run durations (seconds), with bounds chosen for jobs: from a
/// second to a day.
///
/// Counts are cumulative, as the exposition format's `_bucket{le=...}` series are: `cumulative[i]`
/// is the number of runs that took at most `bounds[i]` seconds; ``count`` is the `+Inf` bucket.
public struct RunDurationHistogram: Codable, Hashable, Sendable {
    /// The buckets' upper bounds in seconds, ascending: 1 s, 5 s, 15 s, 1 m, 5 m, 15 m, 1 h, 3 h,
    /// 6 h, 1 d. `+Inf` follows implicitly.
    public static let bounds: [Double] = [1, 5, 15, 60, 300, 900, 3600, 10_800, 21_600, 86_400]

    /// Runs per bucket, cumulative, one entry per ``bounds`` entry.
    public private(set) var cumulative: [Int]
    /// The sum of all durations, in seconds.
    public private(set) var sum: Double = 0
    /// How many runs were recorded.
    public private(set) var count = 0

    /// Creates an empty histogram.
    public init() {
        cumulative = Self.bounds.map { _ in 0 }
    }

    /// Counts one run.
    ///
    /// - Parameter seconds: How long it took, in seconds.
    public mutating func record(seconds: Double) {
        for (index, bound) in Self.bounds.enumerated() where seconds <= bound {
            cumulative[index] += 1
        }
        sum += seconds
        count += 1
    }
}
