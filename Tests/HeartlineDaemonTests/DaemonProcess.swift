import Foundation
import Glibc
import HeartlineCore
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `heartline run` child process for integration tests: real binary, real files, real signals.
final class DaemonProcess: Sendable {
    let directory: URL
    private let process: Process
    private let lines = LineBox()
    private let stderrPath: URL

    /// The built `heartline` binary, next to the test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("heartline")
    }

    /// A fresh directory with `patterns/`, `logs/` and `heartline.yaml` (state in `state/`, status
    /// over HTTP on 127.0.0.1:`httpPort`, by default a free port, so that daemons run side by side);
    /// `LOGS` in a pattern file's text stands for the `logs/` directory's path.
    static func makeDirectory(patterns: [String: String], httpPort: Int = freePort()) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heartline-daemon-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("patterns"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        for (name, text) in patterns {
            let resolved = text.replacingOccurrences(of: "LOGS", with: directory.appendingPathComponent("logs").path)
            try resolved.write(
                to: directory.appendingPathComponent("patterns/\(name)"), atomically: true, encoding: .utf8)
        }
        try "patterns: patterns\nstate: state\nhttp: { listen: \"127.0.0.1:\(httpPort)\" }\n".write(
            to: directory.appendingPathComponent("heartline.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now: the one the system picks for port 0.
    static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        precondition(bound, "cannot bind 127.0.0.1:0: errno \(errno)")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs `heartline` with `arguments` to the end, in `directory` (else the test's own) and with
    /// `environment` added to the test's; returns its exit status and output.
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The commands run here print a few lines: read them all, then reap the child.
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    /// Starts `heartline run` on the directory's configuration, with `environment` added to the test's.
    /// A daemon a failed test left running is stopped, so that it does not outlive the test run.
    deinit {
        if process.isRunning { process.terminate() }
    }

    init(directory: URL, environment: [String: String] = [:]) throws {
        self.directory = directory
        stderrPath = directory.appendingPathComponent("stderr-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
        process = Process()
        process.executableURL = Self.binary
        process.arguments = ["run", "--config", directory.appendingPathComponent("heartline.yaml").path]
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: stderrPath)
        let reader = output.fileHandleForReading
        let collected = lines
        reader.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                // End of file: the daemon exited and everything it printed has been taken.
                handle.readabilityHandler = nil
                collected.finish()
                return
            }
            collected.append(data)
        }
        try process.run()
    }

    /// Alert JSON lines printed so far.
    var alerts: [String] { lines.lines.map(\.text) }

    /// Alert JSON lines with when each reached this process.
    var timedAlerts: [(arrived: Date, text: String)] { lines.lines }

    /// The daemon's own log so far.
    var log: String { (try? String(contentsOf: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds for the alerts, or `timeout` passes; returns whether it held.
    @discardableResult
    func wait(timeout: Duration = .seconds(30), until condition: ([String]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(alerts) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(alerts)
    }

    /// Waits until the daemon's log contains `text`.
    @discardableResult
    func waitForLog(_ text: String, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if log.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The port of the daemon's status server, as ``makeDirectory(patterns:httpPort:)`` wrote it.
    var httpPort: Int? {
        let config = (try? String(contentsOf: directory.appendingPathComponent("heartline.yaml"), encoding: .utf8))
        guard let config, let range = config.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
            return nil
        }
        return Int(config[range].split(separator: ":").last ?? "")
    }

    /// Waits until every sample's value satisfies its condition in one reading of `/metrics`: the
    /// daemon's own account that the work was done (lines read, alerts delivered).
    ///
    /// - Throws: ``MetricTimeout`` after `timeout` (30 s by default), naming the samples and their
    ///   last values.
    func waitForMetrics(
        _ what: String, timeout: Duration = .seconds(30), _ conditions: [String: @Sendable (Double) -> Bool]
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        var last: [String: Double] = [:]
        while ContinuousClock.now < deadline {
            guard let port = httpPort, let url = URL(string: "http://127.0.0.1:\(port)/metrics") else { break }
            if let (data, _) = try? await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: 5)) {
                let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
                last = [:]
                for sample in conditions.keys {
                    let line = lines.first { $0.hasPrefix(sample + " ") }
                    last[sample] = line.flatMap { Double($0.dropFirst(sample.count + 1)) }
                }
                if conditions.allSatisfy({ sample, holds in last[sample].map(holds) ?? false }) { return }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw MetricTimeout(what: what, timeout: timeout, last: last)
    }

    /// The `/metrics` sample of lines read from a source (a file path, or `journal`).
    static func linesRead(_ source: String) -> String {
        "heartline_source_lines_read_total{source=\"\(source)\"}"
    }

    /// The `/metrics` sample of alerts waiting in the outbox for a sink (`0:stdout`, ...).
    static func queued(_ sink: String) -> String {
        "heartline_sink_queued{sink=\"\(sink)\"}"
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end and returns its exit status (or -signal).
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        guard !process.isRunning else {
            process.terminate()
            return nil
        }
        // The pipe reader has taken the last output once it sees the end of the pipe.
        let eof = ContinuousClock.now + .seconds(30)
        while !lines.isFinished, ContinuousClock.now < eof {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if !lines.isFinished { Issue.record("the daemon exited but its stdout did not reach end of file in 30 s") }
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }

    /// Appends lines to a log file in `logs/`.
    static func append(_ text: String, to file: URL) throws {
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Seconds from an alert's `at` to when it reached this process.
    static func lateness(_ alert: (arrived: Date, text: String)) -> Double? {
        guard let at = RFC3339.parse(fields(alert.text)["at"] ?? "") else { return nil }
        return alert.arrived.timeIntervalSince1970 - Double(at.nanoseconds) / 1e9
    }

    /// The instant of an alert line's `at`.
    static func at(_ line: String) -> Instant? {
        RFC3339.parse(fields(line)["at"] ?? "")
    }

    /// The `id` of an alert line, as text (it is a JSON number).
    static func idText(_ line: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let id = object["id"] as? NSNumber
        else { return nil }
        return id.stringValue
    }

    /// The JSON object of an alert line.
    static func fields(_ line: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            return [:]
        }
        return object.compactMapValues { value in
            if let text = value as? String { return text }
            return (value as? NSNumber)?.stringValue
        }
    }
}

/// Output lines collected from a pipe, with when each arrived; a partial last line waits for its newline.
final class LineBox: Sendable {
    private let state = Mutex<(lines: [(arrived: Date, text: String)], partial: [UInt8])>(([], []))

    func append(_ data: Data) {
        let now = Date()
        state.withLock { state in
            state.partial += data
            while let newline = state.partial.firstIndex(of: 0x0A) {
                state.lines.append((now, String(decoding: state.partial[..<newline], as: UTF8.self)))
                state.partial.removeSubrange(...newline)
            }
        }
    }

    var lines: [(arrived: Date, text: String)] { state.withLock { $0.lines } }

    /// Whether the pipe reached end of file.
    var isFinished: Bool { finished.withLock { $0 } }

    /// Marks the end of the pipe.
    func finish() { finished.withLock { $0 = true } }

    private let finished = Mutex(false)
}

/// A metrics wait that did not end in time.
struct MetricTimeout: Error, CustomStringConvertible {
    let what: String
    let timeout: Duration
    /// The samples' values at the last reading; a missing one was absent.
    let last: [String: Double]
    var description: String { "timed out after \(timeout) waiting for \(what); last values: \(last)" }
}
