/// Reads the durations of pattern files: `90s`, `10m`, `24h`, `1h30m`, `2w`.
///
/// A duration is one or more terms, each a decimal integer immediately followed by a unit: `s`
/// (second), `m` (minute), `h` (hour), `d` (day, 86 400 s) or `w` (week, 7 days); the terms add up
/// (SPEC §1). Units are lower-case and may come in any order or repeat (`30m1h` is 5400 s).
/// There is no space inside a duration (`1h 30m` is an error), as in Prometheus and Go durations,
/// so that a value is one word wherever it is written. Zero and negative durations are errors, and
/// so is a number without a unit (`10`): seconds and minutes are too easy to confuse.
/// The total is at most 100 years (36500d), which keeps every deadline inside ``Instant``'s range.
public enum DurationParser {
    /// The longest duration accepted, in seconds: 36 500 days.
    public static let maximumSeconds: Int64 = 36_500 * 86_400

    /// Parses a duration.
    ///
    /// - Parameter text: The duration as written, e.g. `1h30m`.
    /// - Returns: The duration in seconds, at least 1.
    /// - Throws: ``DurationError`` saying what is wrong, quoting `text`.
    public static func seconds(_ text: String) throws(DurationError) -> Int64 {
        let scalars = Array(text.unicodeScalars)
        func invalid(_ reason: String) -> DurationError {
            DurationError(message: "'\(text)' is not a valid duration: \(reason)")
        }
        guard !scalars.isEmpty else { throw invalid("expected a number and a unit, as in '90s' or '1h30m'") }
        if scalars.first == "-" { throw invalid("must be positive") }
        if scalars.contains(where: \.properties.isWhitespace) {
            let joined = String(String.UnicodeScalarView(scalars.filter { !$0.properties.isWhitespace }))
            throw invalid("remove the spaces, as in '\(joined)'")
        }
        // Past the maximum the exact value no longer matters, so sums saturate instead of overflowing.
        let saturated = maximumSeconds + 1
        var total: Int64 = 0
        var index = 0
        while index < scalars.count {
            let numberStart = index
            var number: Int64 = 0
            while index < scalars.count, let digit = asciiDigit(scalars[index]) {
                number = min(number * 10 + digit, saturated)
                index += 1
            }
            let unitStart = index
            while index < scalars.count, asciiDigit(scalars[index]) == nil { index += 1 }
            let numberText = String(String.UnicodeScalarView(scalars[numberStart..<unitStart]))
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            guard !numberText.isEmpty else {
                throw invalid("expected a number before '\(unit)', as in '90s' or '1h30m'")
            }
            if unit.isEmpty {
                throw invalid("\(numberText) needs a unit; use s, m, h, d or w, as in '\(numberText)s'")
            }
            if unit.first == "." || unit.first == "," {
                throw invalid("use whole numbers, as in '1h30m' for one and a half hours")
            }
            guard let unitSeconds = secondsPerUnit[unit] else {
                throw DurationError(message: "'\(text)': unknown unit '\(unit)'; use s, m, h, d or w")
            }
            total = min(total + number * unitSeconds, saturated)
        }
        guard total > 0 else { throw invalid("must be positive") }
        guard total <= maximumSeconds else {
            throw DurationError(message: "'\(text)' is too long: a duration is at most 36500d (100 years)")
        }
        return total
    }

    private static let secondsPerUnit: [String: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]

    private static func asciiDigit(_ scalar: Unicode.Scalar) -> Int64? {
        ("0"..."9").contains(scalar) ? Int64(scalar.value - 48) : nil
    }
}
