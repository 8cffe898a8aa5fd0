import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// READY=1 and `/healthz` promise that every source has fixed where it reads from: a service
/// manager starts the daemon's dependants on READY, and what they log from then on must count.
@Suite(.serialized)
struct DaemonReadyTests {
    /// The race of issue 17: on a first start a line appended at once after READY=1 is read (the
    /// file is positioned at its end as of READY, not later). Twenty first starts, twenty lines read.
    @Test func aLineWrittenRightAfterReadyIsReadOnEveryFirstStart() async throws {
        let runs = 20
        var read = 0
        for run in 1...runs {
            let directory = try DaemonProcess.makeDirectory(patterns: [
                "app.yaml": """
                source: { files: ["LOGS/*.log"] }
                jobs:
                  - name: worker
                    failure: 'job failed'
                    failure_burst: { count: 1, within: 1h }
                """
            ])
            defer { try? FileManager.default.removeItem(at: directory) }
            let log = directory.appendingPathComponent("logs/app.log")
            let boot = "boot\n"
            _ = FileManager.default.createFile(atPath: log.path, contents: Data(boot.utf8))
            let socket = try NotifySocket()
            let daemon = try DaemonProcess(directory: directory, environment: ["NOTIFY_SOCKET": socket.path])
            try #require(await socket.wait(for: "READY=1"), "run \(run): no READY=1; log:\n\(daemon.log)")
            try DaemonProcess.append("job failed\n", to: log)
            // The daemon logs the offset it started the file at: past the line's start, it was skipped.
            let following = "following \(log.path) from byte "
            #expect(await daemon.waitForLog(following))
            let offset = daemon.log.components(separatedBy: following).dropFirst().first
                .flatMap { Int($0.prefix { $0.isNumber }) }
            if let offset, offset <= boot.utf8.count {
                let alerted = await daemon.wait { $0.contains { $0.contains("\"condition\":\"failing\"") } }
                #expect(alerted, "run \(run): the line was not alerted on; log:\n\(daemon.log)")
                if alerted { read += 1 }
            }
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit() == 0)
        }
        print("ready race: \(read) of \(runs) first starts read the line written right after READY=1")
        #expect(read == runs)
    }

    /// Until READY=1, `/healthz` answers 503 and says what start-up is doing (compiling a large
    /// pattern set, then positioning the sources); it answers 200 only after READY=1 was sent.
    @Test func healthzIsUnavailableUntilReady() async throws {
        let jobs = (1...2000).map { "  - name: job\($0)\n    success: 'task \($0) finished in (\\d+) ms'" }
        let directory = try DaemonProcess.makeDirectory(patterns: [
            "many.yaml": "source: { files: [\"LOGS/*.log\"] }\njobs:\n" + jobs.joined(separator: "\n") + "\n"
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = FileManager.default.createFile(
            atPath: directory.appendingPathComponent("logs/app.log").path, contents: Data("boot\n".utf8))
        let socket = try NotifySocket()
        let daemon = try DaemonProcess(directory: directory, environment: ["NOTIFY_SOCKET": socket.path])
        let port = try #require(daemon.httpPort)
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/healthz"))
        var starting: [String] = []
        var readySent = false
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            guard let (data, response) = try? await URLSession.shared.data(for: URLRequest(url: url)) else {
                // The server is not listening yet.
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let body = String(decoding: data, as: UTF8.self)
            if status == 200 {
                // READY=1 goes out before the status says ready, so it is waiting by now.
                readySent = socket.drain().contains { $0.contains("READY=1") }
                #expect(readySent, "/healthz answered 200 before READY=1")
                #expect(body == "ok\n")
                break
            }
            #expect(status == 503)
            #expect(body.hasPrefix("starting: "), "unexpected /healthz body \(body)")
            starting.append(body)
        }
        #expect(readySent)
        #expect(starting.contains("starting: compiling patterns\n"), "answers before READY: \(Set(starting))")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }
}
