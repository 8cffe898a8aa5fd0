public import HeartlineCore

/// Writes alerts as replay prints them (SPEC §3): JSON lines, or one readable line each.
public enum AlertFormatter {
    /// One JSON object per alert (``HeartlineCore/Alert/jsonLine``): replay's `jsonl` format.
    public static func jsonLine(_ alert: Alert) -> String {
        alert.jsonLine
    }

    /// `AT STATUS SERVICE/JOB CONDITION`, the form rule-test files expect alerts in.
    public static func summary(_ alert: Alert) -> String {
        "\(alert.at.rfc3339) \(alert.status.rawValue) \(alert.service)/\(alert.job) \(alert.condition.rawValue)"
    }

    /// ``summary(_:)`` followed by ` - detail` when there is one: replay's `text` format.
    public static func text(_ alert: Alert) -> String {
        alert.detail.isEmpty ? summary(alert) : "\(summary(alert)) - \(alert.detail)"
    }
}
