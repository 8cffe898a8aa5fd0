import HeartlineCore
import Testing

@testable import HeartlineSystemd

struct JournalFilterTests {
    typealias Term = JournalFilter.Term

    static func clauses(_ matches: [JournalMatch]) -> [[String]]? {
        guard case .anyOf(let clauses) = JournalFilter(matches: matches).selection else { return nil }
        return clauses.map { $0.map(\.match) }
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
        #expect(JournalFilter(matches: [clash]).selection == .nothing)
        let same = JournalMatch(identifier: "a", fields: ["SYSLOG_IDENTIFIER": "a"])
        #expect(Self.clauses([same]) == [["SYSLOG_IDENTIFIER=a"]])
    }

    @Test(arguments: ["message", "__CURSOR", "", "A-B", "ÄRGER"])
    func fieldTheJournalCannotStoreMatchesNothing(name: String) {
        #expect(!JournalFilter.isStorableFieldName(name))
        #expect(JournalFilter(matches: [JournalMatch(fields: [name: "x"])]).selection == .nothing)
    }

    @Test(arguments: ["MESSAGE", "_PID", "X", "2FA", "CODE_LINE"])
    func fieldNamesOfUppercaseDigitsAndUnderscoreAreStorable(name: String) {
        #expect(JournalFilter.isStorableFieldName(name))
    }

    @Test func emptyMatchTakesEveryEntryAndNoMatchesTakeNone() {
        #expect(JournalFilter(matches: [JournalMatch(identifier: "a"), JournalMatch()]).selection == .everything)
        #expect(JournalFilter(matches: []).selection == .nothing)
    }

    @Test func copiedFieldsAreTheBaseOnesPlusEveryMatchedField() {
        let filter = JournalFilter(matches: [
            JournalMatch(fields: ["_COMM": "cron", "PRIORITY": "3"]), JournalMatch(fields: ["CODE_FILE": "x.c"]),
        ])
        #expect(filter.copiedFields == JournalFilter.baseFields + ["CODE_FILE", "_COMM"])
    }

    @Test func cursorRealtimeIsItsHexadecimalTPart() {
        let cursor =
            "s=f6886c7d9ebd4a15be5654201c0cef52;i=15c;b=86b09459b6e24918b7201b8a1bc779a2;"
            + "m=7cb4ae85;t=6616fdc150880;x=694e25d299b7c886"
        #expect(JournalCursor.realtime(of: cursor) == Instant(nanoseconds: 1_795_982_921_894_016_000))
        #expect(JournalCursor.realtime(of: "s=1;i=2") == nil)
        #expect(JournalCursor.realtime(of: "t=zz") == nil)
    }
}
