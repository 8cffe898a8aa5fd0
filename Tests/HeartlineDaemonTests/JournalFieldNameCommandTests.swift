import Foundation
import Testing

/// A pattern file naming an export-format address (`__SEQNUM`) as a journal field is refused the
/// same way by `check`, `replay` and `run`: one parser, one field-name rule (README, "Journal
/// field names").
struct JournalFieldNameCommandTests {
    static let pattern = """
        source: { journal: { fields: { __SEQNUM: "5" } } }
        jobs: [{ name: a, success: done }]
        """

    @Test func checkReplayAndRunAllRefuseADoubleUnderscoreField() throws {
        let directory = try CheckConfigTests.makeDirectory(
            config: "patterns: patterns.d\nstate: state\n", patterns: ["seq.yaml": Self.pattern])
        defer { try? FileManager.default.removeItem(at: directory) }
        let patterns = directory.appendingPathComponent("etc/patterns.d").path
        let expected =
            "\(patterns)/seq.yaml:1:32: '__SEQNUM' is an address of the journal export format, not a field that"
            + " entries store; sd-journal cannot match on it, so remove it"
        let check = try DaemonProcess.run(["check", "--patterns", patterns], in: directory)
        #expect(check.status == 1)
        #expect(check.stderr.contains(expected), "\(check.stderr)")
        let input = directory.appendingPathComponent("empty.log")
        try Data().write(to: input)
        let replay = try DaemonProcess.run(["replay", "--patterns", patterns, input.path], in: directory)
        #expect(replay.status == 2)
        #expect(replay.stderr.contains(expected), "\(replay.stderr)")
        let config = directory.appendingPathComponent("etc/heartline.yaml").path
        let run = try DaemonProcess.run(["run", "--config", config], in: directory)
        #expect(run.status == 2)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
    }
}
