internal import CSystemd

/// Tells systemd about the daemon's state over the notification socket (`man sd_notify`).
///
/// For a `Type=notify` unit: ``ready()`` once the daemon serves, ``watchdog()`` at least every
/// half ``watchdogInterval()`` when `WatchdogSec=` is set, ``stopping()`` when shutting down. Every
/// call is a no-op that returns `false` when systemd did not start the process with a notification
/// socket (`NOTIFY_SOCKET` unset), so the daemon calls them unconditionally. The environment is left
/// as it is, so later calls still reach systemd.
public enum SystemdNotifier {
    /// Sends `READY=1`: start-up is finished.
    ///
    /// - Returns: `true` when the message was sent.
    @discardableResult
    public static func ready() -> Bool { notify("READY=1") }

    /// Sends `STATUS=…`: a one-line status that `systemctl status` shows.
    ///
    /// - Parameter text: The status; line breaks become spaces, since each line of a notification
    ///   is one assignment.
    /// - Returns: `true` when the message was sent.
    @discardableResult
    public static func status(_ text: String) -> Bool {
        let line = String(text.map { $0.isNewline ? " " : $0 })
        return notify("STATUS=" + line)
    }

    /// Sends `WATCHDOG=1`: the daemon is alive. systemd restarts it when pings stop for longer
    /// than `WatchdogSec=`.
    ///
    /// - Returns: `true` when the message was sent.
    @discardableResult
    public static func watchdog() -> Bool { notify("WATCHDOG=1") }

    /// Sends `STOPPING=1`: shutdown has begun.
    ///
    /// - Returns: `true` when the message was sent.
    @discardableResult
    public static func stopping() -> Bool { notify("STOPPING=1") }

    /// The watchdog timeout systemd expects pings within (`WATCHDOG_USEC` for this process), or
    /// `nil` when the watchdog is off or the process was not started by systemd.
    ///
    /// Ping every half of it, as `man sd_watchdog_enabled` advises.
    ///
    /// - Returns: The timeout, with microsecond resolution.
    public static func watchdogInterval() -> Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }

    private static func notify(_ state: String) -> Bool {
        sd_notify(0, state) > 0
    }
}
