import Foundation
import HeartlineCore
import HeartlineInput
import HeartlineSystemd
import Testing

/// The source against journal files written by `systemd-journal-remote` from export text, read with
/// ``JournalSourceOptions/directory``: exact control over every field, including ones only journald
/// or PID 1 can set, and vacuuming without touching the machine's journal.
@Suite(.enabled(if: JournalFiles.canWrite, "needs systemd-journal-remote (Debian package systemd-journal-remote)"))
struct JournalDirectoryTests {
    static let epoch = Instant(nanoseconds: 0)

    /// One entry per batch unless told otherwise, so that every record carries its cursor.
    static func options(_ directory: String, batchSize: Int = 1, reopenInterval: Int = 10_000) -> JournalSourceOptions {
        JournalSourceOptions(
            directory: directory, retryInterval: .milliseconds(100), batchSize: batchSize,
            waitTimeout: .milliseconds(50), reopenInterval: reopenInterval)
    }

    /// An entry of identifier `app` at `second`.
    static func app(_ second: Int64, _ message: String) -> [(String, String)] {
        JournalFiles.entry(second: second, [("SYSLOG_IDENTIFIER", "app"), ("MESSAGE", message)])
    }

    /// `app` entries at odd seconds 1, 3, … and `other` entries at the even seconds between them.
    static func interleaved(count: Int) -> [[(String, String)]] {
        (1...count).map { second in
            let name = second % 2 == 1 ? "app" : "other"
            return JournalFiles.entry(
                second: Int64(second), [("SYSLOG_IDENTIFIER", name), ("MESSAGE", "\(name) \(second)")])
        }
    }

    /// Reads every entry that passes `matches` from a directory, from the oldest on.
    static func readAll(_ directory: String, matches: [JournalMatch]) async throws -> [Record] {
        let collector = EventCollector(
            JournalSource(matches: matches, resumeTime: epoch, options: options(directory)))
        try await collector.waitUntilCaughtUp()
        await collector.stop()
        return collector.records
    }

    @Test func resumeFromSavedCursorReadsExactlyTheEntriesAfterIt() async throws {
        let directory = try makeTemporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try JournalFiles.write(Self.interleaved(count: 12), to: directory + "/system.journal")
        let app = [JournalMatch(identifier: "app")]
        let first = try await Self.readAll(directory, matches: app)
        #expect(first.map { $0.entry.field("MESSAGE") } == ["app 1", "app 3", "app 5", "app 7", "app 9", "app 11"])

        let saved = first[2]
        let collector = EventCollector(
            JournalSource(
                matches: app, resumeCursor: saved.cursor, resumeTime: saved.entry.realtime,
                options: Self.options(directory)))
        try await collector.waitUntilCaughtUp()
        await collector.stop()
        #expect(collector.all.first == .available)
        #expect(!collector.all.contains { if case .gap = $0 { true } else { false } })
        #expect(collector.messages == ["app 7", "app 9", "app 11"])
        #expect(collector.records.map(\.cursor) == first[3...].map(\.cursor))
    }

    /// The daemon saves the cursor of the last entry read under the old configuration; a new one
    /// may not match it any more, and that must not look like a vacuumed cursor.
    @Test func savedCursorOfAnEntryTheMatchesNowSkipResumesRightAfterIt() async throws {
        let directory = try makeTemporaryDirectory("rematch")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try JournalFiles.write(Self.interleaved(count: 8), to: directory + "/system.journal")
        let others = try await Self.readAll(directory, matches: [JournalMatch(identifier: "other")])
        let saved = try #require(others.first { $0.entry.field("MESSAGE") == "other 4" })

        let collector = EventCollector(
            JournalSource(
                matches: [JournalMatch(identifier: "app")], resumeCursor: saved.cursor,
                resumeTime: saved.entry.realtime, options: Self.options(directory)))
        try await collector.waitUntilCaughtUp()
        await collector.stop()
        #expect(collector.all.first == .available)
        #expect(collector.messages == ["app 5", "app 7"])
    }

    @Test(arguments: [true, false])
    func vacuumedCursorResumesAfterTheSavedTimeAndReportsTheGap(passTime: Bool) async throws {
        let directory = try makeTemporaryDirectory("vacuum")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let old = directory + "/system@old.journal"
        try JournalFiles.write(
            (1...5).map { Self.app(Int64($0), "old \($0)") },
            to: old)
        let saved = try #require(
            try await Self.readAll(directory, matches: [JournalMatch(identifier: "app")])
                .first { $0.entry.field("MESSAGE") == "old 3" })

