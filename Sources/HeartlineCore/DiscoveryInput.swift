public import Foundation

/// What `heartline discover` and the daemon's `discover:` read from a machine, as values: the edge
/// reads the files, the core maps them to jobs (``Discovery``).
public struct DiscoveryInput: Sendable {
    /// One timer unit as found in the unit directories.
    public struct Timer: Sendable, Hashable {
        /// The timer's name, such as `fstrim.timer` (for a template's instance, the instance name).
        public var name: String
        /// The unit file, then its drop-ins in the order systemd applies them.
        public var files: [SystemdUnitFile]
        /// Whether a `.wants/` or `.requires/` directory links to it (`systemctl enable`).
        public var enabled: Bool
        /// Whether it is masked (its unit file is a link to `/dev/null` or empty).
        public var masked: Bool
        /// Whether the unit it starts has a unit file; nil when not looked for.
        public var unitExists: Bool?

        /// Creates a timer.
        public init(
            name: String, files: [SystemdUnitFile], enabled: Bool, masked: Bool = false, unitExists: Bool? = nil
        ) {
            self.name = name
            self.files = files
            self.enabled = enabled
            self.masked = masked
            self.unitExists = unitExists
        }

        /// The unit file's path (the first file), for messages.
        public var path: String { files.first?.path ?? name }
    }

    /// The timers, enabled ones first.
    public var timers: [Timer]
    /// `/etc/crontab`, the files of `/etc/cron.d` and the users' crontabs.
    public var crontabs: [CrontabFile]
    /// `/etc/anacrontab`, when there is one.
    public var anacrontab: AnacrontabFile?
    /// The machine's zone: the one cron and timers read wall-clock times in.
    public var timezone: TimeZone
    /// Where the zone came from, for the report (`/etc/timezone`, `/etc/localtime`, or a default).
    public var timezoneSource: String
    /// Files that could not be read, each with the reason.
    public var problems: [String]

    /// Creates an input.
    public init(
        timers: [Timer] = [], crontabs: [CrontabFile] = [], anacrontab: AnacrontabFile? = nil,
        timezone: TimeZone = TimeZone(identifier: "UTC")!, timezoneSource: String = "default", problems: [String] = []
    ) {
        self.timers = timers
        self.crontabs = crontabs
        self.anacrontab = anacrontab
        self.timezone = timezone
        self.timezoneSource = timezoneSource
        self.problems = problems
    }
}
