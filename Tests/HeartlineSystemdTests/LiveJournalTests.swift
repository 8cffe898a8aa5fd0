import Foundation
import Glibc
import HeartlineCore
import HeartlineSystemd
import Testing

/// The source against the machine's running systemd-journald (started by `scripts/start-journald`
/// when none runs). Every test logs under identifiers of its own, so they run beside each other and
/// beside whatever else logs.
struct LiveJournalTests {
    /// One entry per batch, so that every record carries its cursor.
    static let options = JournalSourceOptions(
        retryInterval: .milliseconds(200), batchSize: 1, waitTimeout: .milliseconds(50))

    @Test func identifierMatchReadsOnlyNewEntriesOfThatIdentifier() async throws {
        try LiveJournal.require()
        let mine = LiveJournal.uniqueIdentifier("mine")
        let other = LiveJournal.uniqueIdentifier("other")
        try LiveJournal.log(["logged before the source started"], identifier: mine)
        try await LiveJournal.waitUntilWritten(1, identifier: mine)

        let source = JournalSource(matches: [JournalMatch(identifier: mine)], options: Self.options)
        #expect(source.readSeconds == 0)
        let collector = EventCollector(source)
        #expect(await collector.waitUntilAvailable())
        try LiveJournal.log(["not for us 1", "not for us 2"], identifier: other)
        try LiveJournal.log(["snapshot 1 saved", "snapshot 2 saved", "snapshot 3 saved"], identifier: mine)
        #expect(await collector.waitForRecords(3))
        // The other identifier's entries are in the journal before the marker, so the reader has
        // passed them once the marker arrives.
        try await LiveJournal.waitUntilWritten(2, identifier: other)
        try await Self.logMarker(identifier: mine, collector: collector)
        await collector.stop()

        #expect(collector.messages == ["snapshot 1 saved", "snapshot 2 saved", "snapshot 3 saved", Self.marker])
        #expect(collector.records.allSatisfy { $0.entry.field("SYSLOG_IDENTIFIER") == mine })
        #expect(collector.records.allSatisfy { $0.entry.field("PRIORITY") == "6" && $0.entry.realtime != nil })
        #expect(Set(collector.records.map(\.cursor)).count == 4)
        // The reader counted its reading time (for the daemon's cost per stage), and not its waits.
        #expect(source.readSeconds > 0 && source.readSeconds < 0.6)
    }

    @Test func resumeFromSavedCursorReadsExactlyTheEntriesAfterIt() async throws {
        try LiveJournal.require()
        let identifier = LiveJournal.uniqueIdentifier("resume")
        let match = [JournalMatch(identifier: identifier)]
        let first = EventCollector(JournalSource(matches: match, options: Self.options))
        #expect(await first.waitUntilAvailable())
        try LiveJournal.log((1...5).map { "line \($0)" }, identifier: identifier)
        #expect(await first.waitForRecords(5))
        await first.stop()
        let saved = try #require(first.records.dropFirst(2).first)
        #expect(saved.entry.field("MESSAGE") == "line 3")

        // Logged while "the daemon" is down.
        try LiveJournal.log(["line 6", "line 7"], identifier: identifier)
        try await LiveJournal.waitUntilWritten(7, identifier: identifier)

        let second = EventCollector(
            JournalSource(
                matches: match, resumeCursor: saved.cursor, resumeTime: saved.entry.realtime, options: Self.options))
        #expect(await second.waitForRecords(4))
        try LiveJournal.log(["line 8"], identifier: identifier)
        #expect(await second.waitForRecords(5))
        try await Self.logMarker(identifier: identifier, collector: second)
        await second.stop()
        #expect(second.all.first == .available)
        #expect(second.messages == ["line 4", "line 5", "line 6", "line 7", "line 8", Self.marker])
        #expect(second.records.prefix(2).map(\.cursor) == first.records.suffix(2).map(\.cursor))
    }

    /// `journalctl --rotate` archives the active file and starts a new one (SD_JOURNAL_INVALIDATE);
    /// the source reads on from the new file without losing or repeating an entry.
    @Test func followsAcrossRotation() async throws {
        try LiveJournal.require()
        let identifier = LiveJournal.uniqueIdentifier("rotate")
        let collector = EventCollector(
            JournalSource(matches: [JournalMatch(identifier: identifier)], options: Self.options))
        #expect(await collector.waitUntilAvailable())
        try LiveJournal.log(["before rotation"], identifier: identifier)
        #expect(await collector.waitForRecords(1))
        try run("/usr/bin/journalctl", ["--rotate"])
        try LiveJournal.log(["after rotation"], identifier: identifier)
        #expect(await collector.waitForRecords(2))
        try await Self.logMarker(identifier: identifier, collector: collector)
        await collector.stop()
        #expect(collector.messages == ["before rotation", "after rotation", Self.marker])
    }

