public import HeartlineCore
public import HeartlineSinks

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
    /// `discover:` — the timers and crontab entries of the machine to watch besides the pattern
    /// files; nil to watch only the pattern files.
    public var discover: DiscoverSettings?
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
        self.discover = nil
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

/// `discover: { timers: true, crontabs: true, root: / }` in the main configuration: what the daemon
/// finds by itself at start and at every reload, as `heartline discover` does, without writing files.
public struct DiscoverSettings: Sendable, Hashable {
    /// Whether to watch the enabled systemd timers' services.
    public var timers: Bool
    /// Whether to watch crontab entries and anacron jobs.
    public var crontabs: Bool
    /// The directory the machine's files are read under: `/`, or a copied tree (tests).
    public var root: String

    /// Creates settings.
    public init(timers: Bool = false, crontabs: Bool = false, root: String = "/") {
        self.timers = timers
        self.crontabs = crontabs
        self.root = root
    }
}
