import Foundation
import HeartlineCore
import HeartlineInput
import HeartlineSystemd
import Synchronization
import Testing

/// One entry a source delivered.
struct Record: Sendable {
    /// The entry's copied fields and time.
    var entry: JournalEntry
    /// The entry's cursor when it was the last of its batch (so for every entry with `batchSize: 1`).
    var cursor: String?
}

/// A wait that did not end in time: the test fails, saying what it waited for, instead of hanging.
struct TimedOut: Error, CustomStringConvertible {
    let what: String
    let timeout: Duration
    var description: String { "timed out after \(timeout) waiting for \(what)" }
}

/// Polls `condition` every few milliseconds until it holds.
///
/// - Parameters:
///   - what: What is awaited, for the failure message.
///   - timeout: How long to wait; 30 s by default, far more than a loaded 2-core machine needs.
///   - interval: The pause between two checks.
/// - Throws: ``TimedOut`` when the condition still fails after `timeout`, or what `condition` throws.
func waitUntil(
    _ what: String, timeout: Duration = .seconds(30), interval: Duration = .milliseconds(5),
    _ condition: () throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what, timeout: timeout) }
        try await Task.sleep(for: interval)
    }
}

/// Consumes a source's events on a task of its own, so tests can wait for a condition with a timeout.
final class EventCollector: Sendable {
    private final class Events: Sendable {
        let list = Mutex<[JournalEvent]>([])
    }

    private let events = Events()
    private let task: Task<Void, Never>
    /// The source whose events these are, for its counters.
    let source: JournalSource

    init(_ source: JournalSource) {
        self.source = source
        let stream = source.events()
        task = Task { [events] in
            for await event in stream {
                events.list.withLock { $0.append(event) }
            }
        }
    }

    /// Every event so far.
    var all: [JournalEvent] { events.list.withLock { $0 } }

    /// Every record so far, in order.
    var records: [Record] { Self.records(in: all) }

    /// The messages of every record so far, in order.
    var messages: [String] { records.map { $0.entry.field("MESSAGE") ?? "" } }

