/// A point in time: nanoseconds since the Unix epoch (1970-01-01T00:00:00Z), UTC.
///
/// Heartline keeps every event time and deadline as an `Instant` so that arithmetic is exact
/// integer arithmetic; input stamps carry at most nanosecond precision.
///
/// Heartline's times run from ``earliest`` to ``latest`` (1677-09-21T00:12:44Z to
/// 2262-04-11T23:47:16Z), the whole seconds that Int64 nanoseconds hold. Arithmetic never traps:
/// a stamp outside these bounds is unreadable, and a deadline after ``latest`` never comes.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z; negative before it.
    public var nanoseconds: Int64

    /// The last instant Heartline handles, 2262-04-11T23:47:16Z: the largest whole second that
    /// Int64 nanoseconds since the epoch hold.
    public static let latest = Instant(nanoseconds: 9_223_372_036 * 1_000_000_000)
    /// The first instant Heartline handles, 1677-09-21T00:12:44Z: ``latest`` mirrored.
    public static let earliest = Instant(nanoseconds: -9_223_372_036 * 1_000_000_000)

    /// Creates an instant from nanoseconds since the Unix epoch.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// Creates an instant from whole seconds since the Unix epoch, clamped to ``earliest``...``latest``.
    public init(seconds: Int64) {
        self.nanoseconds = min(max(seconds, Self.earliest.seconds), Self.latest.seconds) * 1_000_000_000
    }

    /// Creates an instant from whole seconds since the Unix epoch and the nanoseconds past them.
    ///
    /// - Parameters:
    ///   - seconds: Whole seconds since 1970-01-01T00:00:00Z.
    ///   - nanosecond: Nanoseconds past `seconds`, in `0..<1_000_000_000`.
    /// - Returns: The instant, or nil when it lies outside ``earliest``...``latest``.
    public init?(seconds: Int64, nanosecond: Int64) {
        guard (Self.earliest.seconds...Self.latest.seconds).contains(seconds),
            (0..<1_000_000_000).contains(nanosecond),
            seconds < Self.latest.seconds || nanosecond == 0
        else { return nil }
        self.nanoseconds = seconds * 1_000_000_000 + nanosecond
    }

    /// Whole seconds since the epoch, rounded towards negative infinity.
    public var seconds: Int64 {
        let quotient = nanoseconds / 1_000_000_000
        return nanoseconds % 1_000_000_000 < 0 ? quotient - 1 : quotient
    }

    /// Whether the instant lies within ``earliest``...``latest``.
    public var isInRange: Bool {
        (Self.earliest...Self.latest).contains(self)
    }

    /// The nanoseconds past ``seconds``, in `0..<1_000_000_000`.
    public var fractionNanoseconds: Int64 {
        let remainder = nanoseconds % 1_000_000_000
        return remainder < 0 ? remainder + 1_000_000_000 : remainder
    }

    /// This instant moved by a number of seconds (negative moves back).
    ///
    /// - Parameter seconds: How far to move, in seconds.
    /// - Returns: The moved instant, or nil when it falls outside ``earliest``...``latest``: a
    ///   deadline that never comes.
    public func adding(seconds: Int64) -> Instant? {
        let (delta, overflowScaling) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, overflowAdding) = nanoseconds.addingReportingOverflow(delta)
        let moved = Instant(nanoseconds: sum)
        return overflowScaling || overflowAdding || !moved.isInRange ? nil : moved
    }

    /// The start of a window of `seconds` that ends at this instant, ``earliest`` when the window
    /// reaches back past it: every instant Heartline handles is then inside the window.
    ///
    /// - Parameter seconds: The window's length, in seconds.
    /// - Returns: This instant moved back by `seconds`, at least ``earliest``.
    public func windowStart(seconds: Int64) -> Instant {
        let (delta, overflowScaling) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (start, overflowSubtracting) = nanoseconds.subtractingReportingOverflow(delta)
        guard !overflowScaling, !overflowSubtracting else { return Self.earliest }
        return max(Instant(nanoseconds: start), Self.earliest)
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// RFC 3339 in UTC with a `Z`, whole seconds when the fraction is zero (see ``rfc3339``).
    public var description: String { rfc3339 }
}

extension Instant: Codable {
    /// Decodes nanoseconds since the epoch, the form ``encode(to:)`` writes.
    public init(from decoder: any Decoder) throws {
        self.init(nanoseconds: try decoder.singleValueContainer().decode(Int64.self))
    }

    /// Encodes nanoseconds since the epoch as one integer.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(nanoseconds)
    }
}
