import HeartlineCore

/// The services' journal matches in the shape sd-journal evaluates: an OR of clauses, each an AND of
/// `FIELD=value` terms, so that the journal hands over only entries some service may want.
///
/// A service's ``JournalMatch`` becomes one clause, or four when it names a unit, because `unit`
/// expands as `journalctl -u` does (systemd's `add_matches_for_unit`): `_SYSTEMD_UNIT=u`, or `_PID=1`
/// and `UNIT=u`, or `_UID=0` and `OBJECT_SYSTEMD_UNIT=u`, or the core-dump message ID, `_UID=0` and
/// `COREDUMP_UNIT=u`. The identifier and the other fields are ANDed into each of them. sd-journal
/// ORs terms on the same field within a clause (`man sd_journal_add_match`), so a clause that would
/// need one field to hold two values is dropped: no entry can satisfy it. So is a clause on a field
/// name the journal cannot store (see ``isStorableFieldName(_:)``).
struct JournalFilter: Hashable, Sendable {
    /// One `FIELD=value` equality.
    struct Term: Hashable, Sendable {
        var field: String
        var value: String

        /// The match as `sd_journal_add_match` takes it.
        var match: String { field + "=" + value }
    }

    /// Which entries the filter lets through.
    enum Selection: Hashable, Sendable {
        /// Every entry: some service's match is empty.
        case everything
        /// Entries that satisfy at least one clause; each clause's terms have distinct fields.
        case anyOf([[Term]])
        /// No entry: there are no matches, or none can be satisfied.
        case nothing
    }

    /// `MESSAGE_ID` of systemd-coredump's "process dumped core" entries (`SD_MESSAGE_COREDUMP`).
    static let coredumpMessageID = "fc2e22bc6ee647b6b90729ab34a250b1"

    /// Fields copied from every entry, whatever the matches: what routing and matching read.
    /// `MESSAGE` comes first: ``JournalBatch`` finds it in slot 0.
    static let baseFields = [
        "MESSAGE", "_SYSTEMD_UNIT", "UNIT", "_PID", "_UID", "OBJECT_SYSTEMD_UNIT", "COREDUMP_UNIT",
        "SYSLOG_IDENTIFIER", "MESSAGE_ID", "PRIORITY",
    ]

    /// The matches it was built from, in order.
    let matches: [JournalMatch]
    /// Which entries pass.
    let selection: Selection
    /// The fields to copy from each entry: ``baseFields`` and every other field a match names.
    let copiedFields: [String]
    /// Each match's own satisfiable clauses, indexed like the matches: what routes an entry that
    /// passed to the services whose match it satisfies.
    let clausesPerMatch: [[[Term]]]

    /// Builds the filter for a set of services.
    ///
    /// - Parameter matches: Each service's journal match; an entry passes if it satisfies any.
    init(matches: [JournalMatch]) {
        var clauses: [[Term]] = []
        var seen: Set<[Term]> = []
        var everything = false
        self.matches = matches
        clausesPerMatch = matches.map(Self.clauses(for:))
        for alternatives in clausesPerMatch {
            for clause in alternatives {
                if clause.isEmpty { everything = true }
                if seen.insert(clause).inserted { clauses.append(clause) }
            }
        }
        if everything {
            selection = .everything
        } else if clauses.isEmpty {
            selection = .nothing
        } else {
            selection = .anyOf(clauses)
        }
        var fields = Self.baseFields
        for name in matches.flatMap({ $0.fields.keys }).sorted() where !fields.contains(name) {
            fields.append(name)
        }
        copiedFields = fields
    }

    /// The satisfiable clauses of one service's match, terms sorted by field name.
    private static func clauses(for match: JournalMatch) -> [[Term]] {
        var common = match.fields
        if let identifier = match.identifier {
            if let other = common["SYSLOG_IDENTIFIER"], other != identifier { return [] }
            common["SYSLOG_IDENTIFIER"] = identifier
        }
        let alternatives: [[String: String]]
        if let unit = match.unitName {
            alternatives = [
                ["_SYSTEMD_UNIT": unit],
                ["_PID": "1", "UNIT": unit],
                ["_UID": "0", "OBJECT_SYSTEMD_UNIT": unit],
                ["MESSAGE_ID": coredumpMessageID, "_UID": "0", "COREDUMP_UNIT": unit],
            ]
        } else {
            alternatives = [[:]]
        }
        return alternatives.compactMap { alternative -> [Term]? in
            var terms = common
            for (field, value) in alternative {
                if let other = terms[field], other != value { return nil }
                terms[field] = value
            }
            guard terms.keys.allSatisfy(isStorableFieldName) else { return nil }
            return terms.map { Term(field: $0.key, value: $0.value) }.sorted { $0.field < $1.field }
        }
    }

    /// Whether the journal can hold a field of this name, so that a match on it may ever hold.
    ///
    /// The rule of sd-journal's match check: at least one character, only `A`–`Z`, `0`–`9` and `_`,
    /// and not starting with `__` (those are the export format's addresses, not stored fields).
    static func isStorableFieldName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, !bytes.starts(with: [0x5F, 0x5F]) else { return false }
        return bytes.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}
