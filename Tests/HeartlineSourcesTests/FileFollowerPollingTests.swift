import Foundation
import HeartlineCore
import Testing

@testable import HeartlineSources

/// Issue 17, item 4: falling back from inotify to polling is said, per directory, and counted.
struct FileFollowerPollingTests {
    /// With the watch limit reached (`maxWatches: 0` stands in for `fs.inotify.max_user_watches`),
    /// the directory is reported once as polled and counted, and its lines are still read.
    @Test func aDirectoryInotifyCannotWatchIsReportedCountedAndPolled() async throws {
        let directory = try TemporaryDirectory()
        let writer = try LogWriter(directory.file("app.log"))
        var options = fastOptions()
        options.maxWatches = 0
        let follower = FileFollower(globs: [directory.file("*.log")], options: options, now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the polling to be reported") { !$0.problems.isEmpty }
            writer.write("written while polled\n")
            try await recorder.wait(for: "the line") { $0.texts == ["written while polled"] }
            try await waitForRescans(follower.rescans + 2, of: follower)
            let expected =
                "not watched with inotify (the per-user inotify watch limit is reached "
                + "(fs.inotify.max_user_watches)); polled every 0.01 seconds instead"
            #expect(recorder.problems == ["\(directory.path): \(expected)"])
            #expect(follower.directoriesPolled == 1)
        }
    }

    @Test func aWatchedDirectoryIsNotCountedAsPolled() async throws {
        let directory = try TemporaryDirectory()
        _ = try LogWriter(directory.file("app.log"))
        let follower = FileFollower(globs: [directory.file("*.log")], options: fastOptions(), now: { testNow })
        try await following(follower) { recorder in
            try await recorder.wait(for: "the file to be opened") { !$0.opened.isEmpty }
            try await waitForRescans(follower.rescans + 2, of: follower)
            #expect(recorder.problems.isEmpty)
            #expect(follower.directoriesPolled == 0)
        }
    }
}
