import Foundation
import Testing

/// `heartline check --config` (SPEC §5): the main configuration, its sinks and its pattern
/// directory checked as `heartline run` loads them, every error as `FILE:LINE:COLUMN: message`.
struct CheckConfigTests {
    /// The repository's root, where `contrib/` is.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A fresh directory holding `etc/heartline.yaml` and `etc/patterns.d/` with `patterns`.
    static func makeDirectory(config: String, patterns: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heartline-check-\(UUID())")
        let etc = directory.appendingPathComponent("etc")
        try FileManager.default.createDirectory(
            at: etc.appendingPathComponent("patterns.d"), withIntermediateDirectories: true)
        try config.write(to: etc.appendingPathComponent("heartline.yaml"), atomically: true, encoding: .utf8)
        for (name, text) in patterns {
            try text.write(
                to: etc.appendingPathComponent("patterns.d/\(name)"), atomically: true, encoding: .utf8)
        }
        return directory
    }

    static let goodService = """
        source: { files: [/var/log/app.log] }
        jobs:
          - name: worker
            success: 'job done'
            schedule: { every: 1h }
        """

    @Test func theShippedContribConfigurationPasses() throws {
        let result = try DaemonProcess.run(["check", "--config", "contrib/heartline.yaml"], in: Self.root)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("contrib/heartline.yaml: 1 sink; contrib/patterns.d: 3 services, "))
        #expect(result.stdout.hasSuffix("; no errors\n"))
    }

    /// Errors of the main file, its sinks and its pattern files come together, each at the key or
    /// value at fault, sorted by file, line and column; relative paths are taken from the
    /// configuration's directory; no value expanded from `${VAR}` is printed.
    @Test func everyErrorOfTheConfigurationItsSinksAndItsPatternFilesAtItsValue() throws {
        let directory = try Self.makeDirectory(
            config: """
                patterns: patterns.d
                stat: /var/lib/heartline
                http: { listen: "localhost" }
                heartbeat: { url: "ftp://hc-ping.com/${HC_UUID}", every: 1m }
                sinks:
                  - type: stdout
                  - type: webhook
                    url: "hooks.example.org/${HOOK_SECRET}"
                    headers: { Authorization: "Bearer ${TOKEN}" }
                  - type: alertmanager
                    url: ftp://127.0.0.1:9093
                  - type: exec
                    command: [""]
                """,
            patterns: [
                "app.yaml": Self.goodService,
                "backup.yaml": """
                jobs:
                  - name: nightly
                    success: 'snapshot (saved'
                    schedule: { every: 0s }
                    retries: 3
                """,
            ])
        let result = try DaemonProcess.run(
            ["check", "--config", "etc/heartline.yaml"], in: directory,
            environment: ["HC_UUID": "hc-uuid-secret", "HOOK_SECRET": "s3cr3t", "TOKEN": "t0k"])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines == [
                "etc/heartline.yaml:2:1: unknown key 'stat' in the main configuration; did you mean 'state'?",
                "etc/heartline.yaml:3:17: expected HOST:PORT for 'listen', such as \"127.0.0.1:9464\"",
                "etc/heartline.yaml:4:19: heartbeat 'url' must be an absolute http or https URL, "
                    + "such as https://hc-ping.com/UUID",
                "etc/heartline.yaml:8:10: webhook 'url' must be an absolute http or https URL, "
                    + "such as https://hooks.example.org/heartline",
                "etc/heartline.yaml:11:10: alertmanager 'url' must be an absolute http or https URL, "
                    + "such as http://127.0.0.1:9093",
                "etc/heartline.yaml:13:14: 'command' names no program",
                "etc/patterns.d/backup.yaml:3:30: invalid regular expression for 'success': "
                    + "missing closing parenthesis",
                "etc/patterns.d/backup.yaml:4:24: '0s' is not a valid duration: must be positive",
                "etc/patterns.d/backup.yaml:5:5: unknown key 'retries' in job; valid keys are 'name', 'success', "
                    + "'failure', 'start', 'ignore', 'measure', 'threshold', 'schedule', 'max_runtime', "
                    + "'min_runtime', 'run_key', 'failure_burst', 'min_count', 'ping_url', 'forget_after', "
                    + "'quiet_until_first_line', 'instances' and 'disable'",
                "",
            ])
        for secret in ["hc-uuid-secret", "s3cr3t", "t0k"] {
            #expect(!result.stderr.contains(secret))
        }
    }

    @Test func aMissingConfigurationFileIsAnError() throws {
        let directory = try Self.makeDirectory(config: "", patterns: [:])
        let result = try DaemonProcess.run(["check", "--config", "etc/nowhere.yaml"], in: directory)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(
            result.stderr
                == "etc/nowhere.yaml:1:1: no such file; name an existing main configuration, "
                + "such as /etc/heartline/heartline.yaml\n")
    }

    @Test func aMissingPatternDirectoryIsReportedAtThePatternsValue() throws {
        let directory = try Self.makeDirectory(config: "patterns: missing.d\n", patterns: [:])
        let result = try DaemonProcess.run(["check", "--config", "etc/heartline.yaml"], in: directory)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "etc/heartline.yaml:1:11: pattern directory etc/missing.d: no such file or directory; "
                + "'patterns' names the directory of service files\n")
    }

    /// A good configuration given by absolute path from another directory: its relative
    /// `patterns` is still found beside it.
    @Test func aGoodConfigurationPassesFromAnyDirectory() throws {
        let directory = try Self.makeDirectory(
            config: """
                patterns: patterns.d
                sinks:
                  - type: stdout
                  - type: webhook
                    url: https://hooks.example.org/heartline
                """,
            patterns: ["app.yaml": Self.goodService])
        let config = directory.appendingPathComponent("etc/heartline.yaml").path
        let result = try DaemonProcess.run(["check", "--config", config], in: Self.root)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let patterns = directory.appendingPathComponent("etc/patterns.d").path
        #expect(
            result.stdout
                == "\(config): 2 sinks; \(patterns): 1 services, 1 jobs, 1 patterns "
                + "(prefilter: 1 exact, 0 approximated, 0 PCRE2 only); no errors\n")
    }
}
