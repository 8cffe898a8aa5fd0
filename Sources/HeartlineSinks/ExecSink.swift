public import Foundation
public import HeartlineCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The exec sink: runs a program with the alert in its environment and on standard input (SPEC §4).
///
/// The program is the first element of the configured argv list and the rest are its arguments,
/// passed as they are: no shell runs, so nothing in the alert or the arguments is ever expanded
/// or split. A name without `/` is looked up in the daemon's `PATH` at each delivery, as
/// `execvp(3)` does. The program's environment holds only `PATH` and these variables, so that
/// secrets in the daemon's own environment do not reach it:
///
/// | Variable | Value |
/// |---|---|
/// | `HEARTLINE_AT` | when the alert is due, RFC 3339 UTC |
/// | `HEARTLINE_SERVICE` | the service |
/// | `HEARTLINE_JOB` | the job instance |
/// | `HEARTLINE_CONDITION` | `missing`, `stuck`, `failing`, `slow`, `breach` or `too_fast` |
/// | `HEARTLINE_STATUS` | `firing` or `resolved` |
/// | `HEARTLINE_SINCE` | for a resolved alert, when it began firing (RFC 3339 UTC); else empty |
/// | `HEARTLINE_DETAIL` | the human explanation; may be empty |
///
/// Standard input is ``Alert/jsonLine`` and a newline, from an unlinked temporary file rather
/// than a pipe, so that a program that never reads it cannot stall the daemon or end it with
/// `SIGPIPE`, however long the alert. The program's standard output and error go to the daemon's
/// standard error (standard output carries the stdout sink's JSON).
///
/// Exit status 0 means delivered. A non-zero status, death by a signal, a program that cannot be
/// started, or one still running after `timeout` seconds throws; on timeout (or when the daemon
/// cancels the delivery) the program's whole process group is killed with `SIGKILL`, since
/// Foundation's `Process` starts each program as the leader of a new process group.
public struct ExecSink: AlertSink, CustomStringConvertible {
    public let key: String
    public let config: SinkConfig
    /// The sink as it may be logged: the program and the number of arguments, never the arguments,
    /// which may hold secrets, e.g. `exec /usr/local/bin/page-oncall (2 arguments)`.
    public let redacted: String
    private let command: [String]
    private let timeout: Duration
    private let searchPath: String

    /// Where programs are looked up when the daemon has no `PATH`.
    static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

    /// Creates the sink for the `index`-th sink of the configuration.
    ///
    /// - Parameters:
    ///   - index: The sink's position in the configuration, for ``key`` (`2:exec`).
    ///   - config: An `exec` sink: its argv list and timeout in seconds.
    ///   - environment: The daemon's environment; only its `PATH` is used, to find the program and
    ///     as the program's own `PATH`.
    /// - Throws: ``SinkError`` with code `configuration` when `config` is not an exec sink, the
    ///   command is empty, or the timeout is not positive.
    public init(
        index: Int, config: SinkConfig, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SinkError) {
        guard case .exec(let command, let timeout) = config.kind else {
            throw SinkError(code: .configuration, sink: "\(index):\(config.typeName)", message: "not an exec sink")
        }
        guard let program = command.first, !program.isEmpty else {
            throw SinkError(
                code: .configuration, sink: "\(index):exec", message: "'command' names no program", setting: "command")
        }
        guard timeout > 0 else {
            throw SinkError(
                code: .configuration, sink: "\(index):exec", message: "'timeout' must be positive", setting: "timeout")
        }
        let arguments = command.count - 1
        self.key = "\(index):exec"
        self.config = config
        self.redacted = "exec \(program) (\(arguments) argument\(arguments == 1 ? "" : "s"))"
        self.command = command
        self.timeout = .seconds(timeout)
        self.searchPath = environment["PATH"] ?? Self.defaultSearchPath
    }

    /// The same as ``redacted``.
    public var description: String { redacted }

    /// The program's environment for `alert`: `PATH` and the `HEARTLINE_*` variables.
    ///
    /// - Parameter alert: The alert.
    /// - Returns: The variables, by name.
    public func environment(for alert: Alert) -> [String: String] {
        [
            "PATH": searchPath,
            "HEARTLINE_AT": alert.at.rfc3339,
            "HEARTLINE_SERVICE": alert.service,
            "HEARTLINE_JOB": alert.job,
            "HEARTLINE_CONDITION": alert.condition.rawValue,
            "HEARTLINE_STATUS": alert.status.rawValue,
            "HEARTLINE_SINCE": alert.since?.rfc3339 ?? "",
            "HEARTLINE_DETAIL": alert.detail,
        ]
    }

