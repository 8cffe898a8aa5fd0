import Foundation

/// A time span as systemd's settings write it: `50`, `5min 20s`, `1.5h`, `6000`, `infinity`
/// (systemd.time(7), "Parsing Time Spans"; systemd 252's `parse_time`).
///
/// A number alone is seconds. Numbers may have a decimal fraction and are followed by a unit,
/// optionally after spaces; several such parts are added up. Units: `usec`, `us`, `µs`, `μs`;
/// `msec`, `ms`; `seconds`, `second`, `sec`, `s`; `minutes`, `minute`, `min`, `m`; `hours`, `hour`,
/// `hr`, `h`; `days`, `day`, `d`; `weeks`, `week`, `w`; `months`, `month`, `M` (30.44 days);
/// `years`, `year`, `y` (365.25 days). Values are kept in microseconds, as systemd keeps them.
public struct SystemdTimeSpan: Sendable, Hashable, CustomStringConvertible {
    /// The span in microseconds; nil for `infinity`.
    public let microseconds: Int64?
    /// The text as written.
    public let source: String

    /// Microseconds per unit, longest names first so that `min` is not read as `m` + `in`.
    private static let units: [(String, Int64)] = [
        ("seconds", 1_000_000), ("second", 1_000_000), ("sec", 1_000_000),
        ("minutes", 60_000_000), ("minute", 60_000_000), ("min", 60_000_000),
        ("months", 2_629_800_000_000), ("month", 2_629_800_000_000),
        ("msec", 1000), ("ms", 1000),
        ("hours", 3_600_000_000), ("hour", 3_600_000_000), ("hr", 3_600_000_000),
        ("days", 86_400_000_000), ("day", 86_400_000_000),
        ("weeks", 604_800_000_000), ("week", 604_800_000_000),
        ("years", 31_557_600_000_000), ("year", 31_557_600_000_000),
        ("usec", 1), ("us", 1), ("µs", 1), ("μs", 1),
        ("s", 1_000_000), ("m", 60_000_000), ("M", 2_629_800_000_000), ("h", 3_600_000_000),
        ("d", 86_400_000_000), ("w", 604_800_000_000), ("y", 31_557_600_000_000),
    ]

    /// Parses a span.
    ///
    /// - Parameter text: The value as written after `=`.
    /// - Returns: nil when the text is not a time span systemd takes.
    public init?(_ text: String) {
        source = text
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "infinity" {
            microseconds = nil
            return
        }
        var rest = Substring(trimmed)
        var total: Int64 = 0
        var sawPart = false
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            if rest.isEmpty { break }
            let whole = rest.prefix(while: { $0.isASCII && $0.isNumber })
            rest = rest.dropFirst(whole.count)
            var fraction = Substring("")
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix(while: { $0.isASCII && $0.isNumber })
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { return nil }
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            var multiplier: Int64 = 1_000_000
            if let unit = Self.units.first(where: { rest.hasPrefix($0.0) }) {
                // A unit is a whole word: `5 minutesx` is no span.
                let after = rest.dropFirst(unit.0.count)
                if let next = after.first, next.isLetter { return nil }
                multiplier = unit.1
                rest = after
            } else if let next = rest.first, !(next.isASCII && next.isNumber) {
                return nil
            }
            guard let wholeValue = Int64(whole.isEmpty ? "0" : whole) else { return nil }
            let (product, overflow) = wholeValue.multipliedReportingOverflow(by: multiplier)
            guard !overflow else { return nil }
            var part = product
            if !fraction.isEmpty {
                // systemd keeps the fraction to the unit's resolution, rounding down.
                var scale = multiplier
                for digit in fraction.prefix(18) {
                    scale /= 10
                    part += Int64(digit.wholeNumberValue!) * scale
                }
            }
            let (sum, sumOverflow) = total.addingReportingOverflow(part)
            guard !sumOverflow else { return nil }
            total = sum
            sawPart = true
        }
        guard sawPart else { return nil }
        microseconds = total
    }

    /// Whole seconds, rounded up (nil for `infinity`).
    public var secondsRoundedUp: Int64? {
        microseconds.map { ($0 + 999_999) / 1_000_000 }
    }

    /// The text as written.
    public var description: String { source }
}