        // Vacuumed: the file holding the saved entry is gone; a newer file overlaps its time.
        try FileManager.default.removeItem(atPath: old)
        try JournalFiles.write(
            [2, 4, 6].map { Self.app($0, "new \($0)") },
            to: directory + "/system.journal")
        let collector = EventCollector(
            JournalSource(
                matches: [JournalMatch(identifier: "app")], resumeCursor: saved.cursor,
                resumeTime: passTime ? saved.entry.realtime : nil, options: Self.options(directory)))
        try await collector.waitUntilCaughtUp()
        await collector.stop()

        try #require(collector.all.count >= 2)
        #expect(collector.all[0] == .available)
        guard case .gap(let cursor, let resumedAfter, let message) = collector.all[1] else {
            Issue.record("expected a gap, got \(collector.all[1])")
            return
        }
        #expect(cursor == saved.cursor)
        #expect(resumedAfter == JournalFiles.instant(second: 3))
        #expect(message.contains("no longer exists"))
        #expect(collector.messages == ["new 4", "new 6"])
    }

    /// Every kind of entry `journalctl -u` shows for a unit, and near misses it does not; checked
    /// against journalctl itself on the same files.
    @Test func unitMatchTakesWhatJournalctlDashUShows() async throws {
        let directory = try makeTemporaryDirectory("unit")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let unit = "backup.service"
        let coredump = ("MESSAGE_ID", "fc2e22bc6ee647b6b90729ab34a250b1")
        let entries: [[(String, String)]] = [
            [("_SYSTEMD_UNIT", unit), ("_PID", "812"), ("_UID", "0"), ("MESSAGE", "own line")],
            [("_PID", "1"), ("_UID", "0"), ("UNIT", unit), ("MESSAGE", "Started backup.service.")],
            [("_PID", "77"), ("_UID", "0"), ("OBJECT_SYSTEMD_UNIT", unit), ("MESSAGE", "about it from root")],
            [coredump, ("_UID", "0"), ("COREDUMP_UNIT", unit), ("MESSAGE", "core dumped")],
            [("_PID", "2"), ("_UID", "0"), ("UNIT", unit), ("MESSAGE", "UNIT= not from PID 1")],
            [("_PID", "78"), ("_UID", "1000"), ("OBJECT_SYSTEMD_UNIT", unit), ("MESSAGE", "about it from a user")],
            [("_UID", "0"), ("COREDUMP_UNIT", unit), ("MESSAGE", "COREDUMP_UNIT= without the message ID")],
            [coredump, ("_UID", "1000"), ("COREDUMP_UNIT", unit), ("MESSAGE", "core dump from a user")],
            [("_SYSTEMD_UNIT", "other.service"), ("_PID", "9"), ("MESSAGE", "other unit")],
            [("_SYSTEMD_UNIT", unit), ("_PID", "812"), ("_HOSTNAME", "box"), ("MESSAGE", "own line again")],
        ].enumerated().map { JournalFiles.entry(second: Int64($0.offset), $0.element) }
        try JournalFiles.write(entries, to: directory + "/system.journal")

        let match = JournalMatch(unit: "backup")
        let records = try await Self.readAll(directory, matches: [match])
        let expected = ["own line", "Started backup.service.", "about it from root", "core dumped", "own line again"]
        #expect(records.map { $0.entry.field("MESSAGE") } == expected)
        let journalctl = try run("/usr/bin/journalctl", ["-q", "--no-pager", "-D", directory, "-u", unit, "-o", "cat"])
        #expect(journalctl.split(separator: "\n").map(String.init) == expected)

        let routing = JournalRouting(matches: [match])
        #expect(records.allSatisfy { record in routing.satisfies(0) { record.entry.fields[$0] } })
        #expect(records[1].entry.field("UNIT") == unit)
        #expect(records[1].entry.field("_PID") == "1")
        #expect(records[4].entry.field("_HOSTNAME") == nil)
        #expect(records[4].entry.realtime == JournalFiles.instant(second: 9))
        #expect(records[4].entry.field("__REALTIME_TIMESTAMP") == "1732881609000000")

        // Routing within a batch read for several services gives each the entries its match takes.
        let everything = EventCollector(
            JournalSource(
                matches: [JournalMatch(), match], resumeTime: Self.epoch,
                options: Self.options(directory, batchSize: 16)))
        await everything.waitForRecords(entries.count)
        await everything.stop()
        let batch = try #require(everything.batches.first)
        #expect(batch.count == entries.count)
        func matching(_ entry: Int) -> [Int] {
            var matching: [Int] = []
            batch.satisfied(entry: entry, into: &matching)
            return matching
        }
        #expect(batch.indices.allSatisfy { matching($0).first == 0 })
        let routed = batch.indices.filter { matching($0).contains(1) }
        #expect(routed.map { batch.entry(at: $0).field("MESSAGE") } == expected)
    }

    @Test func servicesAreOredAndFieldsWithinOneAreAnded() async throws {
        let directory = try makeTemporaryDirectory("or")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let entries: [[(String, String)]] = [
            [("SYSLOG_IDENTIFIER", "a"), ("PRIORITY", "3"), ("MESSAGE", "a error")],
            [("SYSLOG_IDENTIFIER", "a"), ("PRIORITY", "6"), ("MESSAGE", "a info")],
            [("SYSLOG_IDENTIFIER", "b"), ("PRIORITY", "6"), ("MESSAGE", "b info")],
            [("SYSLOG_IDENTIFIER", "c"), ("QUEUE", "mail"), ("MESSAGE", "c mail")],
            [("SYSLOG_IDENTIFIER", "c"), ("QUEUE", "sms"), ("MESSAGE", "c sms")],
        ].enumerated().map { JournalFiles.entry(second: Int64($0.offset), $0.element) }
        try JournalFiles.write(entries, to: directory + "/system.journal")
        let matches = [
            JournalMatch(identifier: "a", fields: ["PRIORITY": "3"]), JournalMatch(identifier: "b"),
            JournalMatch(fields: ["QUEUE": "mail"]),
        ]
        let records = try await Self.readAll(directory, matches: matches)
        #expect(records.map { $0.entry.field("MESSAGE") } == ["a error", "b info", "c mail"])
        #expect(records[2].entry.field("QUEUE") == "mail")
    }

    @Test func recordsComeInBatchesOfAtMostBatchSizeInJournalOrder() async throws {
        let directory = try makeTemporaryDirectory("batch")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try JournalFiles.write(
            (1...25).map { Self.app(Int64($0), "\($0)") },
            to: directory + "/system.journal")
        let collector = EventCollector(
            JournalSource(
                matches: [JournalMatch(identifier: "app")], resumeTime: Self.epoch,
                options: Self.options(directory, batchSize: 4)))
        await collector.waitForRecords(25)
        await collector.stop()
        #expect(collector.batches.allSatisfy { $0.count > 0 && $0.count <= 4 })
        #expect(collector.messages == (1...25).map(String.init))
    }

    /// A batch carries one cursor, its last entry's, also when the journal ended before the batch
    /// was full: saving it after handling the batch resumes right after that entry.
    @Test func aBatchsCursorIsItsLastEntrysCursor() async throws {
        let directory = try makeTemporaryDirectory("batchcursor")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try JournalFiles.write(Self.interleaved(count: 21), to: directory + "/system.journal")
        let app = [JournalMatch(identifier: "app")]
        let single = try await Self.readAll(directory, matches: app)
        let collector = EventCollector(
            JournalSource(matches: app, resumeTime: Self.epoch, options: Self.options(directory, batchSize: 4)))
        try await collector.waitUntilCaughtUp()
        await collector.stop()
        let batches = collector.batches
        #expect(batches.map(\.count) == [4, 4, 3])
        let lastOfEach = [3, 7, 10].map { single[$0].cursor }
        #expect(batches.map(\.cursor) == lastOfEach)
    }

    /// Reopening the journal every few entries (to release its mapped windows) neither loses nor
    /// repeats an entry, and is no outage: `available` comes once.
    @Test func reopeningTheJournalLosesAndRepeatsNothing() async throws {
        let directory = try makeTemporaryDirectory("reopen")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try JournalFiles.write(Self.interleaved(count: 40), to: directory + "/system.journal")
        let collector = EventCollector(
            JournalSource(
                matches: [JournalMatch(identifier: "app")], resumeTime: Self.epoch,
                options: Self.options(directory, batchSize: 2, reopenInterval: 3)))
        try await collector.waitUntilCaughtUp()
        await collector.stop()
        #expect(collector.messages == stride(from: 1, through: 39, by: 2).map { "app \($0)" })
        #expect(collector.all.filter { $0 == .available }.count == 1)
        #expect(!collector.all.contains { if case .gap = $0 { true } else { false } })
    }

    @Test func followsNewFilesAndSurvivesDeletedOnes() async throws {
        let directory = try makeTemporaryDirectory("follow")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func write(_ seconds: [Int64], _ name: String) throws {
            try JournalFiles.write(
                seconds.map { Self.app($0, "\($0)") },
                to: directory + "/" + name)
        }
        try write([1, 2, 3], "system@1.journal")
        let collector = EventCollector(
            JournalSource(
                matches: [JournalMatch(identifier: "app")], resumeTime: Self.epoch, options: Self.options(directory)))
        #expect(await collector.waitForRecords(3))
        try write([4, 5], "system@2.journal")
        #expect(await collector.waitForRecords(5))
        try FileManager.default.removeItem(atPath: directory + "/system@1.journal")
        try write([6], "system.journal")
        #expect(await collector.waitForRecords(6))
        try await collector.waitUntilCaughtUp()
        await collector.stop()
        #expect(collector.messages == ["1", "2", "3", "4", "5", "6"])
        #expect(collector.all.filter { $0 == .available }.count == 1)
    }

    @Test func missingDirectoryIsReportedOnceWithoutCrashingAndReadWhenItAppears() async throws {
        let directory = try makeTemporaryDirectory("late")
        try FileManager.default.removeItem(atPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let collector = EventCollector(
            JournalSource(
                matches: [JournalMatch(identifier: "app")], resumeTime: Self.epoch, options: Self.options(directory)))
        #expect(await collector.wait { !$0.isEmpty })
        // Two more failed attempts to open it, each of which could have reported the outage again.
        try await collector.waitForRetries(2)
        let outage = collector.all
        try #require(outage.count == 1)
        guard case .unavailable(let message) = outage[0] else {
            Issue.record("expected unavailable, got \(outage[0])")
            return
        }
        #expect(message.contains(directory))

        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await collector.waitForRetries(2)
        #expect(collector.all.count == 1, "an empty directory is still unavailable and not reported again")
        try JournalFiles.write(
            [Self.app(1, "finally")],
            to: directory + "/system.journal")
        #expect(await collector.waitForRecords(1))
        await collector.stop()
        #expect(Array(collector.all.dropFirst().prefix(1)) == [.available])
        #expect(collector.messages == ["finally"])
    }

    /// The thread closes its journal handle (and the file descriptors of its files) soon after the
    /// consumer goes away, whether by cancellation or by dropping the stream.
    @Test(arguments: [true, false])
    func consumerGoingAwayClosesTheJournal(cancel: Bool) async throws {
        let directory = try makeTemporaryDirectory("close")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try JournalFiles.write(
            [Self.app(1, "x")],
            to: directory + "/system.journal")
        let source = JournalSource(
            matches: [JournalMatch(identifier: "app")], resumeTime: Self.epoch, options: Self.options(directory))
        if cancel {
            let collector = EventCollector(source)
            #expect(await collector.waitForRecords(1))
            #expect(Self.openFiles(under: directory) > 0)
            await collector.stop()
        } else {
            do {
                var iterator = source.events().makeAsyncIterator()
                #expect(await iterator.next() == .available)
                #expect(Self.openFiles(under: directory) > 0)
            }
        }
        try await waitUntil("the reader to close the journal's files") { Self.openFiles(under: directory) == 0 }
    }

    @Test func secondCallToEventsEndsAtOnceAndNoMatchesReadNothing() async throws {
        let directory = try makeTemporaryDirectory("once")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try JournalFiles.write(
            [Self.app(1, "x")],
            to: directory + "/system.journal")
        let source = JournalSource(
            matches: [JournalMatch(identifier: "app")], resumeTime: Self.epoch, options: Self.options(directory))
        let first = EventCollector(source)
        var second = source.events().makeAsyncIterator()
        #expect(await second.next() == nil)
        #expect(await first.waitForRecords(1))
        await first.stop()

        let nothing = EventCollector(
            JournalSource(matches: [], resumeTime: Self.epoch, options: Self.options(directory)))
        // No match can hold, so no reader thread starts: once the consumer waits on the empty
        // channel, nothing can ever arrive or open a file.
        try await waitUntil("the consumer to wait") { nothing.source.consumerIsWaiting }
        #expect(nothing.source.caughtUpCount == 0 && nothing.source.retryCount == 0)
        #expect(nothing.all.isEmpty)
        // The first source's reader closes its files once it notices its consumer left; the second
        // never opens one.
        try await waitUntil("the first reader to close the journal") { Self.openFiles(under: directory) == 0 }
        await nothing.stop()
    }

    /// How many of this process's file descriptors point into `directory`.
    static func openFiles(under directory: String) -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.filter { descriptor in
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + descriptor)
            return target?.hasPrefix(directory + "/") ?? false
        }.count
    }
}
