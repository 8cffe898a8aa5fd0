import HeartlineCore
import Testing

/// The journal routing rule (journalctl -u expansion, clause form) and the field-name rule.
struct JournalRoutingTests {
    static func clauses(_ matches: [JournalMatch]) -> [[String]]? {
        guard case .anyOf(let clauses) = JournalRouting(matches: matches).selection else { return nil }
        return clauses
    }

    static let coredump = "MESSAGE_ID=fc2e22bc6ee647b6b90729ab34a250b1"

    @Test func identifierIsOneSyslogIdentifierTerm() {
        #expect(Self.clauses([JournalMatch(identifier: "restic")]) == [["SYSLOG_IDENTIFIER=restic"]])
    }

    @Test func unitExpandsAsJournalctlDashU() {
        #expect(
            Self.clauses([JournalMatch(unit: "backup")]) == [
                ["_SYSTEMD_UNIT=backup.service"],
                ["UNIT=backup.service", "_PID=1"],
                ["OBJECT_SYSTEMD_UNIT=backup.service", "_UID=0"],
                ["COREDUMP_UNIT=backup.service", Self.coredump, "_UID=0"],
            ])
    }

    @Test func identifierAndFieldsAreAndedIntoEveryUnitClause() {
        let match = JournalMatch(unit: "backup.timer", identifier: "restic", fields: ["PRIORITY": "3"])
        #expect(
            Self.clauses([match]) == [
                ["PRIORITY=3", "SYSLOG_IDENTIFIER=restic", "_SYSTEMD_UNIT=backup.timer"],
                ["PRIORITY=3", "SYSLOG_IDENTIFIER=restic", "UNIT=backup.timer", "_PID=1"],
                ["OBJECT_SYSTEMD_UNIT=backup.timer", "PRIORITY=3", "SYSLOG_IDENTIFIER=restic", "_UID=0"],
                ["COREDUMP_UNIT=backup.timer", Self.coredump, "PRIORITY=3", "SYSLOG_IDENTIFIER=restic", "_UID=0"],
            ])
    }

    @Test func servicesAreOredAndRepeatedClausesKeptOnce() {
        let matches = [
            JournalMatch(identifier: "a"), JournalMatch(fields: ["_COMM": "cron", "PRIORITY": "6"]),
            JournalMatch(identifier: "a"),
        ]
        #expect(Self.clauses(matches) == [["SYSLOG_IDENTIFIER=a"], ["PRIORITY=6", "_COMM=cron"]])
    }

    /// sd-journal would OR two values of one field inside a clause; such a clause can never hold.
    @Test func clauseNeedingTwoValuesOfOneFieldIsDropped() {
        #expect(
            Self.clauses([JournalMatch(unit: "web", fields: ["_UID": "33"])]) == [
                ["_SYSTEMD_UNIT=web.service", "_UID=33"],
                ["UNIT=web.service", "_PID=1", "_UID=33"],
            ])
        let clash = JournalMatch(identifier: "a", fields: ["SYSLOG_IDENTIFIER": "b"])
        #expect(JournalRouting(matches: [clash]).selection == .nothing)
        let same = JournalMatch(identifier: "a", fields: ["SYSLOG_IDENTIFIER": "a"])
        #expect(Self.clauses([same]) == [["SYSLOG_IDENTIFIER=a"]])
    }

    @Test(arguments: ["message", "__CURSOR", "__SEQNUM", "", "A-B", "ÄRGER", "2FA", String(repeating: "A", count: 65)])
    func fieldTheJournalCannotStoreMatchesNothing(name: String) {
        #expect(JournalFieldName.kind(of: name) != .field)
        #expect(JournalRouting(matches: [JournalMatch(fields: [name: "x"])]).selection == .nothing)
    }

    @Test(arguments: ["MESSAGE", "_PID", "X", "CODE_LINE", "A2", String(repeating: "A", count: 64)])
    func fieldNamesOfUppercaseDigitsAndUnderscoreAreStorable(name: String) {
        #expect(JournalFieldName.kind(of: name) == .field)
    }

    /// The export format's addresses are readable names, but not fields a match can name.
    @Test(arguments: ["__CURSOR", "__REALTIME_TIMESTAMP", "__SEQNUM"])
    func doubleUnderscoreNamesAreAddresses(name: String) {
        #expect(JournalFieldName.kind(of: name) == .address)
    }

    @Test func unitNamesAreCompletedAsJournalctlDoes() {
        #expect(JournalMatch.unitName(completing: "backup") == "backup.service")
        #expect(JournalMatch.unitName(completing: "backup.timer") == "backup.timer")
        #expect(JournalMatch.unitName(completing: "backup.sh") == "backup.sh.service")
    }

    /// Routing an entry by field name and by slot gives the same answer: one rule.
    @Test func entriesAreRoutedToEveryMatchTheySatisfy() {
        let routing = JournalRouting(matches: [
            JournalMatch(unit: "backup"), JournalMatch(identifier: "restic"), JournalMatch(fields: ["PRIORITY": "3"]),
        ])
        func entry(_ fields: [String: String]) -> JournalEntry {
            JournalEntry(fields: fields.mapValues { Array($0.utf8) })
        }
        let entries = [
            entry(["_SYSTEMD_UNIT": "backup.service", "SYSLOG_IDENTIFIER": "restic", "MESSAGE": "a"]),
            entry(["_PID": "1", "UNIT": "backup.service", "PRIORITY": "3"]),
            entry(["_PID": "2", "UNIT": "backup.service"]),
            entry(["_UID": "0", "OBJECT_SYSTEMD_UNIT": "backup.service", "PRIORITY": "30"]),
        ]
        let batch = JournalEntries(entries, routing: routing)
        let bySlot = batch.indices.map { index in
            var matching: [Int] = []
            batch.satisfied(entry: index, into: &matching)
            return matching
        }
        let byName = entries.map { entry in
            routing.matches.indices.filter { routing.satisfies($0) { entry.fields[$0] } }
        }
        #expect(bySlot == [[0, 1], [0, 2], [], [0]])
        #expect(byName == bySlot)
    }

    @Test func emptyMatchTakesEveryEntryAndNoMatchesTakeNone() {
        #expect(JournalRouting(matches: [JournalMatch(identifier: "a"), JournalMatch()]).selection == .everything)
        #expect(JournalRouting(matches: []).selection == .nothing)
    }

    @Test func copiedFieldsAreTheBaseOnesPlusEveryMatchedField() {
        let routing = JournalRouting(matches: [
            JournalMatch(fields: ["_COMM": "cron", "PRIORITY": "3"]), JournalMatch(fields: ["CODE_FILE": "x.c"]),
        ])
        #expect(routing.fieldNames == JournalRouting.baseFields + ["CODE_FILE", "_COMM"])
    }

    /// A batch read with another routing's slots is routed by field name, to the same services.
    @Test func aBatchReadWithOtherSlotsIsRoutedByName() throws {
        let services = try ["a", "b"].map { name in
            try PatternFileParser.parse(
                "source: { journal: { identifier: \(name) } }\njobs: [{ name: j, success: done }]", path: "\(name).yaml"
            )
        }
        let router = RecordRouter(services: services, files: .byPath)
        let other = JournalRouting(matches: [JournalMatch(fields: ["_COMM": "x"])])
        #expect(other.fieldNames != router.journal.fieldNames)
        let entry = JournalEntry(fields: ["SYSLOG_IDENTIFIER": Array("b".utf8), "_COMM": Array("x".utf8)])
        var targets: [Int] = []
        router.services(forJournal: 0, of: JournalEntries([entry], routing: other), into: &targets)
        #expect(targets == [1])
        targets = []
        router.services(forJournal: 0, of: JournalEntries([entry], routing: router.journal), into: &targets)
        #expect(targets == [1])
    }
}
