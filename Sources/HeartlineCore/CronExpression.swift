public import Foundation

/// A five-field cron expression (SPEC §1). PLACEHOLDER INTERFACE: the cron helper replaces this file.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let source: String

    /// Parses `minute hour day-of-month month day-of-week` or an `@hourly`-style macro.
    /// - Throws: ``CronError`` naming the field and what was expected.
    public init(parsing source: String) throws(CronError) {
        self.source = source
    }

    /// The first fire time strictly after `instant`, wall-clock in `timezone`.
    public func nextFire(after instant: Instant, in timezone: TimeZone) -> Instant? {
        nil
    }

    public var description: String { source }
}

/// A cron expression that does not parse.
public struct CronError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. "minute field: 61 is out of range 0-59".
    public var message: String
    /// Creates an error.
    public init(message: String) { self.message = message }
    public var description: String { message }
}
