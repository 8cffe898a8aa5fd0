import Foundation
import HeartlineCore
import HeartlineSinks
import Testing

struct WebhookSinkTests {
    static let alert = Alert(
        at: Instant(seconds: 1_700_000_000), service: "backup", job: "nightly", condition: .missing,
        status: .firing, detail: "due at 02:00, \"late\" by 1h")

    static func sink(url: String, headers: [String: String] = [:], timeout: Int64 = 5) throws -> WebhookSink {
        try WebhookSink(index: 1, config: SinkConfig(kind: .webhook(url: url, headers: headers, timeout: timeout)))
    }

    @Test func postsTheAlertJSONWithTheConfiguredHeaders() async throws {
        let receiver = try LoopbackReceiver()
        let sink = try Self.sink(
            url: receiver.url("/hook?token=s3cret"), headers: ["Authorization": "Bearer t0ken", "X-Team": "ops"])
        try await sink.deliver(Self.alert)
        let requests = try receiver.requests()
        try #require(requests.count == 1)
        #expect(requests[0].method == "POST")
        #expect(requests[0].path == "/hook?token=s3cret")
        #expect(requests[0].body == Self.alert.jsonLine)
        #expect(requests[0].headers["content-type"] == "application/json")
        #expect(requests[0].headers["authorization"] == "Bearer t0ken")
        #expect(requests[0].headers["x-team"] == "ops")
        #expect(sink.key == "1:webhook")
    }

    @Test func aServerErrorThrowsSoTheAlertStaysQueued() async throws {
        let receiver = try LoopbackReceiver(status: 500)
        let sink = try Self.sink(url: receiver.url("/hook"))
        let error = await #expect(throws: SinkError.self) { try await sink.deliver(Self.alert) }
        #expect(error?.code == .rejected)
        #expect(error?.httpStatus == 500)
        #expect(try receiver.requests().count == 1)
    }

    @Test func aRedirectIsNotFollowedAndThrows() async throws {
        let receiver = try LoopbackReceiver(status: 302)
        let sink = try Self.sink(url: receiver.url("/hook"), headers: ["Authorization": "Bearer t0ken"])
        let error = await #expect(throws: SinkError.self) { try await sink.deliver(Self.alert) }
        #expect(error?.code == .rejected)
        #expect(error?.httpStatus == 302)
        #expect(try receiver.requests().map(\.path) == ["/hook"])
    }

    @Test func aReceiverThatIsDownThrows() async throws {
        let receiver = try LoopbackReceiver()
        receiver.stop()
        let sink = try Self.sink(url: receiver.url("/hook"))
        let error = await #expect(throws: SinkError.self) { try await sink.deliver(Self.alert) }
        #expect(error?.code == .transport)
        #expect(error?.message == "connection refused")
    }

    @Test func anAnswerSlowerThanTheTimeoutThrowsAfterTheTimeout() async throws {
        let receiver = try LoopbackReceiver(delay: 8)
        let sink = try Self.sink(url: receiver.url("/hook"), timeout: 1)
        let started = ContinuousClock.now
        let error = await #expect(throws: SinkError.self) { try await sink.deliver(Self.alert) }
        let elapsed = ContinuousClock.now - started
        #expect(error?.code == .timeout)
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(8), "took \(elapsed)")
    }

    @Test func cancellingADeliveryAbandonsTheRequestAtOnce() async throws {
        let receiver = try LoopbackReceiver(delay: 8)
        let sink = try Self.sink(url: receiver.url("/hook"), timeout: 20)
        let started = ContinuousClock.now
        let delivery = Task { try await sink.deliver(Self.alert) }
        // The receiver records a request before it waits to answer: then the request is in flight.
        let deadline = ContinuousClock.now + .seconds(30)
        while try receiver.requests().isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(try !receiver.requests().isEmpty, "the request did not reach the receiver within 30 s")
        delivery.cancel()
        await #expect(throws: CancellationError.self) { try await delivery.value }
        // Well before the receiver's 8 s answer (and the 20 s timeout), with room for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(6))
    }

    @Test func theRedactedFormShowsNoSecrets() throws {
        let sink = try Self.sink(
            url: "https://user:pa55@hooks.example.org/services/T000/B000/XXXXSECRET?token=qu3ry#frag",
            headers: ["Authorization": "Bearer t0ken", "X-Api-Key": "k3y"])
        #expect(sink.redacted == "webhook https://hooks.example.org:443/services/… headers: Authorization, X-Api-Key")
        #expect("\(sink)" == sink.redacted)
    }

    @Test func errorsShowNoSecrets() async throws {
        let receiver = try LoopbackReceiver()
        receiver.stop()
        let sink = try Self.sink(
            url: "http://user:pa55@127.0.0.1:\(receiver.port)/hook/XXXXSECRET?token=qu3ry",
            headers: ["Authorization": "Bearer t0ken"])
        let error = await #expect(throws: SinkError.self) { try await sink.deliver(Self.alert) }
        let text = "\(try #require(error))"
        #expect(text == "webhook http://127.0.0.1:\(receiver.port)/hook/… headers: Authorization: connection refused")
        for secret in ["pa55", "XXXXSECRET", "qu3ry", "t0ken"] { #expect(!text.contains(secret)) }
    }

    @Test(arguments: ["ftp://example.org/x", "not a url", "/relative/path", "http:///nohost"])
    func aURLThatIsNotHTTPIsAConfigurationError(url: String) throws {
        let error = #expect(throws: SinkError.self) { try Self.sink(url: url) }
        #expect(error?.code == .configuration)
    }
}
