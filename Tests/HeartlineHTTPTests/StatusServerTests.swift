import Foundation
import HeartlineCore
import HeartlineDaemon
import HeartlineHTTP
import Logging
import ServiceLifecycle
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The status server on a real socket on 127.0.0.1, run by a service group as `heartline run` runs it.
@Suite(.serialized)
struct StatusServerTests {
    /// A clock the test moves.
    final class TestClock: Sendable {
        private let current: Mutex<Instant>

        init(_ start: Instant) { current = Mutex(start) }

        var now: Instant { current.withLock { $0 } }

        func set(_ instant: Instant) { current.withLock { $0 = instant } }
    }

    /// Runs a server for `board` on a port the system picks, calls `body` with the port, then shuts
    /// the group down gracefully; returns once the server has stopped.
    static func withServer(
        board: StatusBoard, clock: TestClock, _ body: (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = StatusServer(
            board: board,
            options: StatusServer.Options(address: ListenAddress(host: "127.0.0.1", port: 0), clock: { clock.now }),
            logger: Logger(label: "status-server-test"), onListening: { continuation.yield($0) })
        let group = ServiceGroup(services: [server], logger: Logger(label: "status-server-test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func get(_ port: Int, _ path: String) async throws -> (status: Int, type: String?, body: String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let (data, response) = try await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: 5))
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type"), String(decoding: data, as: UTF8.self))
    }

    static func board() throws -> (StatusBoard, TestClock) {
        var status = MetricsTextTests.status
        status.ready = true
        let board = StatusBoard(startedAt: status.startedAt)
        board.publish(status)
        return (board, TestClock(try #require(status.updatedAt.adding(seconds: 1))))
    }

    @Test func metricsAreServedInTheTextFormatWithItsContentType() async throws {
        let (board, clock) = try Self.board()
        try await Self.withServer(board: board, clock: clock) { port in
            let answer = try await Self.get(port, "/metrics")
            #expect(answer.status == 200)
            #expect(answer.type == "text/plain; version=0.0.4; charset=utf-8")
            #expect(answer.body == MetricsText.render(MetricsTextTests.status))
        }
    }

    @Test func jobsAreServedAsAJSONArrayOfReports() async throws {
        let (board, clock) = try Self.board()
        try await Self.withServer(board: board, clock: clock) { port in
            let answer = try await Self.get(port, "/api/v1/jobs")
            #expect(answer.status == 200)
            #expect(answer.type == "application/json")
            let jobs = try JSONDecoder().decode([JobReport].self, from: Data(answer.body.utf8))
            #expect(jobs == MetricsTextTests.status.jobs.map(JobReport.init))
        }
    }

    @Test func healthzIsOkWhileTheStatusIsFreshAnd503OnceItIsStale() async throws {
        let (board, clock) = try Self.board()
        try await Self.withServer(board: board, clock: clock) { port in
            let fresh = try await Self.get(port, "/healthz")
            #expect(fresh.status == 200)
            #expect(fresh.body == "ok\n")
            clock.set(try #require(board.status.updatedAt.adding(seconds: 60)))
            let stale = try await Self.get(port, "/healthz")
            #expect(stale.status == 503)
            #expect(stale.body.hasPrefix("stale: the daemon last published its status 60s ago"))
            var status = board.status
            status.updatedAt = clock.now
            board.publish(status)
            let again = try await Self.get(port, "/healthz")
            #expect(again.status == 200)
        }
    }

    @Test func otherPathsAreNotFound() async throws {
        let (board, clock) = try Self.board()
        try await Self.withServer(board: board, clock: clock) { port in
            let root = try await Self.get(port, "/")
            let other = try await Self.get(port, "/api/v1/sinks")
            #expect(root.status == 404)
            #expect(other.status == 404)
        }
    }

    @Test func theClientReadsTheJobsTheServerServes() async throws {
        let (board, clock) = try Self.board()
        try await Self.withServer(board: board, clock: clock) { port in
            let jobs = try await StatusClient(baseURL: "http://127.0.0.1:\(port)/").jobs()
            #expect(jobs == MetricsTextTests.status.jobs.map(JobReport.init))
        }
    }

    @Test func gracefulShutdownClosesThePortAndTheClientThenSaysNobodyAnswers() async throws {
        let (board, clock) = try Self.board()
        let closed = Mutex(0)
        try await Self.withServer(board: board, clock: clock) { port in closed.withLock { $0 = port } }
        let port = closed.withLock { $0 }
        let error = await #expect(throws: StatusClientError.self) {
            try await StatusClient(baseURL: "http://127.0.0.1:\(port)", timeout: 2).jobs()
        }
        #expect(error?.code == .noAnswer)
        #expect(error?.message.hasPrefix("no answer from http://127.0.0.1:\(port)/api/v1/jobs") == true)
    }

    @Test func theClientRejectsAnAnswerThatIsNotTheJobsList() async throws {
        let (board, clock) = try Self.board()
        try await Self.withServer(board: board, clock: clock) { port in
            let error = await #expect(throws: StatusClientError.self) {
                try await StatusClient(baseURL: "http://127.0.0.1:\(port)/metrics").jobs()
            }
            #expect(error?.code == .badAnswer)
            #expect(
                error?.message
                    == "http://127.0.0.1:\(port)/metrics/api/v1/jobs answered HTTP 404; is this a Heartline daemon?")
        }
    }

    @Test(arguments: ["127.0.0.1:9464", "ftp://127.0.0.1:9464", "http://"])
    func theClientRejectsAURLThatIsNotHTTP(url: String) async {
        let error = await #expect(throws: StatusClientError.self) { try await StatusClient(baseURL: url).jobs() }
        #expect(error?.code == .badURL)
    }
}
