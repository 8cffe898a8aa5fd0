import Glibc

/// Where replay spends its time, per stage, so that the next bottleneck is visible (`--stats`).
public struct StageTimes: Sendable, Hashable {
    /// The stages of the per-line path, plus setup.
    public enum Stage: String, CaseIterable, Sendable {
        /// Parsing pattern files is the caller's; this is opening inputs and compiling the matcher.
        case setup
        /// Reading, splitting into lines, and reading timestamps.
        case read
        /// The prefilter scan and PCRE2 confirmation.
        case match
        /// The evaluator and handing out alerts.
        case evaluate
    }

    /// Nanoseconds spent in each stage.
    public var nanoseconds: [Stage: Int64] = [:]

    /// Creates empty times.
    public init() {}

    /// One line per stage: `read     0.123 s  41%`.
    public var summary: [String] {
        let total = max(1, nanoseconds.values.reduce(0, +))
        return Stage.allCases.map { stage in
            let spent = nanoseconds[stage] ?? 0
            let seconds = Double(spent) / 1e9
            let share = Int((Double(spent) * 100 / Double(total)).rounded())
            return "\(stage.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))"
                + "\(String(format: "%8.3f", seconds)) s \(String(format: "%4d", share))%"
        }
    }
}

/// Charges elapsed monotonic time to stages; costs nothing but a branch when off.
struct StageTimer {
    let enabled: Bool
    private(set) var times = StageTimes()
    private var last: Int64 = 0

    init(enabled: Bool) {
        self.enabled = enabled
        if enabled { last = Self.now() }
    }

    /// Charges the time since the previous lap to `stage`.
    @inline(__always)
    mutating func lap(_ stage: StageTimes.Stage) {
        if enabled { charge(stage) }
    }

    private mutating func charge(_ stage: StageTimes.Stage) {
        let now = Self.now()
        times.nanoseconds[stage, default: 0] += now - last
        last = now
    }

    private static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
