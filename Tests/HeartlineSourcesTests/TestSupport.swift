import Foundation
import HeartlineCore
import Synchronization

@testable import HeartlineSources

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "heartline-sources-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String {
        path + "/" + name
    }
}

/// A failed wait: the condition did not hold in time, so the test fails instead of hanging.
struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Appends to a log file the way a logging program does: one descriptor opened with `O_APPEND`.
final class LogWriter {
    let path: String
    private var descriptor: Int32

    init(_ path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    deinit {
        close(descriptor)
    }

    func write(_ bytes: [UInt8]) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Foundation.write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            precondition(count > 0, "write failed")
            written += count
        }
    }

    func write(_ text: String) {
        write(Array(text.utf8))
    }

    /// Closes the current descriptor and opens the path again, as a program does after logrotate
    /// signals it.
    func reopen() throws {
        close(descriptor)
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }
}

/// Everything a follower reported, recorded by the task that consumes its stream.
final class Recorder: Sendable {
    private let recorded = Mutex<[FileEvent]>([])

    func record(_ event: FileEvent) {
        recorded.withLock { $0.append(event) }
    }

    var events: [FileEvent] {
        recorded.withLock { $0 }
    }

    var lines: [FileLine] {
        events.flatMap { event -> [FileLine] in
            if case .lines(let lines) = event { return lines }
            return []
        }
    }

    var texts: [String] {
        lines.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    var opened: [FilePosition] {
        events.compactMap { event in
            if case .opened(let position) = event { return position }
            return nil
        }
    }

    var rotations: [FileEvent.Rotation] {
        events.compactMap { event in
            if case .rotated(_, let kind) = event { return kind }
            return nil
        }
    }

    var problems: [String] {
        events.compactMap { event in
            if case .problem(let path, let message) = event { return "\(path): \(message)" }
            return nil
        }
    }

    /// Waits until `condition` holds, checking every few milliseconds.
    ///
    /// - Throws: ``TimedOut`` after `timeout`.
    func wait(
        for what: String, timeout: Duration = .seconds(30), until condition: (Recorder) -> Bool
    ) async throws {
        try await waitUntil(what, timeout: timeout) { condition(self) }
    }
}

/// Polls `condition` every few milliseconds until it holds.
///
/// - Parameters:
///   - what: What is awaited, for the failure message.
///   - timeout: How long to wait; 30 s by default, far more than a loaded 2-core machine needs.
/// - Throws: ``TimedOut`` after `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Waits until the follower's thread has expanded its patterns `count` more times and the consumer
/// has taken everything handed over since: the positive signal that whatever those scans and the
/// polls before them found has been reported, so a test can check that nothing more was.
///
/// - Throws: ``TimedOut`` after 30 s.
func waitForRescans(_ count: Int, of follower: FileFollower) async throws {
    let before = follower.rescans
    try await waitUntil("\(count) more rescans") {
        // In this order: the consumer must be seen waiting after the last rescan.
        follower.rescans >= before + count && follower.consumerIsWaiting
    }
}

/// Options that make the suite fast: changes are seen within 10 ms.
func fastOptions(
    partialLineTimeout: Duration = .seconds(5), rotatedFileGrace: Duration = .milliseconds(200),
    maxLineBytes: Int = 1 << 20, chunkSize: Int = 64 << 10, batchLines: Int = 4096, maxPendingBatches: Int = 4,
    usesInotify: Bool = true
) -> FollowOptions {
    var options = FollowOptions(
        pollInterval: .milliseconds(10), rescanInterval: .milliseconds(50), partialLineTimeout: partialLineTimeout,
        rotatedFileGrace: rotatedFileGrace, maxLineBytes: maxLineBytes, chunkSize: chunkSize,
        batchLines: batchLines, maxPendingBatches: maxPendingBatches)
    options.usesInotify = usesInotify
    return options
}

/// The wall clock the tests give followers: a fixed instant, so that `readAt` can be checked.
let testNow = Instant(seconds: 1_750_000_000)

/// Lets a test stop the consumer from taking events, so that the follower's thread blocks in the
/// hand-over at a known point (after reading a chunk, before its next look at the files).
final class ConsumerGate: Sendable {
    private let closed = Atomic<Bool>(false)

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    func close() { closed.store(true, ordering: .releasing) }

    func open() { closed.store(false, ordering: .releasing) }
}

/// Runs `body` while a child task consumes the follower's events into a recorder, then cancels
/// the consumer. While `gate` is closed the consumer records the event it has and takes no more.
func following<Result: Sendable>(
    _ follower: FileFollower, gate: ConsumerGate? = nil, _ body: (Recorder) async throws -> Result
) async throws -> Result {
    let recorder = Recorder()
    let events = follower.events()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            for await event in events {
                recorder.record(event)
                while gate?.isClosed == true && !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(1))
                }
            }
        }
        defer { group.cancelAll() }
        return try await body(recorder)
    }
}

/// Waits until the follower's thread has stopped.
func waitUntilStopped(_ follower: FileFollower, timeout: Duration = .seconds(30)) async throws {
    let deadline = ContinuousClock.now + timeout
    while follower.isRunning {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: "the follower's thread to stop") }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// The targets of this process's open descriptors that lie under `directory`.
func descriptorsOpen(under directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return names.compactMap { name in
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name)
    }.filter { $0.hasPrefix(directory) }
}
