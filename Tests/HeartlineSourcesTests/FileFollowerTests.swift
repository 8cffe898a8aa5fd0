import Foundation
import HeartlineCore
import HeartlineSources
import Testing

struct FileFollowerTests {
    @Test func fileThatExistsAtStartIsFollowedFromItsEnd() async throws {
        let directory = try TemporaryDirectory()
        let writer = try LogWriter(directory.file("app.log"))
        writer.write("old one\nold two\n")
        let follower = FileFollower(globs: [directory.file("*.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            writer.write("new one\n")
            try await recorder.wait(for: "the new line") { !$0.lines.isEmpty }
            #expect(recorder.opened.map(\.offset) == [16])
            #expect(recorder.texts == ["new one"])
            #expect(recorder.lines.first?.position.offset == 24)
            #expect(recorder.lines.first?.path == directory.file("app.log"))
            #expect(recorder.lines.first?.readAt == testNow)
            #expect(recorder.lines.first?.truncated == false)
        }
    }

    /// `ready` comes once, after every existing file is opened at its end as of that moment (and
    /// a pattern's problem), before any line: a line written after it is read.
    @Test func readyComesOnceAfterEveryExistingFileIsPositioned() async throws {
        let directory = try TemporaryDirectory()
        let writers = try ["a.log", "b.log"].map { try LogWriter(directory.file($0)) }
        writers[0].write("old\n")
        let follower = FileFollower(
            globs: [directory.file("*.log"), directory.file("missing/*.log")], options: fastOptions(),
            now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "ready") { recorder in
                recorder.events.contains { if case .ready = $0 { true } else { false } }
            }
            writers[0].write("new a\n")
            writers[1].write("new b\n")
            try await recorder.wait(for: "both new lines") { $0.lines.count == 2 }
            let kinds = recorder.events.map { event -> String in
                switch event {
                case .opened(let position): "opened \(position.path.suffix(5)) \(position.offset)"
                case .problem: "problem"
                case .ready: "ready"
                case .lines: "lines"
                default: "other"
                }
            }
            #expect(kinds.prefix(4).sorted() == ["opened a.log 4", "opened b.log 0", "problem", "ready"].sorted())
            #expect(kinds[3] == "ready")
            #expect(kinds.filter { $0 == "ready" }.count == 1)
            #expect(Set(recorder.texts) == ["new a", "new b"])
        }
    }

    @Test func timeSpentReadingIsCountedForTheDaemonsStageCosts() async throws {
        let directory = try TemporaryDirectory()
        let follower = FileFollower(globs: [directory.file("app.log")], options: fastOptions(), now: { testNow })
        #expect(follower.readSeconds == 0)
        let lines = (0..<20_000).map { "line \($0) of a file being read\n" }.joined()
        try await following(follower) { recorder in
            try await recorder.wait(for: "the missing file to be reported") { !$0.problems.isEmpty }
            // A file that appears later is read from its beginning.
            try Data(lines.utf8).write(to: URL(fileURLWithPath: directory.file("app.log")))
            try await recorder.wait(for: "every line") { $0.lines.count == 20_000 }
            // Reading 640 KB takes some time, and far less than a second.
            #expect(follower.readSeconds > 0)
            #expect(follower.readSeconds < 1)
        }
    }

    @Test func unfinishedLastLineAtStartIsReadWholeOnceItsNewlineComes() async throws {
        let directory = try TemporaryDirectory()
        let writer = try LogWriter(directory.file("app.log"))
        writer.write("old\nhalf of a li")
        let follower = FileFollower(globs: [directory.file("app.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            writer.write("ne\n")
            try await recorder.wait(for: "the line") { !$0.lines.isEmpty }
            #expect(recorder.opened.map(\.offset) == [4])
            #expect(recorder.texts == ["half of a line"])
        }
    }

    @Test func fileThatAppearsLaterIsReadFromItsBeginning() async throws {
        let directory = try TemporaryDirectory()
        let follower = FileFollower(globs: [directory.file("*.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the empty pattern to be reported") { !$0.problems.isEmpty }
            try Data("first\nsecond\n".utf8).write(to: URL(fileURLWithPath: directory.file("late.log")))
            try Data("ignored\n".utf8).write(to: URL(fileURLWithPath: directory.file("late.txt")))
            try await recorder.wait(for: "both lines") { $0.lines.count >= 2 }
            #expect(recorder.opened.map(\.offset) == [0])
            #expect(recorder.texts == ["first", "second"])
            #expect(recorder.problems == ["\(directory.file("*.log")): no file matches"])
        }
    }

    @Test func followingResumesAfterTheSavedPositionSoNoLineIsSeenTwiceOrLost() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        let first = FileFollower(globs: [path], options: fastOptions(), now: { testNow })
        let saved = try await following(first) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            writer.write("one\ntwo\n")
            try await recorder.wait(for: "two lines") { $0.lines.count == 2 }
            return try #require(recorder.lines.last?.position)
        }
        writer.write("three\nfour\n")
        let second = FileFollower(globs: [path], resumeFrom: [saved], options: fastOptions(), now: { testNow })
        try await following(second) { recorder in
            try await recorder.wait(for: "the lines written while stopped") { $0.lines.count == 2 }
            #expect(recorder.opened.map(\.offset) == [8])
            #expect(recorder.texts == ["three", "four"])
            #expect(recorder.lines.last?.position.offset == 19)
        }
    }

    @Test func savedFileRotatedWhileStoppedIsFinishedBeforeTheNewOne() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        let first = FileFollower(globs: [path], options: fastOptions(), now: { testNow })
        let saved = try await following(first) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            writer.write("one\n")
            try await recorder.wait(for: "a line") { $0.lines.count == 1 }
            return try #require(recorder.lines.last?.position)
        }
        writer.write("two\n")
        #expect(rename(path, path + ".1") == 0)
        try writer.reopen()
        writer.write("three\n")
        let second = FileFollower(globs: [path], resumeFrom: [saved], options: fastOptions(), now: { testNow })
        try await following(second) { recorder in
            try await recorder.wait(for: "both files' lines") { $0.lines.count == 2 }
            #expect(recorder.texts == ["two", "three"])
            #expect(recorder.rotations == [.rename])
            #expect(recorder.lines.first?.position.identity.inode == saved.identity.inode)
            #expect(recorder.lines.last?.position.offset == 6)
        }
    }

