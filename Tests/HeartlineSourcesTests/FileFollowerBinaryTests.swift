import Foundation
import HeartlineCore
import HeartlineSources
import Testing

/// A binary file that a glob matches is refused by the rule replay uses, and nothing is read from it.
struct FileFollowerBinaryTests {
    static let elfMessage = "looks like a binary file (ELF executable); not a log"

    /// `/bin/true` with a line a pattern would take for success appended: read as text, it would be
    /// a heartbeat.
    static func executableWithSuccessText() throws -> Data {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: "/bin/true"))
        bytes.append(contentsOf: Array("\nbackup finished ok\n".utf8))
        return bytes
    }

    /// Puts `bytes` at `path` in one step, through a name no glob of these tests matches.
    static func place(_ bytes: Data, at path: String) throws {
        try bytes.write(to: URL(fileURLWithPath: path + ".tmp"))
        #expect(rename(path + ".tmp", path) == 0)
    }

    static func lines(of path: String, in recorder: Recorder) -> [String] {
        recorder.lines.filter { $0.path == path }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test(arguments: [true, false])
    func executableIsReportedAndNotReadWhileTextBesideItIs(existsAtStart: Bool) async throws {
        let directory = try TemporaryDirectory()
        let binary = directory.file("tool.log")
        let text = try LogWriter(directory.file("app.log"))
        if existsAtStart {
            try Self.place(Self.executableWithSuccessText(), at: binary)
        }
        let follower = FileFollower(globs: [directory.file("*.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "ready") { recorder in
                recorder.events.contains { if case .ready = $0 { true } else { false } }
            }
            if existsAtStart {
                // Started at its end, a binary file would still yield what is appended to it.
                let writer = try LogWriter(binary)
                writer.write("backup finished ok\n")
            } else {
                try Self.place(Self.executableWithSuccessText(), at: binary)
            }
            text.write("backup finished ok\n")
            try await recorder.wait(for: "the binary file's problem") {
                $0.problems.contains("\(binary): \(Self.elfMessage)")
            }
            try await recorder.wait(for: "the text file's line") { !Self.lines(of: text.path, in: $0).isEmpty }
            try await waitForRescans(2, of: follower)
            #expect(Self.lines(of: binary, in: recorder).isEmpty)
            #expect(Self.lines(of: text.path, in: recorder) == ["backup finished ok"])
            #expect(recorder.problems == ["\(binary): \(Self.elfMessage)"])
            #expect(follower.binaryFilesRefused == 1)
        }
    }

    @Test func textFileReplacingABinaryOneAtItsPathIsRead() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("tool.log")
        let follower = FileFollower(globs: [directory.file("*.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the missing file to be reported") { !$0.problems.isEmpty }
            try Self.place(Self.executableWithSuccessText(), at: path)
            try await waitUntil("the binary file to be refused") { follower.binaryFilesRefused == 1 }
            try Self.place(Data("first\nsecond\n".utf8), at: path)
            try await recorder.wait(for: "the new file's lines") { Self.lines(of: path, in: $0).count == 2 }
            #expect(Self.lines(of: path, in: recorder) == ["first", "second"])
            #expect(recorder.problems.filter { $0.hasSuffix(Self.elfMessage) } == ["\(path): \(Self.elfMessage)"])
            #expect(follower.binaryFilesRefused == 1)
        }
    }

    /// An empty file is not binary: it is examined once it has bytes.
    @Test func emptyFileIsExaminedOnceItHasBytes() async throws {
        let directory = try TemporaryDirectory()
        let binary = directory.file("tool.log")
        let text = try LogWriter(directory.file("app.log"))
        let follower = FileFollower(globs: [directory.file("*.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "ready") { recorder in
                recorder.events.contains { if case .ready = $0 { true } else { false } }
            }
            let writer = try LogWriter(binary)
            try await recorder.wait(for: "both files to be opened") { $0.opened.count == 2 }
            writer.write(Array(try Self.executableWithSuccessText()))
            text.write("started\n")
            try await recorder.wait(for: "the binary file's problem") {
                $0.problems.contains("\(binary): \(Self.elfMessage)")
            }
            try await recorder.wait(for: "the text file's line") { !Self.lines(of: text.path, in: $0).isEmpty }
            try await waitForRescans(2, of: follower)
            #expect(Self.lines(of: binary, in: recorder).isEmpty)
            #expect(Self.lines(of: text.path, in: recorder) == ["started"])
            #expect(follower.binaryFilesRefused == 1)
        }
    }

    /// A binary file truncated in place and written with text is examined again, and read.
    @Test func binaryFileTruncatedAndWrittenWithTextIsRead() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("tool.log")
        let follower = FileFollower(globs: [directory.file("*.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the missing file to be reported") { !$0.problems.isEmpty }
            try Self.place(Self.executableWithSuccessText(), at: path)
            try await waitUntil("the binary file to be refused") { follower.binaryFilesRefused == 1 }
            #expect(truncate(path, 0) == 0)
            try await recorder.wait(for: "the truncation") { $0.rotations == [.copytruncate] }
            try LogWriter(path).write("after truncation\n")
            try await recorder.wait(for: "the line") { !Self.lines(of: path, in: $0).isEmpty }
            #expect(Self.lines(of: path, in: recorder) == ["after truncation"])
            #expect(follower.binaryFilesRefused == 1)
        }
    }
}
