import Foundation

extension URL {
    /// The URL as a sink may show it in logs and errors: `scheme://host:port/first-segment/…`.
    ///
    /// User information, the query and the fragment are dropped, and the path is cut after its
    /// first segment, because webhook services such as Slack and Discord carry their token in the
    /// later path segments (`/services/T…/B…/TOKEN`). The port is the explicit one or the scheme's
    /// default (80, 443).
    var redactedForDisplay: String {
        let scheme = scheme?.lowercased() ?? "?"
        let host = host ?? "?"
        let port = port ?? (scheme == "https" ? 443 : 80)
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var path = segments.first.map { "/" + $0 } ?? "/"
        if segments.count > 1 { path += "/…" }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost):\(port)\(path)"
    }
}
