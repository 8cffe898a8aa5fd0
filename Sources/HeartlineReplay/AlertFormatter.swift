public import HeartlineCore

/// Writes alerts as replay prints them (SPEC §3): JSON lines, or one readable line each.
public enum AlertFormatter {
    /// One JSON object with the keys `at`, `service`, `job`, `condition`, `status`, then `since`
    /// (resolved alerts) and `detail`, in that order; no newline.
    ///
    /// `at` and `since` are RFC 3339 in UTC with `Z`, whole seconds unless the instant has a fraction.
    public static func jsonLine(_ alert: Alert) -> String {
        var json = "{\"at\":\"\(alert.at.rfc3339)\",\"service\":\(quoted(alert.service)),\"job\":\(quoted(alert.job))"
        json += ",\"condition\":\"\(alert.condition.rawValue)\",\"status\":\"\(alert.status.rawValue)\""
        if let since = alert.since { json += ",\"since\":\"\(since.rfc3339)\"" }
        if !alert.detail.isEmpty { json += ",\"detail\":\(quoted(alert.detail))" }
        return json + "}"
    }

    /// `AT STATUS SERVICE/JOB CONDITION`, the form rule-test files expect alerts in.
    public static func summary(_ alert: Alert) -> String {
        "\(alert.at.rfc3339) \(alert.status.rawValue) \(alert.service)/\(alert.job) \(alert.condition.rawValue)"
    }

    /// ``summary(_:)`` followed by ` - detail` when there is one: replay's `text` format.
    public static func text(_ alert: Alert) -> String {
        alert.detail.isEmpty ? summary(alert) : "\(summary(alert)) - \(alert.detail)"
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
