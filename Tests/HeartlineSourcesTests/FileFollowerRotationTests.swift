import Foundation
import HeartlineCore
import Testing

@testable import HeartlineSources

/// Each test runs with inotify and with polling alone, the fallback when inotify is unavailable.
struct FileFollowerRotationTests {
    @Test(arguments: [true, false])
    func renamedFileIsReadToItsEndBeforeTheNewFile(usesInotify: Bool) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        let follower = FileFollower(globs: [path], options: fastOptions(usesInotify: usesInotify), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            writer.write("old 1\nold 2\n")
            #expect(rename(path, path + ".1") == 0)
            writer.write("late to the old file\n")
            try writer.reopen()
            writer.write("new 1\n")
            try await recorder.wait(for: "four lines") { $0.lines.count == 4 }
            try await recorder.wait(for: "the old file to be closed") { recorder in
                recorder.events.contains { if case .closed = $0 { true } else { false } }
            }
            #expect(recorder.rotations == [.rename])
            let old = recorder.lines.filter { $0.position.identity.inode == recorder.opened[0].identity.inode }
            let oldTexts = old.map { String(decoding: $0.bytes, as: UTF8.self) }
            #expect(oldTexts == ["old 1", "old 2", "late to the old file"])
            #expect(recorder.texts.last == "new 1")
        }
    }

    @Test(arguments: [true, false])
    func deletedAndRecreatedFileIsDrainedThenTheNewOneReadFromTheStart(usesInotify: Bool) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        let follower = FileFollower(globs: [path], options: fastOptions(usesInotify: usesInotify), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            writer.write("before delete\n")
            #expect(unlink(path) == 0)
            try writer.reopen()
            writer.write("after recreate\n")
            try await recorder.wait(for: "two lines") { $0.lines.count == 2 }
            #expect(recorder.texts == ["before delete", "after recreate"])
            #expect(recorder.rotations == [.recreate])
            #expect(recorder.lines.last?.position.offset == 15)
        }
    }

    @Test(arguments: [true, false])
    func copytruncateRestartsAtTheBeginning(usesInotify: Bool) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        let follower = FileFollower(globs: [path], options: fastOptions(usesInotify: usesInotify), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            writer.write("first line before the truncation\n")
            try await recorder.wait(for: "a line") { $0.lines.count == 1 }
            #expect(truncate(path, 0) == 0)
            writer.write("after\n")
            try await recorder.wait(for: "the line after") { $0.lines.count == 2 }
            #expect(recorder.texts == ["first line before the truncation", "after"])
            #expect(recorder.rotations == [.copytruncate])
            #expect(recorder.lines.last?.position.offset == 6)
        }
    }

    @Test func truncationOutgrownBeforeThePollIsStillNoticedByTheFirstBytes() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        // A poll interval far longer than the test, so that only the fingerprint can tell.
        let options = FollowOptions(pollInterval: .seconds(30), rescanInterval: .seconds(30))
        let follower = FileFollower(globs: [path], options: options, now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            writer.write("aaaa\n")
            try await recorder.wait(for: "a line") { $0.lines.count == 1 }
            #expect(truncate(path, 0) == 0)
            writer.write("bbbb\ncccc\n")
            try await recorder.wait(for: "the lines after") { $0.lines.count == 3 }
            #expect(recorder.texts == ["aaaa", "bbbb", "cccc"])
            #expect(recorder.rotations == [.copytruncate])
        }
    }

    /// A copytruncate followed by a rename before the follower looks at the file again (logrotate
    /// rotating twice in a row; the daemon's twelve-rotation test hit it): the renamed file must be
    /// read again from its start, not on from the offset read before the truncation, which lies at
    /// or past the end of what the truncated file holds. The consumer is held so that the thread
    /// blocks in the hand-over, with the old lines read, while the file is truncated, written,
    /// renamed and replaced. With `sameLength` the truncated file gets as many bytes as were read
    /// from it, so that only its first bytes tell.
    @Test(arguments: [true, false], [true, false])
    func fileTruncatedThenRenamedBeforeThePollIsReadAgainFromTheStart(
        usesInotify: Bool, sameLength: Bool
    ) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        // One line per event and one event in flight: the thread blocks on the third line at the latest.
        let options = fastOptions(batchLines: 1, maxPendingBatches: 1, usesInotify: usesInotify)
        let follower = FileFollower(globs: [path], options: options, now: { testNow })
        let gate = ConsumerGate()
        try await following(follower, gate: gate) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            try await waitUntil("the consumer to take the opening") { follower.consumerIsWaiting }
            gate.close()
            let old = (1...4).map { "old line \($0)" }
            writer.write(old.map { $0 + "\n" }.joined())
            // Blocked on a line, not still on `.ready`: that hand-over can look blocked a moment
            // after the consumer took `.opened`, before the old lines were read, and truncated
            // unread they would be gone for good (about 1 run in 30).
            try await waitUntil("the thread to block on the held consumer after an old line") {
                follower.linesHandedOver >= 1 && follower.isBlockedByConsumer
            }
            #expect(truncate(path, 0) == 0)
            let truncated = sameLength ? (1...4).map { "new line \($0)" } : ["new 1", "new 2"]
            writer.write(truncated.map { $0 + "\n" }.joined())
            #expect(rename(path, path + ".1") == 0)
            try writer.reopen()
            let replacement = ["after the rename 1", "after the rename 2"]
            writer.write(replacement.map { $0 + "\n" }.joined())
            gate.open()
            // Once the renamed file is closed it has been read to its end; the marker, written
            // after that, shows the new file was read to its end too.
            try await recorder.wait(for: "the renamed file to be closed") { recorder in
                recorder.events.contains { if case .closed = $0 { true } else { false } }
            }
            writer.write("marker\n")
            try await recorder.wait(for: "the marker line") { $0.texts.last == "marker" }
            #expect(recorder.texts == old + truncated + replacement + ["marker"])
            #expect(recorder.rotations == [.copytruncate, .rename])
        }
    }

    @Test func inotifyNoticesNewFilesWritesAndRenamesLongBeforeThePoll() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let options = FollowOptions(pollInterval: .seconds(30), rescanInterval: .seconds(30))
        let follower = FileFollower(globs: [directory.file("*.log")], options: options, now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the empty pattern's problem") { !$0.problems.isEmpty }
            let writer = try LogWriter(path)
            writer.write("created\n")
            try await recorder.wait(for: "the new file's line", timeout: .seconds(5)) { $0.lines.count == 1 }
            #expect(rename(path, path + ".1") == 0)
            try writer.reopen()
            writer.write("after rename\n")
            try await recorder.wait(for: "the renamed file's successor", timeout: .seconds(5)) { $0.lines.count == 2 }
            #expect(recorder.texts == ["created", "after rename"])
            #expect(recorder.rotations == [.rename])
        }
    }

    /// 100,000 numbered lines written while the log is rotated 12 times: 10 renames (half of them
    /// with a line written to the old file after the rename, as a program does until it reopens),
    /// one copytruncate and one delete-and-recreate. Every line must arrive exactly once, in order
    /// within each file.
    ///
    /// The writer writes 100 lines at a time, about one write a millisecond. Two limits of following
    /// by polling are respected as a real log's rotation does, by hours:
    /// - A file must have been opened before it is rotated away: one renamed out of the pattern
    ///   before the follower ever saw it cannot be found. So before each rotation the writer waits
    ///   until the follower has opened the file at the path (it usually has, within 10 ms).
    /// - Copytruncate has an inherent race (logrotate's, not the follower's): lines written after
    ///   the follower's last read and before the truncation exist only in the copy. The writer
    ///   pauses before it copies and truncates until the follower has seen every line so far, which
    ///   is what a quiet moment in a real log amounts to; it writes on at once after the truncation.
    @Test(arguments: [true, false])
    func everyLineIsSeenExactlyOnceThroughTwelveRotations(usesInotify: Bool) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.log")
        let writer = try LogWriter(path)
        let options = fastOptions(usesInotify: usesInotify)
        let follower = FileFollower(globs: [directory.file("*.log")], options: options, now: { testNow })
        let total = 100_000
        let linesPerWrite = 100
        let rotationEvery = total / 13
        let started = ContinuousClock.now
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            // The live file, the inotify instance if any, and the wake-up pair.
            let descriptorsWhenSettled = follower.openDescriptorCount
            var rotations = 0
            var number = 0
            while number < total {
                var chunk = ""
                for _ in 0..<min(linesPerWrite, total - number) {
                    number += 1
                    chunk += "line \(number) of the rotation test\n"
                }
                writer.write(chunk)
                if number / rotationEvery > rotations && rotations < 12 {
                    rotations += 1
                    try await rotate(path, writer: writer, kind: rotations, number: &number, recorder: recorder)
                }
                // Paces the writer, as a real program's lines come over time; not a wait for the follower.
                try await Task.sleep(for: .milliseconds(1))
            }
            try await recorder.wait(for: "all lines", timeout: .seconds(60)) { $0.lines.count >= total }
            let elapsed = started.duration(to: .now)
            // Anything read twice would come after the last line. Once every rotated file is closed
            // none can be read again, and a marker line in the live file that arrives after that
            // shows the follower read the live file to its end.
            try await waitUntil("the rotated files to be closed") {
                follower.openDescriptorCount == descriptorsWhenSettled
            }
            writer.write("marker\n")
            try await recorder.wait(for: "the marker line") { $0.texts.last == "marker" }
            #expect(recorder.lines.count == total + 1)
            #expect(recorder.texts.filter { $0 == "marker" }.count == 1)
            print("100k-line rotation test (inotify: \(usesInotify)): \(elapsed) for \(total) lines, 12 rotations")

            var seen = [Int](repeating: 0, count: total + 1)
            var lastByFile: [String: Int] = [:]
            var outOfOrder = 0
            for line in recorder.lines.dropLast() {
                let text = String(decoding: line.bytes, as: UTF8.self)
                let number = try #require(Int(text.split(separator: " ")[1]))
                seen[number] += 1
                let file = "\(line.position.identity.device):\(line.position.identity.inode)"
                if let last = lastByFile[file], last >= number {
                    outOfOrder += 1
                }
                lastByFile[file] = number
            }
            #expect(seen.dropFirst().allSatisfy { $0 == 1 })
            #expect(outOfOrder == 0)
            #expect(recorder.lines.allSatisfy { !$0.truncated })
            let kinds = recorder.rotations
            #expect(kinds.filter { $0 == .rename }.count == 10)
            #expect(kinds.filter { $0 == .copytruncate }.count == 1)
            #expect(kinds.filter { $0 == .recreate }.count == 1)
        }
    }

    /// Rotation `kind` (1...12): the 6th is a copytruncate, the 9th a delete and recreate, the
    /// others renames; odd renames write ten more lines to the old file after renaming it.
    private func rotate(
        _ path: String, writer: LogWriter, kind: Int, number: inout Int, recorder: Recorder
    ) async throws {
        let written = number
        var status = stat()
        #expect(stat(path, &status) == 0)
        let inode = UInt64(status.st_ino)
        try await recorder.wait(for: "the follower to open the file before it is rotated") {
            $0.opened.last?.identity.inode == inode
        }
        switch kind {
        case 6:
            try await recorder.wait(for: "the follower to catch up before copytruncate", timeout: .seconds(30)) {
                $0.lines.count >= written
            }
            try FileManager.default.copyItem(atPath: path, toPath: path + ".copied")
            #expect(truncate(path, 0) == 0)
        case 9:
            #expect(unlink(path) == 0)
            try writer.reopen()
        default:
            #expect(rename(path, path + ".\(kind)") == 0)
            if kind % 2 == 1 {
                for _ in 0..<10 {
                    number += 1
                    writer.write("line \(number) of the rotation test, late\n")
                }
            }
            try writer.reopen()
        }
    }
}
