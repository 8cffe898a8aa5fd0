extension JournalMatch {
    /// The unit types systemd knows (`unit_type_from_string`), as name suffixes.
    static let unitTypeSuffixes = [
        ".service", ".socket", ".target", ".timer", ".mount", ".automount", ".path", ".slice", ".scope",
        ".device", ".swap",
    ]

    /// A unit name as `journalctl -u` completes it (systemd's `unit_name_mangle`): a name without a
    /// unit type suffix gets `.service`, so `backup` and `backup.sh` mean `backup.service` and
    /// `backup.sh.service`.
    ///
    /// - Parameter name: The unit as written.
    /// - Returns: The full unit name.
    public static func unitName(completing name: String) -> String {
        unitTypeSuffixes.contains(where: name.hasSuffix) ? name : name + ".service"
    }

    /// ``unit`` completed as `journalctl -u` does (``unitName(completing:)``), or nil without one.
    public var unitName: String? {
        unit.map(Self.unitName(completing:))
    }
}
