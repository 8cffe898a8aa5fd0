public import Foundation
public import HeartlineCore

#if canImport(Glibc)
    import Glibc
#endif

/// The Alertmanager sink: posts alerts to Prometheus Alertmanager's `POST /api/v2/alerts` (SPEC §4).
///
/// Each alert goes as a one-element array of `postableAlert` (Alertmanager's API v2 OpenAPI
/// schema): `labels` `alertname` (`HeartlineMissing`, `HeartlineStuck`, ...), `service`, `job`,
/// `condition` and `host` (this machine's name); `annotations` `summary` and, when the alert has
/// one, `description` (its detail); `startsAt`, `endsAt` and, if configured, `generatorURL`, all
/// times RFC 3339 in UTC.
///
/// Alertmanager forgets a firing alert once its `endsAt` passes, so the daemon must post every
/// firing alert again every ``repostInterval`` until it resolves, using ``payload(for:now:)``.
/// As Prometheus does, a firing alert's `endsAt` is set to `now + 4 × repostInterval` rather than
/// left out: left out, Alertmanager would use its own `resolve_timeout` (5 minutes by default,
/// unknown to Heartline), and an interval longer than that would make the alert flap. With
/// `endsAt` set, one or two lost posts do not resolve it, and if Heartline stops, the alert
/// resolves by itself at most four intervals later. A resolved alert is posted once, with
/// `startsAt` its `since` and `endsAt` its `at`. Alertmanager identifies an alert by its labels,
/// so every post of one alert carries the same labels and `startsAt`.
///
/// Delivery is a 2xx answer within ``timeout``; anything else throws (see ``WebhookSink`` for the
/// rules shared with it: no redirects, no user information or query in messages).
public struct AlertmanagerSink: AlertSink, CustomStringConvertible {
    public let key: String
    public let config: SinkConfig
    /// The sink as it may be logged, e.g. `alertmanager http://127.0.0.1:9093/api/…`.
    public let redacted: String
    /// The full endpoint: the configured base URL with `/api/v2/alerts` appended to its path.
    public let endpoint: URL
    /// The `host` label: the machine's host name.
    public let hostname: String
    /// How often the daemon posts a still-firing alert again; a firing alert's `endsAt` is four of these ahead.
    public let repostInterval: Duration
    /// The limit on one post, connecting to answer.
    public let timeout: Duration
    /// Where an operator can learn more about the alert, sent as `generatorURL`; none if nil.
    public let generatorURL: String?
    private let clock: @Sendable () -> Instant
    private let poster: HTTPPoster

    /// The default ``repostInterval``, one minute (Prometheus's default resend delay).
    public static let defaultRepostInterval = Duration.seconds(60)

