public import Foundation

/// How a plain-file line's own time is read (SPEC §1, `timestamp:`).
public struct TimestampSpec: Sendable, Hashable {
    /// The stamp format.
    public var format: TimestampFormat
    /// The zone for stamps that carry no UTC offset (an IANA zone such as `Europe/Berlin`).
    public var timezone: TimeZone

    /// Creates a timestamp spec; the defaults are `auto` in `UTC`.
    public init(format: TimestampFormat = .auto, timezone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.format = format
        self.timezone = timezone
    }
}

/// The stamp formats of SPEC §1 and §3.
public enum TimestampFormat: Sendable, Hashable {
    /// Try each known format in turn: RFC 3339, syslog, Apache, epoch seconds.
    case auto
    /// RFC 3339 / ISO 8601 with `T` or a space, `.` or `,` fractions, optional offset.
    case rfc3339
    /// BSD syslog `Mon dd HH:MM:SS` (RFC 3164), year-less.
    case syslog
    /// Apache `[dd/Mon/yyyy:HH:MM:SS +zzzz]` or `[Day Mon dd HH:MM:SS yyyy]`.
    case apache
    /// Seconds since the Unix epoch, optionally with a fraction.
    case epoch
    /// A strftime-like pattern such as `%y/%m/%d %H:%M:%S`.
    case strftime(String)
}
