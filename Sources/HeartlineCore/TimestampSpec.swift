public import Foundation

/// How a plain-file line's own time is read (SPEC §1, `timestamp:`).
public struct TimestampSpec: Sendable, Hashable {
    /// The stamp format.
    public var format: TimestampFormat
    /// The zone for stamps that carry no UTC offset (an IANA zone such as `Europe/Berlin`).
    public var timezone: TimeZone
    /// `field:` — read the stamp from this field of the decoded line (a JSON or logfmt line's
    /// `time`, say) rather than from the line's start; nil reads the line itself.
    public var field: String?
    /// How lines are decoded to find ``field``: the service's `source.format`.
    public var fieldFormat: LineFormat

    /// Creates a timestamp spec; the defaults are `auto` in `UTC`, read from the line's start.
    public init(
        format: TimestampFormat = .auto, timezone: TimeZone = TimeZone(identifier: "UTC")!, field: String? = nil,
        fieldFormat: LineFormat = .auto
    ) {
        self.format = format
        self.timezone = timezone
        self.field = field
        self.fieldFormat = fieldFormat
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
