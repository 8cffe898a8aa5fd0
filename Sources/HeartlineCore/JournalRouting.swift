/// The journal routing rule, written once: which services' `source.journal` an entry satisfies,
/// in the clause form that sd-journal evaluates.
///
/// Each service's ``JournalMatch`` becomes an OR of clauses, each an AND of `FIELD=value` terms.
/// `unit` expands as `journalctl -u` does (systemd's `add_matches_for_unit`) into four clauses: the
/// unit's own entries (`_SYSTEMD_UNIT=u`), PID 1's entries about it (`_PID=1`, `UNIT=u`), entries
/// from privileged daemons about it (`_UID=0`, `OBJECT_SYSTEMD_UNIT=u`), and its core dumps
/// (systemd-coredump's `MESSAGE_ID`, `_UID=0`, `COREDUMP_UNIT=u`). `identifier` (`SYSLOG_IDENTIFIER`)
/// and the other `fields` are ANDed into each clause. A clause that needs one field to hold two
/// values, or names a field no entry can store (``JournalFieldName``), can never hold and is dropped.
///
/// The same clauses route every entry, whichever driver reads it: the daemon hands the union of them
/// to `sd_journal_add_match` (``selection``) and routes the entries it gets back by slot; replay
/// evaluates them on export-format entries. Field values are compared as bytes, as sd-journal does.
public struct JournalRouting: Sendable, Hashable {
    /// One `FIELD=value` equality; the field is given by its slot in ``fieldNames``.
    public struct Term: Sendable, Hashable {
        /// The field's index in ``JournalRouting/fieldNames``.
        public var slot: Int
        /// The value the field must hold exactly, as bytes.
        public var value: [UInt8]
    }

    /// Which entries the union of all clauses lets through, for `sd_journal_add_match`.
    public enum Selection: Sendable, Hashable {
        /// Every entry: some match has no term at all.
        case everything
        /// Entries that satisfy at least one clause, each a list of distinct `FIELD=value` strings.
        case anyOf([[String]])
        /// No entry: there are no matches, or none can be satisfied.
        case nothing
    }

    /// `MESSAGE_ID` of systemd-coredump's "process dumped core" entries (`SD_MESSAGE_COREDUMP`).
    public static let coredumpMessageID = "fc2e22bc6ee647b6b90729ab34a250b1"

    /// Fields every entry is read with, whatever the matches: what the unit expansion names,
    /// `MESSAGE` first, in slot ``messageSlot``, and `_SYSTEMD_INVOCATION_ID`, the activation of the
    /// unit whose process wrote the entry (set by journald), by which a unit's own output joins the
    /// context of the run PID 1 keyed by `INVOCATION_ID` (README, "Alert context of a run").
    public static let baseFields = [
        "MESSAGE", "_SYSTEMD_UNIT", "UNIT", "_PID", "_UID", "OBJECT_SYSTEMD_UNIT", "COREDUMP_UNIT",
        "SYSLOG_IDENTIFIER", "MESSAGE_ID", "PRIORITY", "_SYSTEMD_INVOCATION_ID",
    ]

    /// The slot of `MESSAGE` in ``fieldNames``.
    public static let messageSlot = 0

    /// The matches, in the order ``satisfied(by:into:)`` reports them.
    public let matches: [JournalMatch]
    /// The fields a reader copies from each entry: ``baseFields``, then every other field a match
    /// names, sorted. A term's slot indexes this list.
    public let fieldNames: [String]
    /// Per match, its satisfiable clauses; an entry satisfies the match if it satisfies any clause.
    public let clauses: [[[Term]]]
    /// The union of every match's clauses, without repeats, for the journal reader.
    public let selection: Selection

    /// Builds the clauses of `matches`.
    ///
    /// - Parameters:
    ///   - matches: One journal match per service that reads the journal.
    ///   - alsoReading: Further fields the readers must copy for the services' field patterns
    ///     (``ServiceSpec/journalFieldNames``); they take slots after the matches' own fields.
    public init(matches: [JournalMatch], alsoReading: [String] = []) {
        self.matches = matches
        var names = Self.baseFields
        for name in Set(matches.flatMap { $0.fields.keys } + alsoReading).sorted() where !names.contains(name) {
            names.append(name)
        }
        fieldNames = names
        let slots = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let named = matches.map(Self.clauses(for:))
        clauses = named.map { alternatives in
            alternatives.map { clause in clause.map { Term(slot: slots[$0.field]!, value: Array($0.value.utf8)) } }
        }
        var union: [[String]] = []
        var seen: Set<[String]> = []
        var everything = false
        for clause in named.joined() {
            if clause.isEmpty { everything = true }
            let terms = clause.map { $0.field + "=" + $0.value }
            if seen.insert(terms).inserted { union.append(terms) }
        }
        selection = everything ? .everything : union.isEmpty ? .nothing : .anyOf(union)
    }

    /// Appends to `matching` the index of every match the entry satisfies, in order.
    ///
    /// - Parameters:
    ///   - holds: Whether the entry's field in `term.slot` holds exactly `term.value`.
    ///   - matching: Receives indices into ``matches``.
    public func satisfied(by holds: (Term) -> Bool, into matching: inout [Int]) {
        for (index, alternatives) in clauses.enumerated() where alternatives.contains(where: { $0.allSatisfy(holds) }) {
            matching.append(index)
        }
    }

    /// Whether an entry whose fields are given by name satisfies match `index`.
    ///
    /// - Parameters:
    ///   - index: An index into ``matches``.
    ///   - field: The entry's value of a field, as bytes, or nil when it lacks the field.
    public func satisfies(_ index: Int, field: (String) -> [UInt8]?) -> Bool {
        clauses[index].contains { clause in clause.allSatisfy { field(fieldNames[$0.slot]) == $0.value } }
    }

    /// One match's clauses by field name, terms sorted by field.
    private static func clauses(for match: JournalMatch) -> [[(field: String, value: String)]] {
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
        return alternatives.compactMap { alternative in
            var terms = common
            for (field, value) in alternative {
                if let other = terms[field], other != value { return nil }
                terms[field] = value
            }
            guard terms.keys.allSatisfy({ JournalFieldName.kind(of: $0) == .field }) else { return nil }
            return terms.map { (field: $0.key, value: $0.value) }.sorted { $0.field < $1.field }
        }
    }
}