    @Test func savedFileTruncatedWhileStoppedIsReadFromTheStart() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        let first = FileFollower(globs: [path], options: fastOptions(), now: { testNow })
        let saved = try await following(first) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            writer.write("a rather long first line\n")
            try await recorder.wait(for: "a line") { $0.lines.count == 1 }
            return try #require(recorder.lines.last?.position)
        }
        #expect(truncate(path, 0) == 0)
        writer.write("short\n")
        let second = FileFollower(globs: [path], resumeFrom: [saved], options: fastOptions(), now: { testNow })
        try await following(second) { recorder in
            try await recorder.wait(for: "the new line") { $0.lines.count == 1 }
            #expect(recorder.texts == ["short"])
            #expect(recorder.rotations == [.copytruncate])
        }
    }

    @Test func savedPositionDoesNotApplyToANewFileThatReusedTheInode() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        try Data("fresh content that is longer than before\n".utf8).write(to: URL(fileURLWithPath: path))
        var status = stat()
        #expect(stat(path, &status) == 0)
        // A position saved for an earlier file with this inode: its first bytes were different.
        let stale = FilePosition(
            path: path,
            identity: FileIdentity(
                device: UInt64(status.st_dev), inode: UInt64(status.st_ino), fingerprint: 42, fingerprintLength: 10),
            offset: 5)
        let follower = FileFollower(globs: [path], resumeFrom: [stale], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the line") { $0.lines.count == 1 }
            #expect(recorder.texts == ["fresh content that is longer than before"])
        }
    }

    @Test func partialLineCompletedLaterIsOneLine() async throws {
        let directory = try TemporaryDirectory()
        let writer = try LogWriter(directory.file("app.log"))
        let follower = FileFollower(globs: [directory.file("app.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            let before = follower.bytesRead
            writer.write("job fini")
            try await waitUntil("the partial line to be read") { follower.bytesRead >= before + 8 }
            // A rescan follows the pass that read it and handed over what it found.
            try await waitForRescans(1, of: follower)
            #expect(recorder.lines.isEmpty)
            writer.write("shed\r\n")
            try await recorder.wait(for: "the line") { !$0.lines.isEmpty }
            #expect(recorder.texts == ["job finished"])
            #expect(recorder.lines.first?.position.offset == 14)
        }
    }

    @Test func partialLineIsHandedOutAfterTheTimeoutWithoutGrowth() async throws {
        let directory = try TemporaryDirectory()
        let writer = try LogWriter(directory.file("app.log"))
        let options = fastOptions(partialLineTimeout: .milliseconds(200))
        let follower = FileFollower(globs: [directory.file("app.log")], options: options, now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            let written = ContinuousClock.now
            writer.write("no newline yet")
            try await recorder.wait(for: "the flushed partial line") { !$0.lines.isEmpty }
            #expect(written.duration(to: .now) >= .milliseconds(200))
            writer.write(" and the rest\n")
            try await recorder.wait(for: "the rest") { $0.lines.count == 2 }
            #expect(recorder.texts == ["no newline yet", " and the rest"])
            #expect(recorder.lines.map(\.position.offset) == [14, 28])
        }
    }

    @Test func lineOverTheLimitIsCutAndFlaggedAndTheNextLineIsIntact() async throws {
        let directory = try TemporaryDirectory()
        let writer = try LogWriter(directory.file("app.log"))
        let follower = FileFollower(globs: [directory.file("app.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            let long = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000)
            writer.write("before\n")
            writer.write(long)
            writer.write("\nafter\n")
            try await recorder.wait(for: "three lines") { $0.lines.count == 3 }
            let lines = recorder.lines
            #expect(lines.map(\.truncated) == [false, true, false])
            #expect(lines[1].bytes == [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20))
            #expect(lines[2].bytes == Array("after".utf8))
            #expect(lines.map(\.position.offset) == [7, 10_000_008, 10_000_014])
        }
    }

    @Test func nulBytesAndInvalidUTF8PassThroughUntouched() async throws {
        let directory = try TemporaryDirectory()
        let writer = try LogWriter(directory.file("app.log"))
        let follower = FileFollower(globs: [directory.file("app.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            // Text first: a file that starts with mostly such bytes is refused as binary.
            writer.write("a line of plain text comes first\n")
            writer.write([0x61, 0x00, 0x62, 0xFF, 0xFE, 0x0A, 0x00, 0x0A, 0xED, 0xA0, 0x80, 0x0A])
            try await recorder.wait(for: "four lines") { $0.lines.count == 4 }
            #expect(
                recorder.lines.dropFirst().map(\.bytes) == [
                    [0x61, 0x00, 0x62, 0xFF, 0xFE], [0x00], [0xED, 0xA0, 0x80],
                ])
        }
    }

    @Test func missingDirectoryIsReportedOnceAndFollowedOnceItExists() async throws {
        let directory = try TemporaryDirectory()
        let pattern = directory.file("later/*.log")
        let follower = FileFollower(globs: [pattern], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the problem") { !$0.problems.isEmpty }
            try await waitForRescans(2, of: follower)
            let missing = "directory \(directory.file("later")): no such file or directory"
            #expect(recorder.problems == ["\(pattern): \(missing)"])
            try FileManager.default.createDirectory(atPath: directory.file("later"), withIntermediateDirectories: true)
            try Data("hello\n".utf8).write(to: URL(fileURLWithPath: directory.file("later/app.log")))
            try await recorder.wait(for: "the line") { !$0.lines.isEmpty }
            #expect(recorder.texts == ["hello"])
            #expect(recorder.problems.count == 1)
        }
    }

    @Test func fileReplacedByADirectoryIsReportedOnceAndFollowedAgainWhenAFileReturns() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        let follower = FileFollower(globs: [path], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            #expect(rename(path, path + ".1") == 0)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try await recorder.wait(for: "the problem") { !$0.problems.isEmpty }
            try await waitForRescans(2, of: follower)
            #expect(recorder.problems == ["\(path): not a regular file"])
            #expect(recorder.rotations == [.rename])
            try FileManager.default.removeItem(atPath: path)
            try writer.reopen()
            writer.write("back\n")
            try await recorder.wait(for: "the line") { !$0.lines.isEmpty }
            #expect(recorder.texts == ["back"])
            #expect(recorder.problems.count == 1)
        }
    }
}
