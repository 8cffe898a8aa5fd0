/// What one timestamp spells out, before its year rule and zone turn it into an ``Instant``.
///
/// Readers fill it without checking the day against the month (that needs the year, which a
/// syslog stamp does not carry); ``TimestampParser`` does that when it resolves the fields.
struct StampFields {
    /// The year, or nil for a year-less stamp whose year ``SyslogYearRule`` decides.
    var year: Int?
    /// 1...12.
    var month = 1
    /// 1...31.
    var day = 1
    /// Seconds since local midnight, 0...86_400 (86_400 only for a leap second at 23:59:60).
    var secondOfDay = 0
    /// 0..<1_000_000_000.
    var nanosecond = 0
    /// Seconds east of UTC written in the stamp; nil means the spec's time zone applies.
    var utcOffset: Int?
    /// Seconds since the Unix epoch, when the stamp is one; the calendar fields are then unused.
    var epochSeconds: Int64?
}
