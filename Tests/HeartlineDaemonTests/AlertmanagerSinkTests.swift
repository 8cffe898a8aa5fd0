import Foundation
import HeartlineCore
import HeartlineSinks
import Testing

struct AlertmanagerSinkTests {
    static let firing = Alert(
        at: Instant(seconds: 1_700_000_000), service: "backup", job: "nightly", condition: .missing,
        status: .firing, detail: "due 2023-11-14T21:00:00Z; 1h late")
    static let resolved = Alert(
        at: Instant(nanoseconds: 1_700_003_600_250_000_000), service: "backup", job: "nightly", condition: .missing,
        status: .resolved, since: Instant(seconds: 1_700_000_000))
    static let now = Instant(seconds: 1_700_000_030)

    /// The `postableAlerts` body of Alertmanager's API v2 (`api/v2/openapi.yaml`), as JSON Schema.
    static let schema = #"""
        {"type": "array", "items": {"allOf": [
          {"type": "object", "properties": {
            "startsAt": {"type": "string", "format": "date-time"},
            "endsAt": {"type": "string", "format": "date-time"},
            "annotations": {"$ref": "#/definitions/labelSet"}}},
          {"type": "object", "required": ["labels"], "properties": {
            "labels": {"$ref": "#/definitions/labelSet"},
            "generatorURL": {"type": "string", "format": "uri"}}}]},
         "definitions": {"labelSet": {"type": "object", "additionalProperties": {"type": "string"}}}}
        """#

    static func sink(url: String = "http://127.0.0.1:9093", generatorURL: String? = nil) throws -> AlertmanagerSink {
        try AlertmanagerSink(
            index: 3, config: SinkConfig(kind: .alertmanager(url: url)), hostname: "db1.example.org",
            repostInterval: .seconds(60), generatorURL: generatorURL, clock: { now })
    }

    static func decode(_ data: Data) throws -> [String: Any] {
        let array = try #require(try JSONSerialization.jsonObject(with: data) as? [Any])
        try #require(array.count == 1)
        return try #require(array[0] as? [String: Any])
    }

    @Test func aFiringAlertCarriesItsLabelsAndStartsAt() throws {
        let alert = try Self.decode(try Self.sink().payload(for: Self.firing, now: Self.now))
        #expect(
            alert["labels"] as? [String: String] == [
                "alertname": "HeartlineMissing", "service": "backup", "job": "nightly", "condition": "missing",
                "host": "db1.example.org",
            ])
        #expect(
            alert["annotations"] as? [String: String] == [
                "summary": "backup/nightly: no success line came in time",
                "description": "due 2023-11-14T21:00:00Z; 1h late",
            ])
        #expect(alert["startsAt"] as? String == "2023-11-14T22:13:20Z")
        // Four re-post intervals after `now`, so that Alertmanager keeps it firing between posts.
        #expect(alert["endsAt"] as? String == "2023-11-14T22:17:50Z")
        #expect(alert["generatorURL"] == nil)
    }

    @Test func aResolvedAlertCarriesEndsAtAndStartsAtItsSince() throws {
        let alert = try Self.decode(try Self.sink().payload(for: Self.resolved, now: Self.now))
        #expect(alert["startsAt"] as? String == "2023-11-14T22:13:20Z")
        #expect(alert["endsAt"] as? String == "2023-11-14T23:13:20.250Z")
        #expect((alert["labels"] as? [String: String])?["alertname"] == "HeartlineMissing")
        #expect(
            (alert["annotations"] as? [String: String]) == [
                "summary": "resolved: backup/nightly: no success line came in time"
            ])
    }

    @Test func repostingAFiringAlertKeepsItsIdentityAndMovesEndsAt() throws {
        let sink = try Self.sink()
        let first = try Self.decode(sink.payload(for: Self.firing, now: Self.now))
        let minuteLater = try #require(Self.now.adding(seconds: 60))
        let later = try Self.decode(sink.payload(for: Self.firing, now: minuteLater))
        #expect(first["labels"] as? [String: String] == later["labels"] as? [String: String])
        #expect(first["startsAt"] as? String == later["startsAt"] as? String)
        #expect(later["endsAt"] as? String == "2023-11-14T22:18:50Z")
    }

    @Test(arguments: [Condition.missing, .stuck, .failing, .slow, .breach])
    func theAlertNameNamesTheCondition(condition: Condition) throws {
        var alert = Self.firing
        alert.condition = condition
        let expected = [
            "missing": "HeartlineMissing", "stuck": "HeartlineStuck", "failing": "HeartlineFailing",
            "slow": "HeartlineSlow", "breach": "HeartlineBreach",
        ][condition.rawValue]
        #expect(try Self.sink().labels(alert)["alertname"] == expected)
    }

    @Test(arguments: [firing, resolved])
    func thePostedBodyMatchesTheV2Schema(alert: Alert) async throws {
        let receiver = try LoopbackReceiver()
        let sink = try Self.sink(url: receiver.url("/am/"), generatorURL: "http://127.0.0.1:9464/api/v1/jobs")
        try await sink.deliver(alert)
        let requests = try receiver.requests()
        try #require(requests.count == 1)
        #expect(requests[0].method == "POST")
        #expect(requests[0].path == "/am/api/v2/alerts")
        #expect(requests[0].headers["content-type"] == "application/json")
        #expect(try Self.validate(requests[0].body) == "")

        // The schema's types field by field, and the date-times as RFC 3339.
        let posted = try Self.decode(Data(requests[0].body.utf8))
        let labels = try #require(posted["labels"] as? [String: Any])
        #expect(labels.values.allSatisfy { $0 is String })
        #expect(Set(labels.keys) == ["alertname", "service", "job", "condition", "host"])
        #expect(labels.keys.allSatisfy { $0.wholeMatch(of: /[a-zA-Z_][a-zA-Z0-9_]*/) != nil })
        #expect((posted["annotations"] as? [String: Any])?.values.allSatisfy { $0 is String } == true)
        let dateTime = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/
        for key in ["startsAt", "endsAt"] {
            let value = try #require(posted[key] as? String, "\(key) missing")
            #expect(value.wholeMatch(of: dateTime) != nil, "\(key) \(value)")
        }
        #expect(posted["generatorURL"] as? String == "http://127.0.0.1:9464/api/v1/jobs")
        if alert.status == .resolved { #expect(posted["endsAt"] as? String == alert.at.rfc3339) }
    }

    @Test func anAlertmanagerThatRefusesThrows() async throws {
        let receiver = try LoopbackReceiver(status: 400)
        let sink = try Self.sink(url: receiver.url())
        let error = await #expect(throws: SinkError.self) { try await sink.deliver(Self.firing) }
        #expect(error?.code == .rejected)
        #expect(error?.httpStatus == 400)
    }

    @Test func anAlertmanagerThatIsDownThrows() async throws {
        let receiver = try LoopbackReceiver()
        receiver.stop()
        let sink = try Self.sink(url: receiver.url())
        let error = await #expect(throws: SinkError.self) { try await sink.deliver(Self.firing) }
        #expect(error?.code == .transport)
    }

    @Test func theEndpointAndItsRedactedForm() throws {
        let sink = try Self.sink(url: "https://admin:pa55@am.example.org/prefix/?x=1")
        #expect(sink.endpoint.absoluteString == "https://admin:pa55@am.example.org/prefix/api/v2/alerts?x=1")
        #expect(sink.redacted == "alertmanager https://am.example.org:443/prefix/…")
        #expect(sink.key == "3:alertmanager")
    }

    /// Validates a body against ``schema`` with the `jsonschema` Python package; returns its complaint, if any.
    static func validate(_ body: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json, sys, jsonschema\n"
                + "jsonschema.validate(json.loads(sys.argv[2]), json.loads(sys.argv[1]),"
                + " format_checker=jsonschema.FormatChecker())",
            schema, body,
        ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "" : String(decoding: complaint, as: UTF8.self)
    }
}
