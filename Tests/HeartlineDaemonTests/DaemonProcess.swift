import Foundation
import Glibc
import HeartlineCore
import Synchronization

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

    init(directory: URL) throws {
        self.directory = directory
        stderrPath = directory.appendingPathComponent("stderr-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
        process = Process()
        process.executableURL = Self.binary
        process.arguments = ["run", "--config", directory.appendingPathComponent("heartline.yaml").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: stderrPath)
        let reader = output.fileHandleForReading
        let collected = lines
        reader.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
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
    func wait(timeout: Duration = .seconds(15), until condition: ([String]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(alerts) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition(alerts)
    }

    /// Waits until the daemon's log contains `text`.
    @discardableResult
    func waitForLog(_ text: String, timeout: Duration = .seconds(15)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if log.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end and returns its exit status (or -signal).
    func waitForExit(timeout: Duration = .seconds(15)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        guard !process.isRunning else {
            process.terminate()
            return nil
        }
        // Let the pipe reader take the last output.
        try? await Task.sleep(for: .milliseconds(200))
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
}
