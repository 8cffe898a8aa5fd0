/// Writes durations the way pattern files spell them: `1h30m`, `2d`, `45s`.
public enum DurationFormatter {
    /// The shortest sum of whole units (w, d, h, m, s) equal to `seconds`; `0s` for zero.
    /// Sub-second remainders are dropped.
    public static func string(seconds: Int64) -> String {
        if seconds == 0 { return "0s" }
        var rest = abs(seconds)
        var text = seconds < 0 ? "-" : ""
        for (unit, size) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    /// Like ``string(seconds:)`` for the span between two instants, rounded down to whole seconds.
    public static func string(from start: Instant, to end: Instant) -> String {
        string(seconds: (end.nanoseconds - start.nanoseconds) / 1_000_000_000)
    }
}
