extension Alert {
    /// The alert as one JSON object, no newline: `at`, `service`, `job`, `condition`, `status`, then
    /// `since` (resolved alerts), `detail`, and from the daemon `context`, `host` and the delivery `id`,
    /// in that order. Times are RFC 3339 in UTC with `Z`,
    /// whole seconds unless the instant has a fraction (SPEC §3 `jsonl`, SPEC §4 sinks).
    public var jsonLine: String {
        var json = ""
        json.reserveCapacity(192 + detail.utf8.count + (context?.utf8.count ?? 0))
        json += "{\"at\":\"\(at.rfc3339)\",\"service\":\(Self.quoted(service)),\"job\":\(Self.quoted(job))"
        json += ",\"condition\":\"\(condition.rawValue)\",\"status\":\"\(status.rawValue)\""
        if let since { json += ",\"since\":\"\(since.rfc3339)\"" }
        if !detail.isEmpty { json += ",\"detail\":\(Self.quoted(detail))" }
        if let context { json += ",\"context\":\(Self.quoted(context))" }
        if let host { json += ",\"host\":\(Self.quoted(host))" }
        if let id { json += ",\"id\":\(id)" }
        return json + "}"
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    public static func jsonString(_ text: String) -> String {
        quoted(text)
    }

    static func quoted(_ text: String) -> String {
        // Most names and details need no escape at all.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
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