    /// Creates the sink for the `index`-th sink of the configuration.
    ///
    /// - Parameters:
    ///   - index: The sink's position in the configuration, for ``key`` (`1:alertmanager`).
    ///   - config: An `alertmanager` sink: Alertmanager's base URL, such as `http://127.0.0.1:9093`.
    ///   - hostname: The `host` label; by default `gethostname(2)`.
    ///   - repostInterval: How often the daemon re-posts firing alerts; positive.
    ///   - timeout: The limit on one post; positive. Ten seconds by default, as for webhooks.
    ///   - generatorURL: The `generatorURL` to send, such as the daemon's status page.
    ///   - clock: The wall clock, read when an alert is delivered to compute a firing `endsAt`.
    /// - Throws: ``SinkError`` with code `configuration` when `config` is not an Alertmanager sink
    ///   or its URL is not an absolute `http` or `https` URL.
    public init(
        index: Int, config: SinkConfig, hostname: String = AlertmanagerSink.localHostname(),
        repostInterval: Duration = AlertmanagerSink.defaultRepostInterval, timeout: Duration = .seconds(10),
        generatorURL: String? = nil, clock: @escaping @Sendable () -> Instant = AlertmanagerSink.systemClock
    ) throws(SinkError) {
        guard case .alertmanager(let base) = config.kind else {
            throw SinkError(
                code: .configuration, sink: "\(index):\(config.typeName)", message: "not an alertmanager sink")
        }
        precondition(repostInterval > .zero && timeout > .zero, "repostInterval and timeout must be positive")
        let baseURL = try WebhookSink.httpURL(
            base, sink: "\(index):alertmanager", what: "alertmanager 'url'", example: "http://127.0.0.1:9093")
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)
        var path = components?.percentEncodedPath ?? ""
        while path.hasSuffix("/") { path.removeLast() }
        components?.percentEncodedPath = path + "/api/v2/alerts"
        guard let endpoint = components?.url else {
            throw SinkError(
                code: .configuration, sink: "\(index):alertmanager",
                message: "alertmanager 'url' must be an absolute http or https URL, such as http://127.0.0.1:9093",
                setting: "url")
        }
        self.key = "\(index):alertmanager"
        self.config = config
        self.redacted = "alertmanager " + endpoint.redactedForDisplay
        self.endpoint = endpoint
        self.hostname = hostname
        self.repostInterval = repostInterval
        self.timeout = timeout
        self.generatorURL = generatorURL
        self.clock = clock
        self.poster = HTTPPoster(url: endpoint, headers: [:], timeout: timeout, sinkName: redacted)
    }

    /// The same as ``redacted``.
    public var description: String { redacted }

    /// The request body for `alert` posted at `now`: a JSON array holding one `postableAlert`.
    ///
    /// Pure, so that the daemon can post a firing alert again with a later `now`.
    ///
    /// - Parameters:
    ///   - alert: The alert.
    ///   - now: When it is posted; a firing alert's `endsAt` is `now + 4 × repostInterval`.
    /// - Returns: UTF-8 JSON, keys sorted.
    public func payload(for alert: Alert, now: Instant) -> Data {
        var annotations = ["summary": summary(alert)]
        if !alert.detail.isEmpty { annotations["description"] = alert.detail }
        let endsAt: Instant
        switch alert.status {
        case .firing: endsAt = Instant(nanoseconds: now.nanoseconds + Self.nanoseconds(repostInterval * 4))
        case .resolved: endsAt = alert.at
        }
        let posted = PostableAlert(
            labels: labels(alert), annotations: annotations,
            startsAt: (alert.status == .resolved ? alert.since ?? alert.at : alert.at).rfc3339,
            endsAt: endsAt.rfc3339, generatorURL: generatorURL)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode([posted])
        } catch {
            // Only strings are encoded, which cannot fail.
            preconditionFailure("encoding an Alertmanager payload failed: \(error)")
        }
    }

    /// The labels that identify `alert` to Alertmanager; the same for its firing and resolved posts.
    ///
    /// - Parameter alert: The alert.
    /// - Returns: `alertname`, `service`, `job`, `condition` and `host`.
    public func labels(_ alert: Alert) -> [String: String] {
        let condition = alert.condition.rawValue
        return [
            "alertname": "Heartline" + condition.prefix(1).uppercased() + condition.dropFirst(),
            "service": alert.service,
            "job": alert.job,
            "condition": condition,
            "host": hostname,
        ]
    }

    /// Posts the alert, stamped with the clock's current time.
    ///
    /// - Throws: ``SinkError`` (`transport`, `timeout`, `rejected`) when Alertmanager did not take
    ///   it, or `CancellationError` when the calling task was cancelled.
    public func deliver(_ alert: Alert) async throws {
        try await poster.post(payload(for: alert, now: clock()))
    }

    /// This machine's host name from `gethostname(2)`, or `localhost` if it has none.
    public static func localHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// The system's wall clock as an ``Instant``.
    @Sendable public static func systemClock() -> Instant {
        Instant(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
    }

    private func summary(_ alert: Alert) -> String {
        let what =
            switch alert.condition {
            case .missing: "no success line came in time"
            case .stuck: "a run started and did not end in time"
            case .failing: "failures came faster than allowed"
            case .slow: "too few successes in the window"
            case .breach: "a measured value is beyond its threshold"
            case .tooFast: "a run ended in success sooner than its minimum runtime"
            }
        let prefix = alert.status == .resolved ? "resolved: " : ""
        return "\(prefix)\(alert.service)/\(alert.job): \(what)"
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// `postableAlert` of Alertmanager's API v2.
    private struct PostableAlert: Encodable {
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        var endsAt: String
        var generatorURL: String?
    }
}
