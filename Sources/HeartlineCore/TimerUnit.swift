/// The `[Timer]` settings of a systemd timer unit, with its drop-ins applied (systemd.timer(5),
/// systemd 252).
///
/// The unit file comes first and each drop-in after it, in the order systemd applies them
/// (``SystemdUnitFile`` reads each). Within that sequence:
/// - `OnCalendar=`, `OnActiveSec=`, `OnBootSec=`, `OnStartupSec=`, `OnUnitActiveSec=` and
///   `OnUnitInactiveSec=` add to one list of triggers; any of them assigned empty clears the whole
///   list, calendar and monotonic alike ("the list of timers is reset").
/// - `Unit=`, `AccuracySec=`, `RandomizedDelaySec=` and `Persistent=` take the last value; an empty
///   value restores the default (`Unit=` the timer's own name with `.service`, `AccuracySec=` 1min,
///   `RandomizedDelaySec=` 0, `Persistent=` false).
/// A value systemd would refuse (a time span or boolean it cannot read) is kept in ``problems`` and
/// otherwise ignored, as systemd logs and ignores it.
public struct TimerUnit: Sendable, Hashable {
    /// One trigger of the timer.
    public enum Trigger: Sendable, Hashable {
        /// `OnCalendar=`: the expression as written.
        case calendar(String)
        /// `OnActiveSec=`: after the timer unit itself was activated.
        case active(SystemdTimeSpan)
        /// `OnBootSec=`: after the machine booted.
        case boot(SystemdTimeSpan)
        /// `OnStartupSec=`: after the service manager started.
        case startup(SystemdTimeSpan)
        /// `OnUnitActiveSec=`: after the unit it starts was last activated.
        case unitActive(SystemdTimeSpan)
        /// `OnUnitInactiveSec=`: after the unit it starts was last deactivated.
        case unitInactive(SystemdTimeSpan)
    }

    /// A trigger and where it was assigned.
    public struct Assigned: Sendable, Hashable {
        /// The trigger.
        public var trigger: Trigger
        /// Its `On...=` line.
        public var location: SourceLocation
    }

    /// The timer's name, such as `fstrim.timer` (for a template instance, the instance's name).
    public let name: String
    /// The triggers, in the order they were assigned.
    public private(set) var triggers: [Assigned] = []
    /// `Unit=` as written, or nil for the default.
    public private(set) var unit: String?
    /// `AccuracySec=`, in microseconds; default one minute.
    public private(set) var accuracy: Int64 = 60_000_000
    /// `RandomizedDelaySec=`, in microseconds; default 0.
    public private(set) var randomizedDelay: Int64 = 0
    /// `Persistent=`.
    public private(set) var persistent = false
    /// Values systemd would refuse, at the assignment.
    public private(set) var problems: [ConfigError] = []

    /// The default accuracy, one minute (systemd.timer(5)).
    public static let defaultAccuracy: Int64 = 60_000_000

    /// Reads the `[Timer]` section of a unit and its drop-ins.
    ///
    /// - Parameters:
    ///   - name: The timer's unit name (`fstrim.timer`, or `backup@home.timer` for an instance of
    ///     a template).
    ///   - files: The unit file, then its drop-ins in the order systemd applies them.
    public init(name: String, files: [SystemdUnitFile]) {
        self.name = name
        for file in files {
            problems += file.problems
            for assignment in file.assignments(in: "Timer") { take(assignment) }
        }
    }

    /// The unit the timer starts: `Unit=`, else the timer's name with `.service` for `.timer`.
    public var unitName: String {
        if let unit { return unit }
        let stem = name.hasSuffix(".timer") ? String(name.dropLast(".timer".count)) : name
        return stem + ".service"
    }

    private mutating func take(_ assignment: SystemdUnitFile.Assignment) {
        let value = assignment.value
        switch assignment.key {
        case "OnCalendar":
            guard !value.isEmpty else { return triggers.removeAll() }
            triggers.append(Assigned(trigger: .calendar(value), location: assignment.location))
        case "OnActiveSec", "OnBootSec", "OnStartupSec", "OnUnitActiveSec", "OnUnitInactiveSec":
            guard !value.isEmpty else { return triggers.removeAll() }
            guard let span = SystemdTimeSpan(value), span.microseconds != nil else {
                return problem(assignment, "is not a time span such as '15min' or '1d'")
            }
            let trigger: Trigger =
                switch assignment.key {
                case "OnActiveSec": .active(span)
                case "OnBootSec": .boot(span)
                case "OnStartupSec": .startup(span)
                case "OnUnitActiveSec": .unitActive(span)
                default: .unitInactive(span)
                }
            triggers.append(Assigned(trigger: trigger, location: assignment.location))
        case "Unit":
            unit = value.isEmpty ? nil : value
        case "AccuracySec":
            guard !value.isEmpty else {
                accuracy = Self.defaultAccuracy
                return
            }
            guard let span = SystemdTimeSpan(value), let microseconds = span.microseconds else {
                return problem(assignment, "is not a time span such as '1min'")
            }
            accuracy = microseconds
        case "RandomizedDelaySec":
            guard !value.isEmpty else {
                randomizedDelay = 0
                return
            }
            guard let span = SystemdTimeSpan(value), let microseconds = span.microseconds else {
                return problem(assignment, "is not a time span such as '1h'")
            }
            randomizedDelay = microseconds
        case "Persistent":
            guard !value.isEmpty else {
                persistent = false
                return
            }
            guard let flag = Self.boolean(value) else {
                return problem(assignment, "is not a boolean (yes, no, true, false, on, off, 1, 0)")
            }
            persistent = flag
        default:
            break
        }
    }

    private mutating func problem(_ assignment: SystemdUnitFile.Assignment, _ why: String) {
        problems.append(
            ConfigError(location: assignment.location, message: "\(assignment.key)=\(assignment.value) \(why)"))
    }

    /// systemd's `parse_boolean`.
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "yes", "y", "true", "t", "on": true
        case "0", "no", "n", "false", "f", "off": false
        default: nil
        }
    }
}