    /// Runs the program for the alert and waits for it without holding a thread.
    ///
    /// - Throws: ``SinkError`` (`launch`, `exitStatus`, `timeout`) when it was not delivered, or
    ///   `CancellationError` when the calling task was cancelled (the program is killed).
    public func deliver(_ alert: Alert) async throws {
        let input = try standardInput(Data((alert.jsonLine + "\n").utf8))
        defer { try? input.close() }
        let process = Process()
        process.executableURL = try programURL()
        process.arguments = Array(command.dropFirst())
        process.environment = environment(for: alert)
        process.standardInput = input
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        let exit = ExitLatch()
        process.terminationHandler = { exit.finish(reason: $0.terminationReason, status: $0.terminationStatus) }
        do {
            try Self.withNoSignalsBlocked { try process.run() }
        } catch {
            throw SinkError(code: .launch, sink: redacted, message: "could not start the program: \(error)")
        }
        exit.started(processGroup: process.processIdentifier)

        let (ending, expired) = await withTaskCancellationHandler {
            await TimeLimit.run(limit: timeout, stop: { exit.killGroup() }) { await exit.wait() }
        } onCancel: {
            _ = exit.killGroup()
        }
        // The process object must outlive its program, whose end it reports.
        extendLifetime(process)
        if expired {
            throw SinkError(code: .timeout, sink: redacted, message: "still running after \(timeout); killed")
        }
        switch ending {
        case .exited(0):
            return
        case .exited(let status):
            try Task.checkCancellation()
            throw SinkError(code: .exitStatus, sink: redacted, message: "the program exited with status \(status)")
        case .signalled(let signal):
            try Task.checkCancellation()
            throw SinkError(code: .exitStatus, sink: redacted, message: "the program was killed by signal \(signal)")
        }
    }

    /// The program's file: the first argv element, looked up in `PATH` when it has no `/`.
    private func programURL() throws(SinkError) -> URL {
        let program = command[0]
        if program.contains("/") { return URL(fileURLWithPath: program) }
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                access(candidate, X_OK) == 0
            {
                return URL(fileURLWithPath: candidate)
            }
        }
        throw SinkError(code: .launch, sink: redacted, message: "no executable '\(program)' in PATH \(searchPath)")
    }

    /// Runs `body` with the calling thread's signal mask emptied, then restores the mask.
    ///
    /// `Process` starts the program with the signal mask of the thread that calls `run()`, and the
    /// threads of Swift's cooperative pool block nearly every signal: without this the program
    /// would start with `SIGTERM`, `SIGINT` and `SIGHUP` blocked, and `kill` or `timeout` inside
    /// it could not stop its own children. `body` does not suspend, so the thread is the same
    /// throughout; the daemon's main thread already leaves these signals unblocked, so nothing
    /// new can reach a signal handler.
    private static func withNoSignalsBlocked<Value>(_ body: () throws -> Value) rethrows -> Value {
        var none = sigset_t()
        var saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        return try body()
    }

    /// An unlinked temporary file holding `bytes`, positioned at its start.
    private func standardInput(_ bytes: Data) throws(SinkError) -> FileHandle {
        guard let file = tmpfile() else {
            throw SinkError(
                code: .launch, sink: redacted,
                message: "could not create a temporary file for standard input (errno \(errno))")
        }
        defer { fclose(file) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let copy = dup(fileno(file))
        guard written == bytes.count, fflush(file) == 0, copy >= 0 else {
            if copy >= 0 { close(copy) }
            throw SinkError(
                code: .launch, sink: redacted,
                message: "could not write standard input to a temporary file (errno \(errno))")
        }
        // The duplicate shares the file offset, so rewinding through it rewinds both.
        lseek(copy, 0, SEEK_SET)
        return FileHandle(fileDescriptor: copy, closeOnDealloc: true)
    }
}

extension ExecSink {
    /// How a program ended.
    private enum Ending: Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// The meeting point of `Process`'s termination handler, which runs on Foundation's own queue,
    /// and the task waiting for the program, which must not block a thread of the cooperative pool.
    /// It also kills the program's process group, but only while the program has not ended.
    private final class ExitLatch: Sendable {
        private struct State {
            var processGroup: pid_t = 0
            var ending: Ending?
            var waiter: CheckedContinuation<Ending, Never>?
        }

        private let state = Mutex(State())

        func started(processGroup: pid_t) {
            state.withLock { $0.processGroup = processGroup }
        }

        func finish(reason: Process.TerminationReason, status: Int32) {
            let ending: Ending = reason == .exit ? .exited(status) : .signalled(status)
            let waiter = state.withLock { state in
                state.ending = ending
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: ending)
        }

        func wait() async -> Ending {
            await withCheckedContinuation { continuation in
                let ended = state.withLock { state in
                    if state.ending == nil { state.waiter = continuation }
                    return state.ending
                }
                if let ended { continuation.resume(returning: ended) }
            }
        }

        /// Kills the process group with `SIGKILL` if the program is still running; returns whether it did.
        func killGroup() -> Bool {
            state.withLock { state in
                // Group 0 would be the daemon's own group: the program has not been started yet.
                guard state.ending == nil, state.processGroup > 0 else { return false }
                return kill(-state.processGroup, SIGKILL) == 0
            }
        }
    }
}
