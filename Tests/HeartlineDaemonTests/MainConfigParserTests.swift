import Testing

import HeartlineCore
import HeartlineSinks

@testable import HeartlineDaemon

struct MainConfigParserTests {
    static func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigErrors) -> MainConfig {
        try MainConfigParser.parse(text, path: "/etc/heartline/heartline.yaml", environment: environment)
    }

    @Test func anEmptyFileMeansEveryDefault() throws {
        let config = try Self.parse("")
        #expect(config.patterns == MainConfig.defaultPatterns)
        #expect(config.state == MainConfig.defaultState)
        #expect(config.listen == "127.0.0.1:9464")
        #expect(config.sinks.map(\.typeName) == ["stdout"])
        #expect(config.heartbeat == nil)
    }

    @Test func sinksParseWithFiltersAndVariables() throws {
        let config = try Self.parse(
            """
            patterns: patterns.d
            sinks:
              - type: webhook
                url: https://hooks.example.org/x
                headers: { Authorization: "Bearer ${TOKEN}" }
                services: [backup]
                conditions: [missing, failing]
              - type: exec
                command: [/usr/local/bin/page, --severity, high]
                timeout: 5s
              - type: alertmanager
                url: http://127.0.0.1:9093
                repost: 30s
            heartbeat: { url: "https://hc-ping.com/${CHECK}", every: 1m }
            """, environment: ["TOKEN": "t0k", "CHECK": "abc"])
        #expect(config.patterns == "/etc/heartline/patterns.d")
        #expect(
            config.sinks[0].kind
                == .webhook(url: "https://hooks.example.org/x", headers: ["Authorization": "Bearer t0k"], timeout: 10))
        #expect(config.sinks[0].services == ["backup"])
        #expect(config.sinks[0].conditions == [.missing, .failing])
        #expect(config.sinks[1].kind == .exec(command: ["/usr/local/bin/page", "--severity", "high"], timeout: 5))
        #expect(config.sinks[2].repostInterval == 30)
        #expect(config.heartbeat == SelfHeartbeat(url: "https://hc-ping.com/abc", every: 60))
    }

    @Test(arguments: [
        ("sinks:\n  - type: webhok\n", "2:11: unknown sink type 'webhok'; did you mean 'webhook'?"),
        ("sink: []\n", "1:1: unknown key 'sink' in the main configuration; did you mean 'sinks'?"),
        ("sinks:\n  - type: webhook\n    url: \"${NOPE}\"\n", "3:10: environment variable NOPE is not set"),
        ("sinks:\n  - type: stdout\n    repost: 1m\n", "3:5: 'repost' is for 'alertmanager' sinks"),
        ("http: { listen: nowhere }\n", "1:17: expected HOST:PORT for 'listen'"),
        ("sinks: []\n---\n", "2:1: the main configuration holds one YAML document; remove the '---' here"),
        ("sinks:\n  - type: stdout\n    services: [a, [b]]\n", "3:19: expected a string in 'services'"),
    ])
    func errorsNameFileLineAndColumn(text: String, expected: String) {
        #expect {
            _ = try Self.parse(text)
        } throws: { error in
            "\(error)".contains("/etc/heartline/heartline.yaml:\(expected)")
        }
    }

    @Test func discoverTakesItsFlagsAndARootRelativeToTheFile() throws {
        let config = try Self.parse("discover: { timers: true, root: tree }")
        #expect(config.discover == DiscoverSettings(timers: true, crontabs: false, root: "/etc/heartline/tree"))
        #expect(try Self.parse("").discover == nil)
        #expect(throws: ConfigErrors.self) { try Self.parse("discover: { timers: yes please }") }
        #expect(throws: ConfigErrors.self) { try Self.parse("discover: { timer: true }") }
    }
}
