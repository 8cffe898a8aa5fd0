/// The values one field of a cron expression allows (SPEC §1), kept as a bit set.
///
/// Bit `n` set means value `n` matches. Day-of-week values are 0...6 with 0 = Sunday; a written
/// 7 is folded into 0 while parsing, as Vixie cron treats both as Sunday.
package struct CronField: Sendable, Hashable {
    /// Which of the five fields this is; decides the range, the names and the error wording.
    package enum Kind: Sendable, Hashable, CaseIterable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        /// The name error messages use, as in the crontab(5) field list.
        package var name: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// The values one may write; day-of-week allows 7 as a second Sunday.
        package var range: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// Three-letter names, lower case, whose index plus ``namesStart`` is their value.
        var names: [String] {
            switch self {
            case .month: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
            case .dayOfWeek: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
            default: []
            }
        }

        /// The value of the first name: January is month 1, Sunday is weekday 0.
        var namesStart: Int { self == .month ? 1 : 0 }

        /// What a single value may look like, for "is not ..." errors.
        var expectedValue: String {
            switch self {
            case .month: "a number \(range.lowerBound)-\(range.upperBound) or a month name jan-dec"
            case .dayOfWeek: "a number \(range.lowerBound)-\(range.upperBound) or a weekday name sun-sat"
            default: "a number \(range.lowerBound)-\(range.upperBound)"
            }
        }
    }

    /// Bit `n` is set when value `n` matches.
    package let bits: UInt64
    /// Whether the field as written starts with `*`; Vixie cron's day matching and Debian
    /// cron's DST handling both look at exactly this.
    package let startsWithStar: Bool

    /// Parses one field: `*`, a value, a range `a-b`, any of these with a step `/n`, and
    /// comma-separated lists of all of them.
    ///
    /// A step on a single value (`5/15`) runs from that value to the end of the range, as in
    /// Vixie cron. Month and weekday names are three letters, in any case.
    /// - Parameters:
    ///   - text: The field as written, without surrounding whitespace.
    ///   - kind: Which field it is.
    /// - Throws: ``CronError`` naming the field and what was expected.
    package init(parsing text: Substring, kind: Kind) throws(CronError) {
        var bits: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            bits |= try Self.parseItem(item, in: text, kind: kind)
        }
        if kind == .dayOfWeek, bits & (1 << 7) != 0 {
            bits = bits & ~(1 << 7) | 1
        }
        self.bits = bits
        self.startsWithStar = text.hasPrefix("*")
    }

    /// Whether `value` matches.
    package func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0
    }

    /// The smallest matching value that is at least `value`, or nil when there is none.
    package func first(atLeast value: Int) -> Int? {
        guard value < 64 else { return nil }
        let remaining = bits & (UInt64.max << UInt64(max(value, 0)))
        return remaining == 0 ? nil : remaining.trailingZeroBitCount
    }

    /// The matching values in ascending order.
    package var values: [Int] {
        (0..<64).filter(contains)
    }

    private static func parseItem(_ item: Substring, in field: Substring, kind: Kind) throws(CronError) -> UInt64 {
        guard !item.isEmpty else {
            throw CronError(message: "\(kind.name) field: empty list item in '\(field)'; remove the extra comma")
        }
        let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts[0]
        var step = 1
        if parts.count == 2 {
            guard let number = parseNumber(parts[1]) else {
                throw CronError(message: "\(kind.name) field: step '\(parts[1])' in '\(item)' is not a number")
            }
            guard number >= 1 else {
                throw CronError(message: "\(kind.name) field: step 0 in '\(item)' must be at least 1")
            }
            step = number
        }
        let bounds: ClosedRange<Int>
        if base == "*" {
            bounds = kind.range
        } else if let dash = base.firstIndex(of: "-") {
            let low = try parseValue(base[..<dash], kind: kind)
            let high = try parseValue(base[base.index(after: dash)...], kind: kind)
            guard low <= high else {
                throw CronError(
                    message: "\(kind.name) field: range \(base) runs backwards; write the smaller value first"
                )
            }
            bounds = low...high
        } else {
            let value = try parseValue(base, kind: kind)
            bounds = parts.count == 2 ? value...kind.range.upperBound : value...value
        }
        var bits: UInt64 = 0
        for value in stride(from: bounds.lowerBound, through: bounds.upperBound, by: step) {
            bits |= 1 << UInt64(value)
        }
        return bits
    }

    private static func parseValue(_ text: Substring, kind: Kind) throws(CronError) -> Int {
        if let index = kind.names.firstIndex(of: text.lowercased()) {
            return index + kind.namesStart
        }
        guard let value = parseNumber(text) else {
            let shown = text.isEmpty ? "an empty value" : "'\(text)'"
            throw CronError(message: "\(kind.name) field: \(shown) is not \(kind.expectedValue)")
        }
        let range = kind.range
        guard range.contains(value) else {
            throw CronError(
                message: "\(kind.name) field: \(text) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return value
    }

    /// A run of ASCII digits as a number; nil for anything else, including a sign. Values too
    /// long to matter are capped so that "out of range" rather than an overflow reports them.
    private static func parseNumber(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return text.utf8.reduce(0) { min($0 * 10 + Int($1 - UInt8(ascii: "0")), 1_000_000) }
    }
}
