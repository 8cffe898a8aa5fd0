import Foundation

/// A five-field cron expression (SPEC §1): `minute hour day-of-month month day-of-week`, or a macro.
///
/// Fields take `*`, values, ranges `a-b`, steps (`*/5`, `1-30/7`, and `5/15` for `5-59/15`),
/// comma-separated lists, month names `jan`...`dec` and weekday names `sun`...`sat` in any case;
/// weekday 0 and 7 are both Sunday. The macros are `@hourly`, `@daily` (`@midnight`), `@weekly`,
/// `@monthly` and `@yearly` (`@annually`).
///
/// Days follow Vixie cron: when both day fields are restricted (neither starts with `*`), a day
/// matches if either field does; otherwise both must. ``nextFire(after:in:)`` documents the
/// daylight-saving rules.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    /// Minutes 0...59.
    package let minutes: CronField
    /// Hours 0...23.
    package let hours: CronField
    /// Days of the month 1...31.
    package let daysOfMonth: CronField
    /// Months 1...12.
    package let months: CronField
    /// Days of the week 0...6, Sunday = 0.
    package let daysOfWeek: CronField

    /// Parses `minute hour day-of-month month day-of-week` or an `@hourly`-style macro.
    ///
    /// Fields are separated by spaces or tabs; leading and trailing whitespace is ignored.
    /// When a day must match both day fields (one of them starts with `*`), an expression whose
    /// day-of-month no selected month has (`0 0 30 2 *`) is refused, as healthchecks' cronsim
    /// refuses it: it would never fire, and `missing` would stay silent. February counts 29 days.
    /// When both day fields are restricted a day matches either (Vixie cron), so `0 0 31 2 1`
    /// fires on Mondays in February and parses.
    /// - Parameter source: The expression as written in the pattern file.
    /// - Throws: ``CronError`` naming the field and what was expected, or with code
    ///   ``CronError/Code/neverFires`` for days that never come.
    public init(parsing source: String) throws(CronError) {
        self.source = source
        let trimmed = source.trimmingCharacters(in: .whitespaces)
        let fields: [Substring]
        if trimmed.hasPrefix("@") {
            guard let expansion = Self.macros.first(where: { $0.name == trimmed.lowercased() })?.fields else {
                let known = Self.macros.map(\.name).joined(separator: ", ")
                throw CronError(message: "unknown macro \(trimmed); expected one of \(known)")
            }
            fields = expansion.split(separator: " ")
        } else {
            fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        }
        guard fields.count == 5 else {
            throw CronError(
                message: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)"
            )
        }
        minutes = try CronField(parsing: fields[0], kind: .minute)
        hours = try CronField(parsing: fields[1], kind: .hour)
        daysOfMonth = try CronField(parsing: fields[2], kind: .dayOfMonth)
        months = try CronField(parsing: fields[3], kind: .month)
        daysOfWeek = try CronField(parsing: fields[4], kind: .dayOfWeek)
        try requireDaysThatOccur(written: trimmed)
    }

    /// The expression as written.
    public var description: String { source }

    /// Whether a day must match either day field rather than both: Vixie cron's rule, which
    /// applies only when neither field starts with `*`.
    package var matchesEitherDayField: Bool {
        !daysOfMonth.startsWithStar && !daysOfWeek.startsWithStar
    }

    /// Whether fire times are fixed wall-clock times that Debian cron moves out of a DST gap
    /// and fires once in a repeated hour: true when neither minute nor hour starts with `*`.
    package var hasFixedTimeOfDay: Bool {
        !minutes.startsWithStar && !hours.startsWithStar
    }

    /// Refuses day-of-month and month fields that never meet when a day must match both day fields.
    private func requireDaysThatOccur(written: String) throws(CronError) {
        guard !matchesEitherDayField, let firstDay = daysOfMonth.values.first else { return }
        let selected = months.values
        guard selected.allSatisfy({ Self.longestMonths[$0 - 1].days < firstDay }) else { return }
        let lengths = Set(selected.map { Self.longestMonths[$0 - 1].days }).sorted()
        let reasons = lengths.map { length in
            let names = selected.filter { Self.longestMonths[$0 - 1].days == length }.map {
                Self.longestMonths[$0 - 1].name
            }
            var list = names.last ?? ""
            if names.count > 1 { list = names.dropLast().joined(separator: ", ") + " and " + list }
            return "\(list) \(names.count == 1 ? "has" : "have") at most \(length) days"
        }
        throw CronError(
            code: .neverFires, message: "cron '\(written)' never fires: \(reasons.joined(separator: "; "))")
    }

    /// Month names and their longest length, February's in a leap year.
    private static let longestMonths: [(name: String, days: Int)] = [
        ("January", 31), ("February", 29), ("March", 31), ("April", 30), ("May", 31), ("June", 30),
        ("July", 31), ("August", 31), ("September", 30), ("October", 31), ("November", 30), ("December", 31),
    ]

    /// The macros and their five-field meaning, in the order error messages list them.
    private static let macros: [(name: String, fields: String)] = [
        ("@hourly", "0 * * * *"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
    ]
}

/// A cron expression that does not parse, or that parses but never fires.
public struct CronError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which kind of problem this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// A field or the whole expression is not written as cron syntax allows.
        public static let invalidSyntax = Code(name: "invalidSyntax")
        /// The expression is well formed but no day ever matches, e.g. `0 0 30 2 *`.
        public static let neverFires = Code(name: "neverFires")

        /// The code's name.
        public var description: String { name }
    }

    /// Which kind of problem this is.
    public var code: Code
    /// What is wrong and what was expected, e.g. "minute field: 61 is out of range 0-59".
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: Which kind of problem this is; syntax unless said otherwise.
    ///   - message: What is wrong and what was expected.
    public init(code: Code = .invalidSyntax, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
