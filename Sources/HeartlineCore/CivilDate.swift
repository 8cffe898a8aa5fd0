/// Proleptic Gregorian calendar arithmetic on day numbers, with no Foundation in the way.
///
/// The algorithms are Howard Hinnant's `days_from_civil` and `civil_from_days`
/// ("chrono-Compatible Low-Level Date Algorithms"): exact for every Int64 year we meet and a few
/// nanoseconds each, which is why the timestamp reader and the RFC 3339 writer use them.
public enum CivilDate {
    /// Days since 1970-01-01 of a date; `month` 1...12, `day` 1...31.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (days since 1970-01-01): year, month 1...12, day 1...31.
    public static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Day of the week of a day number: 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday).
    public static func weekday(days: Int) -> Int {
        days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6
    }
}