    /// Polls until `condition` holds for the events so far or `timeout` passes.
    ///
    /// - Returns: Whether the condition held.
    @discardableResult
    func wait(timeout: Duration = .seconds(30), until condition: ([JournalEvent]) -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        while clock.now < end {
            if condition(all) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(all)
    }

    /// Waits until at least `count` records arrived.
    @discardableResult
    func waitForRecords(_ count: Int, timeout: Duration = .seconds(30)) async -> Bool {
        await wait(timeout: timeout) { Self.records(in: $0).count >= count }
    }

    /// Waits for the first ``JournalEvent/available``: the source is positioned and reading.
    @discardableResult
    func waitUntilAvailable(timeout: Duration = .seconds(30)) async -> Bool {
        await wait(timeout: timeout) { $0.contains(.available) }
    }

    /// Waits until the reader has read everything the journal holds now and this collector has taken
    /// it: the reader began waiting for new entries after this call, and then the consumer was found
    /// waiting on an empty channel. The positive signal that lets a test check that nothing more came.
    ///
    /// Only for journals whose entries are all written when this is called (journal files made by
    /// ``JournalFiles``); journald may still be writing entries logged a moment ago.
    ///
    /// - Throws: ``TimedOut`` after `timeout`.
    func waitUntilCaughtUp(timeout: Duration = .seconds(30)) async throws {
        let before = source.caughtUpCount
        try await waitUntil("the journal reader to catch up", timeout: timeout) {
            // In this order: the consumer must be seen waiting after the reader caught up.
            source.caughtUpCount > before && source.consumerIsWaiting
        }
    }

    /// Waits until the reader has failed to open the journal, and begun waiting to retry, `count`
    /// more times: it had the chance to report anything new about the outage.
    ///
    /// - Throws: ``TimedOut`` after `timeout`.
    func waitForRetries(_ count: Int, timeout: Duration = .seconds(30)) async throws {
        let before = source.retryCount
        try await waitUntil("\(count) more retries of the journal", timeout: timeout) {
            source.retryCount >= before + count && source.consumerIsWaiting
        }
    }

    /// Cancels the consuming task and waits for it to end.
    func stop() async {
        task.cancel()
        await task.value
    }

    /// Every batch so far, in order.
    var batches: [JournalBatch] {
        all.compactMap { event in
            if case .entries(let batch) = event { return batch }
            return nil
        }
    }

    static func records(in events: [JournalEvent]) -> [Record] {
        events.flatMap { event -> [Record] in
            guard case .entries(let batch) = event else { return [] }
            return batch.indices.map { index in
                Record(entry: batch.entry(at: index), cursor: index == batch.count - 1 ? batch.cursor : nil)
            }
        }
    }
}

/// Runs a program to completion and returns its standard output.
///
/// - Throws: A description of the failure when it exits with a non-zero status.
@discardableResult
func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let stdin = Pipe()
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")): \(text)")
    }
    return text
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// A fresh empty directory under the system's temporary directory.
func makeTemporaryDirectory(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "heartline-\(name)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Journal files made from journal export text by `systemd-journal-remote`, as a real journald
/// would have written them, for tests that need exact control over every field.
enum JournalFiles {
    static let remote = "/lib/systemd/systemd-journal-remote"
    /// A fixed boot ID, so that entries carry one like real ones.
    static let bootID = "0b3a6fd2b1f84f44a6c3a7d1f2e5c901"

    /// One entry at `second` seconds past 2024-11-29T12:00:00Z with the given fields.
    static func entry(second: Int64, _ fields: [(String, String)]) -> [(String, String)] {
        let microseconds = (1_732_881_600 + second) * 1_000_000
        return [
            ("__REALTIME_TIMESTAMP", String(microseconds)), ("__MONOTONIC_TIMESTAMP", String(second * 1_000_000)),
            ("_BOOT_ID", bootID),
        ] + fields
    }

    /// The instant of ``entry(second:_:)``'s timestamp.
    static func instant(second: Int64) -> Instant {
        Instant(seconds: 1_732_881_600 + second)
    }

    /// Writes entries (text fields only) to a new journal file at `path`, which must end in `.journal`.
    static func write(_ entries: [[(String, String)]], to path: String) throws {
        let text = entries.map { entry in entry.map { "\($0.0)=\($0.1)\n" }.joined() + "\n" }.joined()
        let exportPath = path + ".export"
        try text.write(toFile: exportPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: exportPath) }
        try run(remote, ["--output=\(path)", exportPath])
    }

    /// Whether the test can make journal files.
    static var canWrite: Bool { FileManager.default.isExecutableFile(atPath: remote) }
}

/// The live systemd-journald, started once per test run by `scripts/start-journald` when needed.
enum LiveJournal {
    /// The script's outcome: its output, and whether journald now accepts entries.
    static let start: (ok: Bool, output: String) = {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/start-journald").path
        do {
            return (true, try run("/bin/bash", [script]))
        } catch {
            return (false, "\(error)")
        }
    }()

    /// Skips the calling test, saying why, unless a live journald accepts entries.
    static func require() throws {
        guard start.ok else {
            try Test.cancel("no live systemd-journald; scripts/start-journald failed: \(start.output)")
        }
    }

    /// A syslog identifier no other test or process uses.
    static func uniqueIdentifier(_ name: String) -> String {
        "hl-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Logs each line as one entry through `systemd-cat -t identifier` (journald's stdout transport).
    static func log(_ lines: [String], identifier: String) throws {
        try run("/usr/bin/systemd-cat", ["-t", identifier], input: lines.map { $0 + "\n" }.joined())
    }

    /// Waits until `journalctl -t identifier` reads back at least `count` entries: journald has
    /// written them, so every entry logged from now on comes after them in the journal.
    ///
    /// - Throws: ``TimedOut`` after 30 s.
    static func waitUntilWritten(_ count: Int, identifier: String) async throws {
        try await waitUntil("journald to write \(count) entries of \(identifier)", interval: .milliseconds(50)) {
            let text = try run("/usr/bin/journalctl", ["-q", "--no-pager", "-o", "cat", "-t", identifier])
            return text.split(separator: "\n").count >= count
        }
    }

    /// Logs one entry with exactly these fields through journald's native protocol (`logger --journald`).
    static func logFields(_ fields: [(String, String)]) throws {
        try run("/usr/bin/logger", ["--journald"], input: fields.map { "\($0.0)=\($0.1)\n" }.joined())
    }
}
