import Foundation
import Testing

@testable import HeartlineDaemon

/// Risky set-ups are accepted with a warning at the place they are about (issue 17): a wildcard
/// listen address for the unauthenticated status API, and configuration files that others than
/// their owner can write.
struct ConfigWarningTests {
    @Test(arguments: [
        ("0.0.0.0:9464", true), ("[::]:9464", true), ("::9464", false), (":9464", true), ("*:9464", true),
        ("127.0.0.1:9464", false), ("[::1]:9464", false), ("192.0.2.7:9464", false),
    ])
    func wildcardHostsAreEveryInterface(listen: String, wildcard: Bool) {
        #expect(DaemonConfiguration.isWildcard(host: listen) == wildcard)
    }

    @Test func checkWarnsOfAWildcardListenAndAWorldWritablePatternFileAndStillPasses() throws {
        let directory = try CheckConfigTests.makeDirectory(
            config: "patterns: patterns.d\nhttp: { listen: \"0.0.0.0:9464\" }\n",
            patterns: ["app.yaml": CheckConfigTests.goodService])
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("etc/heartline.yaml").path
        let pattern = directory.appendingPathComponent("etc/patterns.d/app.yaml").path
        #expect(chmod(pattern, 0o666) == 0)
        let result = try DaemonProcess.run(["check", "--config", config], in: directory)
        #expect(result.status == 0)
        #expect(
            result.stderr.split(separator: "\n").map(String.init) == [
                "\(config):2:17: warning: 'listen' 0.0.0.0:9464 serves the unauthenticated status API on every"
                    + " interface; use 127.0.0.1 or a single address that only trusted hosts reach",
                "\(pattern):1:1: warning: anyone may write this file (mode 666), and so decide what Heartline"
                    + " watches and where its alerts go; make it writable by its owner only (chmod go-w)",
            ])
        #expect(result.stdout.hasSuffix("; no errors\n"))
    }

    @Test func aSafeSetUpHasNoWarning() throws {
        let directory = try CheckConfigTests.makeDirectory(
            config: "patterns: patterns.d\n", patterns: ["app.yaml": CheckConfigTests.goodService])
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in ["etc/heartline.yaml", "etc/patterns.d/app.yaml"] {
            #expect(chmod(directory.appendingPathComponent(file).path, 0o644) == 0)
        }
        let result = try DaemonProcess.run(
            ["check", "--config", directory.appendingPathComponent("etc/heartline.yaml").path], in: directory)
        #expect(result.status == 0)
        #expect(result.stderr == "")
    }

    /// A file owned by another user than root or Heartline's own is named in a warning.
    @Test func aFileOwnedByAnotherUserIsNamed() throws {
        let directory = try CheckConfigTests.makeDirectory(config: "patterns: patterns.d\n", patterns: [:])
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("etc/heartline.yaml").path
        #expect(chmod(file, 0o644) == 0)
        // As another user would see it: the file is root's (or the test's), not user 4242's.
        let problem = DaemonConfiguration.ownershipProblem(file, user: 4242)
        if getuid() == 0 {
            #expect(problem == nil, "root's files are trusted")
        } else {
            #expect(problem?.hasPrefix("this file belongs to user \(getuid()), neither root nor") == true)
        }
    }
}
