extension JournalMatch {
    /// systemd-coredump's message ID (`SD_MESSAGE_COREDUMP`), which journalctl -u requires of core dumps.
    public static let coredumpMessageID = "fc2e22bc6ee647b6b90729ab34a250b1"

    /// The unit name as journalctl completes it: a name without a type suffix means `.service`.
    public var unitName: String? {
        guard let unit else { return nil }
        return unit.contains(".") ? unit : unit + ".service"
    }

    /// Whether a journal entry satisfies every part of this match.
    ///
    /// `unit` follows `journalctl -u`'s rules (systemd's `add_matches_for_unit`): the unit's own
    /// entries (`_SYSTEMD_UNIT`), PID 1's entries about it (`_PID=1` and `UNIT`), entries from
    /// privileged daemons about it (`_UID=0` and `OBJECT_SYSTEMD_UNIT`), and its core dumps
    /// (systemd-coredump's `MESSAGE_ID`, `_UID=0` and `COREDUMP_UNIT`).
    ///
    /// - Parameter field: Returns an entry's field value as text, or nil when the entry lacks it.
    public func matches(_ field: (String) -> String?) -> Bool {
        if let unit = unitName {
            let own = field("_SYSTEMD_UNIT") == unit
            let fromManager = field("_PID") == "1" && field("UNIT") == unit
            let privileged = field("_UID") == "0"
            let coredump = field("MESSAGE_ID") == Self.coredumpMessageID && field("COREDUMP_UNIT") == unit
            let aboutIt = privileged && (field("OBJECT_SYSTEMD_UNIT") == unit || coredump)
            guard own || fromManager || aboutIt else { return false }
        }
        if let identifier, field("SYSLOG_IDENTIFIER") != identifier { return false }
        return fields.allSatisfy { field($0.key) == $0.value }
    }
}
