/// A point in time: nanoseconds since the Unix epoch (1970-01-01T00:00:00Z), UTC.
///
/// Heartline keeps every event time and deadline as an `Instant` so that arithmetic is exact
/// integer arithmetic; input stamps carry at most nanosecond precision.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z; negative before it.
    public var nanoseconds: Int64

    /// Creates an instant from nanoseconds since the Unix epoch.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// Creates an instant from whole seconds since the Unix epoch.
    public init(seconds: Int64) {
        self.nanoseconds = seconds * 1_000_000_000
    }

    /// Whole seconds since the epoch, rounded towards negative infinity.
    public var seconds: Int64 {
        nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : -((-nanoseconds + 999_999_999) / 1_000_000_000)
    }

    /// The nanoseconds past ``seconds``, in `0..<1_000_000_000`.
    public var fractionNanoseconds: Int64 {
        nanoseconds - seconds * 1_000_000_000
    }

    /// This instant moved by a number of seconds (negative moves back).
    public func adding(seconds: Int64) -> Instant {
        Instant(nanoseconds: nanoseconds + seconds * 1_000_000_000)
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
