public import HeartlineCore

/// Writes alerts as replay prints them (SPEC §3): JSON lines, or one readable line each.
public enum AlertFormatter {
    /// One JSON object per alert (``HeartlineCore/Alert/jsonLine``): replay's `jsonl` format.
    public static func jsonLine(_ alert: Alert) -> String {
        alert.jsonLine
    }

    /// `AT STATUS SERVICE/JOB CONDITION`, the form rule-test files expect alerts in.
    ///
    /// The service and job names are printed through ``HeartlineCore/TerminalText/escaped(_:)``,
    /// so that a name captured from a log line stays on the alert's one line and cannot steer the
    /// terminal; ordinary names print as they are.
    public static func summary(_ alert: Alert) -> String {
        let name = TerminalText.escaped(alert.service) + "/" + TerminalText.escaped(alert.job)
        return "\(alert.at.rfc3339) \(alert.status.rawValue) \(name) \(alert.condition.rawValue)"
    }

    /// ``summary(_:)`` followed by ` - detail` when there is one, escaped the same way: replay's
    /// `text` format, one line per alert.
    public static func text(_ alert: Alert) -> String {
        alert.detail.isEmpty ? summary(alert) : "\(summary(alert)) - \(TerminalText.escaped(alert.detail))"
    }
}
