/// The daemon's main configuration, `heartline.yaml` (SPEC §4).
public struct MainConfig: Sendable {
    /// The directory of pattern files (one service each).
    public var patterns: String
    /// The state directory, where the SQLite state database lives.
    public var state: String
    /// The HTTP listen address, `host:port`; loopback by default.
    public var listen: String
    /// Where alerts go; one standard-output sink when the file names none.
    public var sinks: [SinkConfig]
    /// The daemon's own heartbeat: a URL it pings while it is healthy, so that the watcher is
    /// watched; nil for none.
    public var heartbeat: SelfHeartbeat?
    /// Where the file writes each setting's value, by key path (`patterns`, `state`, `http.listen`,
    /// `heartbeat.url`), so that checks made after parsing point at the value; empty for defaults.
    public var valueLocations: [String: SourceLocation]

    /// The default pattern directory, `/etc/heartline/patterns.d`.
    public static let defaultPatterns = "/etc/heartline/patterns.d"
    /// The default state directory, `/var/lib/heartline`.
    public static let defaultState = "/var/lib/heartline"
    /// The default listen address, `127.0.0.1:9464`.
    public static let defaultListen = "127.0.0.1:9464"

    /// Creates a configuration; every value has the SPEC §4 default.
    public init(
        patterns: String = MainConfig.defaultPatterns, state: String = MainConfig.defaultState,
        listen: String = MainConfig.defaultListen, sinks: [SinkConfig] = [SinkConfig(kind: .stdout)]
    ) {
        self.patterns = patterns
        self.state = state
        self.listen = listen
        self.sinks = sinks
        self.heartbeat = nil
        self.valueLocations = [:]
    }
}

/// `heartbeat: { url: ..., every: 1m }` in the main configuration.
public struct SelfHeartbeat: Sendable, Hashable {
    /// The URL to POST to, e.g. a healthchecks.io check of the daemon itself.
    public var url: String
    /// Seconds between pings.
    public var every: Int64

    /// Creates a self-heartbeat.
    public init(url: String, every: Int64) {
        self.url = url
        self.every = every
    }
}

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
