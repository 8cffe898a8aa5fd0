import Foundation

/// A real HTTP receiver on 127.0.0.1 for sink tests: Python's `http.server` on a free port.
///
/// It records every request (method, path, headers, body) as one JSON line in a file, then waits
/// `delay` seconds and answers `status` (a 3xx carries `Location: /redirected`). It serves at most
/// `limit` requests and lives at most `lifetime` seconds, so a failing test cannot leave it behind.
final class LoopbackReceiver {
    /// One request as the receiver saw it; header names in lower case.
    struct Request: Decodable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
        /// The status answered.
        var status: String
    }

    let port: Int
    private let process: Process
    private let log: String

    private static let script = #"""
        import http.server, json, sys, time
        log = sys.argv[1]
        status, delay, limit, lifetime = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
        fail_first = int(sys.argv[6])
        served = 0
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                global served
                served += 1
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = 503 if served <= fail_first else status
                record = {"method": self.command, "path": self.path, "body": body.decode("utf-8", "replace"),
                          "headers": {k.lower(): v for k, v in self.headers.items()}, "status": str(answer)}
                with open(log, "a") as f:
                    f.write(json.dumps(record) + "\n")
                time.sleep(delay)
                self.send_response(answer)
                if 300 <= answer < 400:
                    self.send_header("Location", "/redirected")
                self.send_header("Content-Length", "0")
                self.end_headers()
            do_GET = do_POST
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        deadline = time.monotonic() + lifetime
        while served < limit and time.monotonic() < deadline:
            server.timeout = max(0.05, deadline - time.monotonic())
            server.handle_request()
        """#

    /// Starts a receiver and waits until it listens.
    /// - Parameter failFirst: How many requests to answer 503 before answering `status`: a receiver
    ///   that is down for a while, then comes up.
    init(status: Int = 200, delay: Double = 0, limit: Int = 20, lifetime: Double = 30, failFirst: Int = 0) throws {
        log = NSTemporaryDirectory() + "heartline-receiver-" + UUID().uuidString + ".jsonl"
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw ReceiverFailed() }
        let output = Pipe()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", Self.script, log, "\(status)", "\(delay)", "\(limit)", "\(lifetime)", "\(failFirst)",
        ]
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw ReceiverFailed() }
        self.port = port
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: log)
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    func url(_ path: String = "/") -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// The requests received so far, in order.
    func requests() throws -> [Request] {
        let text = try String(contentsOfFile: log, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// Stops the receiver and waits until it has exited, so that its port refuses connections.
    ///
    /// `SIGKILL`, because a program started from a test's thread inherits that thread's signal
    /// mask, in which `SIGTERM` is blocked.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct ReceiverFailed: Error {}
}