    /// Real entries of the kinds `journalctl -u` shows: the unit's own output (`_SYSTEMD_UNIT`, from
    /// its cgroup), a root process's entry about it (`OBJECT_PID` → `OBJECT_SYSTEMD_UNIT`) and a
    /// core-dump report; and near misses that must not arrive. Entries from PID 1 cannot be made
    /// without systemd as PID 1; `JournalDirectoryTests` covers them.
    @Test func unitMatchReadsTheUnitsOwnEntriesAndRootsEntriesAboutIt() async throws {
        try LiveJournal.require()
        let cgroupRoot = ["/sys/fs/cgroup/unified", "/sys/fs/cgroup"].first {
            FileManager.default.fileExists(atPath: $0 + "/cgroup.procs")
        }
        guard let cgroupRoot else { try Test.cancel("no cgroup v2 hierarchy to put a fake unit in") }
        let unit = LiveJournal.uniqueIdentifier("unit") + ".service"
        let cgroup = cgroupRoot + "/" + unit
        do {
            try FileManager.default.createDirectory(atPath: cgroup, withIntermediateDirectories: false)
        } catch {
            try Test.cancel("cannot create cgroup \(cgroup): \(error)")
        }
        defer { Self.remove(cgroup: cgroup) }

        let identifier = LiveJournal.uniqueIdentifier("about")
        let collector = EventCollector(JournalSource(matches: [JournalMatch(unit: unit)], options: Self.options))
        #expect(await collector.waitUntilAvailable())
        try LiveJournal.logFields([
            ("SYSLOG_IDENTIFIER", identifier), ("UNIT", unit), ("MESSAGE", "UNIT= not from PID 1"),
        ])
        try LiveJournal.logFields([
            ("SYSLOG_IDENTIFIER", identifier), ("COREDUMP_UNIT", unit), ("MESSAGE", "no message ID"),
        ])
        // Written before anything the unit's match takes, so read past by the time those arrive.
        try await LiveJournal.waitUntilWritten(2, identifier: identifier)

        // A shell in the unit's cgroup: its systemd-cat output is the unit's own; it stays alive
        // (until remove(cgroup:) kills it) as the object of an entry about the unit.
        let script = """
            echo $$ > "$1/cgroup.procs"
            (echo "own line"; sleep 60) | systemd-cat -t "$2"
            """
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", script, "bash", cgroup, identifier]
        try shell.run()
        #expect(await collector.waitForRecords(1))
        try LiveJournal.logFields([
            ("SYSLOG_IDENTIFIER", identifier), ("OBJECT_PID", String(shell.processIdentifier)),
            ("MESSAGE", "about it"),
        ])
        try LiveJournal.logFields([
            ("SYSLOG_IDENTIFIER", identifier), ("MESSAGE_ID", "fc2e22bc6ee647b6b90729ab34a250b1"),
            ("COREDUMP_UNIT", unit), ("MESSAGE", "core dumped"),
        ])
        #expect(await collector.waitForRecords(3))
        // A last core-dump report: once it arrives, every entry before it was read.
        try LiveJournal.logFields([
            ("SYSLOG_IDENTIFIER", identifier), ("MESSAGE_ID", "fc2e22bc6ee647b6b90729ab34a250b1"),
            ("COREDUMP_UNIT", unit), ("MESSAGE", Self.marker),
        ])
        try await waitUntil("the marker entry") { collector.messages.last == Self.marker }
        await collector.stop()
        Self.remove(cgroup: cgroup)
        shell.waitUntilExit()

        #expect(collector.messages == ["own line", "about it", "core dumped", Self.marker])
        let match = JournalMatch(unit: unit)
        let routing = JournalRouting(matches: [match])
        #expect(collector.records.allSatisfy { record in routing.satisfies(0) { record.entry.fields[$0] } })
        #expect(collector.records.first?.entry.field("_SYSTEMD_UNIT") == unit)
        #expect(collector.records.dropFirst().first?.entry.field("OBJECT_SYSTEMD_UNIT") == unit)
    }

    @Test func systemJournalOpensWhenJournaldRuns() async throws {
        try LiveJournal.require()
        let match = JournalMatch(identifier: LiveJournal.uniqueIdentifier("open"))
        let collector = EventCollector(JournalSource(matches: [match], options: Self.options))
        #expect(await collector.waitUntilAvailable())
        await collector.stop()
        #expect(collector.all == [.available])
    }

    /// The message of the last entry a test logs.
    static let marker = "marker: the last entry"

    /// Logs ``marker`` under `identifier` and waits until it arrives: the positive signal that
    /// everything logged before it (and written to the journal before it) has been read, so that a
    /// test can check that nothing more, such as a repeated entry, came.
    ///
    /// - Throws: ``TimedOut`` after 30 s.
    static func logMarker(identifier: String, collector: EventCollector) async throws {
        try LiveJournal.log([marker], identifier: identifier)
        try await waitUntil("the marker entry") { collector.messages.last == marker }
    }

    /// Kills what still runs in a cgroup (the shell, or its pipeline when killed early), then
    /// removes it. SIGKILL, since children may inherit a blocked SIGTERM from the test runner.
    static func remove(cgroup: String) {
        for _ in 0..<150 {
            let members = (try? String(contentsOfFile: cgroup + "/cgroup.procs", encoding: .utf8)) ?? ""
            let pids = members.split(separator: "\n").compactMap { Int32($0) }
            if pids.isEmpty { break }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(20_000)
        }
        rmdir(cgroup)
    }
}
