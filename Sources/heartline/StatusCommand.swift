import ArgumentParser
import Foundation
import HeartlineCore
import HeartlineHTTP

/// `heartline status`: the jobs table from a running daemon's `/api/v1/jobs` (SPEC §4).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print every job's state from a running daemon.",
        discussion: """
            Columns: SERVICE, JOB, STATE (ok, or the conditions firing), LAST SUCCESS (RFC 3339 and how \
            long ago), SUCCESSES and FAILURES (lines counted since the daemon started). Exit status: 0, \
            or 1 when the daemon does not answer.
            """
    )

    @Option(name: .long, help: "The daemon's HTTP address, as 'http: { listen: ... }' in its configuration.")
    var url: String = "http://127.0.0.1:9464"

    func run() async throws {
        let jobs: [JobReport]
        do {
            jobs = try await StatusClient(baseURL: url).jobs()
        } catch {
            StandardError.write("heartline: \(error)")
            throw ExitCode(1)
        }
        let now = Instant(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
        print(StatusTable.render(jobs, now: now), terminator: "")
    }
}
