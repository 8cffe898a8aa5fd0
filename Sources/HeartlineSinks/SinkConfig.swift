public import HeartlineCore

/// One alert sink and its routing filters.
public struct SinkConfig: Sendable, Hashable {
    /// The kinds of sink (SPEC §4).
    public enum Kind: Sendable, Hashable {
        /// One JSON object per alert per line on standard output.
        case stdout
        /// HTTP POST of the alert JSON, with headers; `timeout` in seconds.
        case webhook(url: String, headers: [String: String], timeout: Int64)
        /// A program run with the alert in its environment and on standard input; never a shell.
        case exec(command: [String], timeout: Int64)
        /// Prometheus Alertmanager's `/api/v2/alerts` at a base URL.
        case alertmanager(url: String)
        /// Heartbeat forwarding to each job's `ping_url`.
        case healthchecks
    }

    /// What the sink is.
    public var kind: Kind
    /// Only alerts of these services; empty for all.
    public var services: [String]
    /// Only alerts of these conditions; empty for all.
    public var conditions: [Condition]
    /// Where the sink is written, for messages.
    public var location: SourceLocation?
    /// For an Alertmanager sink, seconds between re-posts of firing alerts (`repost:`); nil for
    /// the default of one minute.
    public var repostInterval: Int64?
    /// Where each of the sink's keys has its value (`url`, `command`, `timeout`, ...), so that a
    /// setting found not to work after parsing is reported at the value.
    public var valueLocations: [String: SourceLocation]

    /// Creates a sink.
    public init(kind: Kind, services: [String] = [], conditions: [Condition] = [], location: SourceLocation? = nil) {
        self.kind = kind
        self.services = services
        self.conditions = conditions
        self.location = location
        self.repostInterval = nil
        self.valueLocations = [:]
    }

    /// The sink's type name as written in the configuration.
    public var typeName: String {
        switch kind {
        case .stdout: "stdout"
        case .webhook: "webhook"
        case .exec: "exec"
        case .alertmanager: "alertmanager"
        case .healthchecks: "healthchecks"
        }
    }

    /// Whether this sink takes `alert` under its routing filters.
    public func accepts(_ alert: Alert) -> Bool {
        (services.isEmpty || services.contains(alert.service))
            && (conditions.isEmpty || conditions.contains(alert.condition))
    }
}
