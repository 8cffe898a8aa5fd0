package import Foundation
public import HeartlineCore

/// The webhook sink: an HTTP POST of the alert's JSON to a URL, with the configured headers (SPEC §4).
///
/// The body is ``Alert/jsonLine`` (the same object the stdout sink writes, without the newline),
/// sent as `Content-Type: application/json` with `User-Agent: heartline`; configured headers come
/// after and may replace those two. A 2xx answer means delivered. Any other answer, a redirect
/// (never followed, so the headers' secrets go nowhere else), a transport failure or no answer
/// within `timeout` throws, and the outbox offers the alert again later; the daemon spaces those
/// attempts with a ``RetryPolicy``.
///
/// The URL's user information and query and the header values are secrets: the sink shows itself,
/// in ``redacted`` and in every error, as `webhook scheme://host:port/first-segment/…` and the
/// header names only.
public struct WebhookSink: AlertSink, CustomStringConvertible {
    public let key: String
    public let config: SinkConfig
    /// The sink as it may be logged: no query, user information, path after its first segment or
    /// header values, e.g. `webhook https://hooks.example.org:443/heartline headers: Authorization`.
    public let redacted: String
    private let poster: HTTPPoster

    /// Creates the sink for the `index`-th sink of the configuration.
    ///
    /// - Parameters:
    ///   - index: The sink's position in the configuration, for ``key`` (`3:webhook`).
    ///   - config: A `webhook` sink: its URL, headers and timeout in seconds.
    /// - Throws: ``SinkError`` with code `configuration` when `config` is not a webhook, the URL is
    ///   not an absolute `http` or `https` URL, or the timeout is not positive.
    public init(index: Int, config: SinkConfig) throws(SinkError) {
        guard case .webhook(let text, let headers, let timeout) = config.kind else {
            throw SinkError(
                code: .configuration, sink: "\(index):\(config.typeName)", message: "not a webhook sink")
        }
        let url = try Self.httpURL(text, sink: "\(index):webhook", what: "webhook 'url'")
        guard timeout > 0 else {
            throw SinkError(
                code: .configuration, sink: "\(index):webhook", message: "'timeout' must be positive",
                setting: "timeout")
        }
        var redacted = "webhook " + url.redactedForDisplay
        if !headers.isEmpty { redacted += " headers: " + headers.keys.sorted().joined(separator: ", ") }
        self.key = "\(index):webhook"
        self.config = config
        self.redacted = redacted
        self.poster = HTTPPoster(url: url, headers: headers, timeout: .seconds(timeout), sinkName: redacted)
    }

    /// The same as ``redacted``.
    public var description: String { redacted }

    /// Posts the alert.
    ///
    /// - Throws: ``SinkError`` (`transport`, `timeout`, `rejected`) when it was not delivered, or
    ///   `CancellationError` when the calling task was cancelled.
    public func deliver(_ alert: Alert) async throws {
        try await poster.post(Data(alert.jsonLine.utf8))
    }

    /// Parses an absolute `http`/`https` URL with a host; the error does not repeat the text, which
    /// may hold a secret, and suggests `example` instead.
    package static func httpURL(
        _ text: String, sink: String, what: String, example: String = "https://hooks.example.org/heartline"
    ) throws(SinkError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw SinkError(
                code: .configuration, sink: sink,
                message: "\(what) must be an absolute http or https URL, such as \(example)",
                setting: "url")
        }
        return url
    }
}
