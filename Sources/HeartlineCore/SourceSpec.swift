/// Where a service's lines come from (SPEC §1, `source:`). Both parts are optional.
public struct SourceSpec: Sendable, Hashable {
    /// Journal entries whose fields all equal these values, or nil for none.
    public var journal: JournalMatch?
    /// Shell globs of plain files, in file order.
    public var files: [String]
    /// How lines are decoded into fields for field patterns (`format:`, default `auto`): a file's
    /// lines and a journal entry's `MESSAGE` alike. Lines are decoded only for jobs with field patterns.
    public var format: LineFormat

    /// Creates a source.
    public init(journal: JournalMatch? = nil, files: [String] = [], format: LineFormat = .auto) {
        self.journal = journal
        self.files = files
        self.format = format
    }
}

/// A conjunction of journal field matches (`source.journal`).
public struct JournalMatch: Sendable, Hashable {
    /// A systemd unit, as `journalctl -u` takes it: the unit's own entries (`_SYSTEMD_UNIT`) and
    /// systemd's entries about it (`UNIT` from PID 1). A name without a suffix gets `.service`.
    public var unit: String?
    /// `SYSLOG_IDENTIFIER`.
    public var identifier: String?
    /// Any other journal field, name to exact value.
    public var fields: [String: String]

    /// Creates a journal match.
    public init(unit: String? = nil, identifier: String? = nil, fields: [String: String] = [:]) {
        self.unit = unit
        self.identifier = identifier
        self.fields = fields
    }
}
