/// One entry of a journal export stream: its fields and the time journald received it.
///
/// Field values are raw bytes, as the journal keeps them; ``field(_:)`` decodes one as text.
public struct JournalEntry: Hashable, Sendable {
    /// When journald received the entry, from `__REALTIME_TIMESTAMP` (microseconds since the
    /// Unix epoch); `nil` when that field is missing or not a number.
    public var realtime: Instant?
    /// Every field by name, including the `__`-prefixed addresses such as `__CURSOR`. A name that
    /// appears more than once keeps its first value.
    public var fields: [String: [UInt8]]

    /// Creates an entry, reading ``realtime`` from the `__REALTIME_TIMESTAMP` field.
    ///
    /// - Parameter fields: The entry's fields by name.
    public init(fields: [String: [UInt8]]) {
        self.fields = fields
        self.realtime = fields["__REALTIME_TIMESTAMP"].flatMap(Self.instant(microseconds:))
    }

    /// The `MESSAGE` field, or no bytes when the entry has none.
    public var message: [UInt8] { fields["MESSAGE"] ?? [] }

    /// A field decoded as UTF-8, invalid sequences replaced by U+FFFD.
    ///
    /// - Parameter name: The field name, e.g. `SYSLOG_IDENTIFIER`.
    /// - Returns: The text, or `nil` when the entry has no such field.
    public func field(_ name: String) -> String? {
        fields[name].map { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads decimal microseconds since the epoch; `nil` for anything else or after ``Instant/latest``.
    private static func instant(microseconds digits: [UInt8]) -> Instant? {
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for digit in digits {
            guard digit >= 0x30 && digit <= 0x39 else { return nil }
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int64(digit - 0x30))
            guard !overflowShift && !overflowAdd else { return nil }
            value = sum
        }
        return Instant(seconds: value / 1_000_000, nanosecond: value % 1_000_000 * 1000)
    }
}
