import Foundation
import HeartlineCore
import HeartlineSources
import Testing

struct FileFollowerLifecycleTests {
    @Test func slowConsumerHoldsTheThreadAtMostMaxPendingBatchesAhead() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("big.log")
        let total = 100_000
        var content = ""
        for number in 1...total {
            content += "line \(number)\n"
        }
        let follower = FileFollower(
            globs: [directory.file("*.log")], options: fastOptions(batchLines: 100, maxPendingBatches: 2),
            now: { testNow })
        var iterator = follower.events().makeAsyncIterator()
        // The directory is empty at the start, so the file is read from its beginning.
        guard case .problem = await iterator.next() else {
            Issue.record("expected the empty pattern's problem first")
            return
        }
        guard case .ready = await iterator.next() else {
            Issue.record("expected the first scan to be reported done")
            return
        }
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        guard case .opened = await iterator.next() else {
            Issue.record("expected the file to be opened")
            return
        }
        try await waitUntil("the thread to block on the full channel") { follower.isBlockedByConsumer }
        // Two batches queued, one blocked in the hand-over: nothing more has been read.
        #expect(follower.linesHandedOver <= 3 * 100)
        var received = 0
        var lastNumber = 0
        while received < total, let event = await iterator.next() {
            guard case .lines(let lines) = event else { continue }
            for line in lines {
                let number = Int(String(decoding: line.bytes, as: UTF8.self).split(separator: " ")[1]) ?? 0
                #expect(number == lastNumber + 1)
                lastNumber = number
            }
            received += lines.count
            #expect(follower.linesHandedOver - received <= 3 * 100)
        }
        #expect(received == total)
    }

    @Test func cancellingTheConsumerStopsTheThreadAtOnceAndClosesEveryDescriptor() async throws {
        let directory = try TemporaryDirectory()
        let writers = try ["a.log", "b.log"].map { try LogWriter(directory.file($0)) }
        // A poll interval far longer than the test: the thread must be woken, not time out.
        let options = FollowOptions(pollInterval: .seconds(30), rescanInterval: .seconds(30))
        let follower = FileFollower(globs: [directory.file("*.log")], options: options, now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "both files to be opened") { $0.opened.count == 2 }
            #expect(follower.isRunning)
            // Two files, the inotify instance, and the wake-up socket pair.
            #expect(follower.openDescriptorCount == 5)
            #expect(descriptorsOpen(under: directory.path).count == 4)
        }
        let stopping = ContinuousClock.now
        try await waitUntilStopped(follower)
        #expect(stopping.duration(to: .now) < .seconds(1))
        #expect(follower.openDescriptorCount == 0)
        #expect(descriptorsOpen(under: directory.path).count == writers.count)
    }

    @Test func cancellingStopsAThreadBlockedByBackpressure() async throws {
        let directory = try TemporaryDirectory()
        try Data(String(repeating: "a line\n", count: 50_000).utf8).write(
            to: URL(fileURLWithPath: directory.file("late.log") + ".tmp"))
        let follower = FileFollower(
            globs: [directory.file("*.log")], options: fastOptions(batchLines: 10, maxPendingBatches: 1),
            now: { testNow })
        let events = follower.events()
        let recorder = Recorder()
        let consumer = Task {
            for await event in events {
                recorder.record(event)
                // A consumer that takes a few events (the problem, ready, opened, the first lines),
                // then stalls without reading on (until it is cancelled, which ends the sleep).
                if recorder.events.count == 4 {
                    try? await Task.sleep(for: .seconds(60))
                }
            }
        }
        try await recorder.wait(for: "the empty pattern's problem") { !$0.problems.isEmpty }
        #expect(rename(directory.file("late.log") + ".tmp", directory.file("late.log")) == 0)
        try await recorder.wait(for: "the first lines") { !$0.lines.isEmpty }
        try await waitUntil("the thread to block on the stalled consumer") { follower.isBlockedByConsumer }
        #expect(follower.linesHandedOver <= 30)
        #expect(follower.isRunning)
        consumer.cancel()
        let stopped = ContinuousClock.now
        try await waitUntilStopped(follower)
        #expect(stopped.duration(to: .now) < .seconds(1))
        #expect(follower.openDescriptorCount == 0)
        #expect(descriptorsOpen(under: directory.path).isEmpty)
        await consumer.value
    }

    @Test func leavingTheLoopEarlyStopsTheThread() async throws {
        let directory = try TemporaryDirectory()
        let writer = try LogWriter(directory.file("app.log"))
        let follower = FileFollower(globs: [directory.file("app.log")], options: fastOptions(), now: { testNow })
        do {
            for await event in follower.events() {
                if case .opened = event {
                    break
                }
            }
        }
        writer.write("after the consumer left\n")
        try await waitUntilStopped(follower)
        #expect(follower.openDescriptorCount == 0)
        #expect(descriptorsOpen(under: directory.path) == [directory.file("app.log")])
    }
}
