internal import Glibc
import HeartlineCore
import HeartlineInput
import Synchronization

/// The work of a follower's thread: finds the files, reads them, notices rotation, hands lines over.
///
/// Runs until the channel is cancelled, checking at least every `pollInterval`; all blocking calls
/// (glob, stat, open, read, poll on inotify) happen here and nowhere else. Not `Sendable`: it is
/// created on the thread and never leaves it.
final class FollowLoop {
    let patterns: [GlobPattern]
    let options: FollowOptions
    let now: @Sendable () -> Instant
    let channel: EventChannel
    let clock = ContinuousClock()
    var savedPositions: [String: [FilePosition]]
    var watched: [String: WatchedPath] = [:]
    var order: [String] = []
    private var patternStates: [String: PatternState] = [:]
    private var watcher: DirectoryWatcher?
    /// Directories inotify could not watch, with the reason, as last reported: they are polled.
    private var polled: [String: String] = [:]
    let buffer: UnsafeMutableRawBufferPointer
    private var batch: [FileLine] = []
    private var batchBytes = 0
    /// Time spent handing events over (blocked while the consumer is behind), kept apart from reading.
    private var waitedInDelivery = Duration.zero
    private var nextRescan: ContinuousClock.Instant
    private var nextPoll: ContinuousClock.Instant
    private var lastPoll: ContinuousClock.Instant
    private var rescanRequested = false
    /// Whether inotify reported a write and an early poll is already scheduled.
    private var writeNoticed = false
    /// Whether a file had more to read than one pass takes: poll again without waiting.
    private var busy = false
    /// Chunks one file may read in one pass before the other files get their turn.
    private static let chunksPerPass = 16
    /// The shortest time between two polls that inotify write notices bring forward: a log written
    /// thousands of times a second is then read in a hundred passes, not thousands.
    private static let writeNoticeGap = Duration.milliseconds(10)

    /// Prepares the loop; nothing is opened until ``run()``.
    ///
    /// - Parameters:
    ///   - globs: The file patterns.
    ///   - resumeFrom: Saved positions.
    ///   - options: Intervals and sizes.
    ///   - now: The wall clock for `readAt`.
    ///   - channel: Where events go.
    init(
        globs: [String], resumeFrom: [FilePosition], options: FollowOptions, now: @escaping @Sendable () -> Instant,
        channel: EventChannel
    ) {
        self.patterns = globs.map(GlobPattern.init)
        self.options = options
        self.now = now
        self.channel = channel
        self.savedPositions = Dictionary(grouping: resumeFrom, by: \.path)
        self.buffer = .allocate(byteCount: options.chunkSize, alignment: 16)
        self.nextRescan = clock.now
        self.nextPoll = clock.now
        self.lastPoll = clock.now
    }

    deinit {
        buffer.deallocate()
    }

    /// Follows the files until the consumer goes away, then closes every descriptor.
    func run() {
        defer {
            watched = [:]
            watcher = nil
            channel.threadStopped()
        }
        let inotifyProblem: String?
        if options.usesInotify {
            watcher = DirectoryWatcher(countDescriptors: channel.countDescriptors, maxWatches: options.maxWatches)
            inotifyProblem = watcher == nil ? SystemCallError("cannot create an inotify instance").message : nil
        } else {
            inotifyProblem = nil
        }
        do throws(Stopped) {
            if let inotifyProblem {
                // The per-user instance limit (fs.inotify.max_user_instances), or no kernel support.
                try send(
                    .problem(
                        path: "inotify",
                        message: "\(inotifyProblem); every file is polled every \(options.pollInterval) instead"))
            }
            try rescan(initial: true)
            // Open every file found now, so that its start ("from the end" on a first start) is
            // where it ends at this moment, before the consumer is told reading has begun.
            for path in order {
                if let followed = watched[path] { try checkPath(followed) }
            }
            try send(.ready)
            while true {
                try pollAll()
                try flush()
                try waitForWork()
                if rescanRequested || clock.now >= nextRescan {
                    try rescan(initial: false)
                }
            }
        } catch {
            // The consumer is gone; the deferred cleanup closes everything.
        }
    }

    // MARK: Waiting

    /// Sleeps until the next poll or rescan is due; inotify notices bring them forward.
    private func waitForWork() throws(Stopped) {
        while true {
            guard !channel.isCancelled else { throw Stopped() }
            let now = clock.now
            let due = min(nextPoll, nextRescan)
            if busy || rescanRequested || now >= due {
                return
            }
            // poll(2) skips a negative descriptor: no inotify, or a write already noticed.
            let changes = writeNoticed ? -1 : watcher?.descriptor ?? -1
            var requests = [
                pollfd(fd: channel.wakeDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: changes, events: Int16(POLLIN), revents: 0),
            ]
            let milliseconds = Self.milliseconds(roundingUp: now.duration(to: due))
            if poll(&requests, 2, milliseconds) > 0, requests[1].revents != 0, let watcher {
                noteChanges(watcher.readChanges())
            }
        }
    }

    /// Brings the next poll forward for notices that matter: a rescan at once when a file
    /// appeared, vanished or moved where a pattern could match it (or notices were lost), a poll
    /// soon when a followed file was written.
    private func noteChanges(_ changes: DirectoryWatcher.Changes) {
        rescanRequested = rescanRequested || changes.mustRescan
        for change in changes.entries {
            let followed = watched[change.path] != nil
            if !change.contentOnly && (followed || patterns.contains { $0.matches(change.path) }) {
                rescanRequested = true
            } else if change.contentOnly && followed && !writeNoticed {
                writeNoticed = true
                nextPoll = min(nextPoll, lastPoll + Self.writeNoticeGap)
            }
        }
    }

    // MARK: Finding files

    /// Expands every pattern, starts following new paths, and updates the directory watches.
    ///
    /// - Parameter initial: Whether this is the first scan, where files without a saved position
    ///   start at their end and saved files rotated away while stopped are looked for.
    private func rescan(initial: Bool) throws(Stopped) {
        rescanRequested = false
        nextRescan = clock.now + options.rescanInterval
        var directories = Set<String>()
        var problems: [(GlobPattern, String?)] = []
        for pattern in patterns {
            directories.insert(pattern.baseDirectory)
            let paths = pattern.expand().filter(Self.isRegularFile)
            for path in paths {
                directories.insert(Self.directory(of: path))
                if let followed = watched[path] {
                    followed.openBlocked = false
                } else {
                    watched[path] = WatchedPath(path: path, start: initial ? .resumeOrEnd : .beginning)
                    order.append(path)
                }
            }
            problems.append(
                (pattern, pattern.baseDirectoryProblem() ?? (paths.isEmpty ? Self.emptyMatchProblem(pattern) : nil)))
        }
        if initial {
            try recoverSavedFilesOfMissingPaths()
        }
        for path in order {
            directories.insert(Self.directory(of: path))
        }
        order.sort()
        if let watcher {
            try notePolled(watcher.watch(directories))
        } else if options.usesInotify {
            // No inotify instance at all (reported once at start): every directory is polled.
            channel.directoriesPolled.store(directories.count, ordering: .releasing)
        }
        // Problems are reported once the directories are watched, so that a file created in answer
        // to one (or just after it) is noticed at once, not at the next rescan.
        for (pattern, problem) in problems { try update(pattern, problem: problem, initial: initial) }
        channel.rescans.add(1, ordering: .releasing)
    }

    /// Reports each directory newly polled because inotify cannot watch it, and counts those polled.
    private func notePolled(_ failed: [String: String]) throws(Stopped) {
        for (directory, reason) in failed.sorted(by: { $0.key < $1.key }) where polled[directory] != reason {
            try send(
                .problem(
                    path: directory,
                    message: "not watched with inotify (\(reason)); polled every \(options.pollInterval) instead"))
        }
        polled = failed
        channel.directoriesPolled.store(failed.count, ordering: .releasing)
    }

    /// Reports a pattern's problem once per change: at once on the first scan, else only after it
    /// has lasted a whole rescan interval, so that the moment between a rename and the creation of
    /// the new file during rotation is not reported.
    private func update(_ pattern: GlobPattern, problem: String?, initial: Bool) throws(Stopped) {
        var state = patternStates[pattern.pattern, default: PatternState()]
        defer { patternStates[pattern.pattern] = state }
        let now = clock.now
        if problem != state.observed {
            state.observed = problem
            state.observedSince = now
        }
        guard let problem else {
            state.reported = nil
            return
        }
        guard problem != state.reported else { return }
        let lasted = state.observedSince.map { $0.duration(to: now) >= options.rescanInterval } ?? false
        if initial || lasted {
            state.reported = problem
            try send(.problem(path: pattern.pattern, message: problem))
        }
    }

    // MARK: Reading

    /// Checks every followed path for rotation and reads what was written.
    private func pollAll() throws(Stopped) {
        busy = false
        writeNoticed = false
        lastPoll = clock.now
        nextPoll = lastPoll + options.pollInterval
        for path in order {
            guard let followed = watched[path] else { continue }
            try checkPath(followed)
            // A rotated-away file's lines come before the new file's, so the new one waits.
            if try readDraining(followed) {
                try readCurrent(followed)
            }
        }
        let gone = order.filter { path in
            guard let followed = watched[path] else { return true }
            return !followed.exists && followed.current == nil && followed.draining.isEmpty
        }
        if !gone.isEmpty {
            for path in gone {
                watched[path] = nil
            }
            order.removeAll { watched[$0] == nil }
        }
    }

    /// Notices that the path names another file (rename or delete, then create) or nothing, and
    /// opens the file it names now.
    private func checkPath(_ followed: WatchedPath) throws(Stopped) {
        var status = stat()
        guard stat(followed.path, &status) == 0 else {
            let error = SystemCallError("cannot stat")
            if error.code == ENOENT || error.code == ENOTDIR {
                followed.exists = false
                try rotateAway(followed)
            } else {
                try report(error.message, for: followed)
            }
            return
        }
        followed.exists = true
        // A directory or FIFO in the file's place is no log; a literal pattern reports it.
        guard status.st_mode & S_IFMT == S_IFREG else {
            try rotateAway(followed)
            return
        }
        if let current = followed.current {
            if current.device == UInt64(status.st_dev) && current.inode == UInt64(status.st_ino) {
                return
            }
            try rotateAway(followed)
        }
        guard !followed.openBlocked else { return }
        try openFile(for: followed)
    }

    /// Moves the path's file to the draining list: it is read to its end and kept a grace period.
    ///
    /// A truncation since the last read is reported first, as it came first: a copytruncate soon
    /// followed by a rename, before this poll, is two rotations.
    private func rotateAway(_ followed: WatchedPath) throws(Stopped) {
        guard let current = followed.current else { return }
        try restartIfTruncated(current, of: followed)
        followed.current = nil
        current.rotatedAt = clock.now
        followed.draining.append(current)
        let deleted = current.status().map { $0.links == 0 } ?? false
        try send(.rotated(path: followed.path, kind: deleted ? .recreate : .rename))
    }

    /// Opens the file the path names, at the position its start mode gives.
    private func openFile(for followed: WatchedPath) throws(Stopped) {
        let file: FollowedFile
        do {
            file = try FollowedFile(
                opening: followed.path, as: followed.path, maxLineBytes: options.maxLineBytes, clock: clock,
                countDescriptors: channel.countDescriptors)
        } catch {
            // Vanished between stat and open: the next poll sees it gone. Anything else waits for a rescan.
            if error.code != ENOENT {
                followed.openBlocked = true
                try report(error.message, for: followed)
            }
            return
        }
        switch followed.start {
        case .beginning:
            break
        case .resumeOrEnd:
            try position(file, of: followed, saved: savedPositions.removeValue(forKey: followed.path) ?? [])
        }
        followed.start = .beginning
        followed.current = file
        followed.problem = nil
        try send(.opened(file.position))
        try examine(file)
    }

    /// Looks at a file's first bytes once it has some; a binary file is reported once, and never read.
    private func examine(_ file: FollowedFile) throws(Stopped) {
        guard file.examine(), case .binary(let reason) = file.content else { return }
        try send(.problem(path: file.path, message: InputSniffer.binaryMessage(reason)))
        channel.binaryFilesRefused.add(1, ordering: .releasing)
    }

    /// Reads rotated-away files to their end and closes those idle for the grace period.
    ///
    /// - Returns: Whether every one was read to its end.
    private func readDraining(_ followed: WatchedPath) throws(Stopped) -> Bool {
        var index = 0
        while index < followed.draining.count {
            let file = followed.draining[index]
            try restartIfTruncated(file, of: followed)
            switch try read(file) {
            case .moreAvailable:
                busy = true
                return false
            case .failed(let error):
                try report(error.message, for: followed)
                try closeDraining(file, of: followed, at: index)
                continue
            case .endOfFile:
                break
            }
            let idleSince = max(file.lastGrowth, file.rotatedAt ?? file.lastGrowth)
            if idleSince.duration(to: clock.now) >= options.rotatedFileGrace {
                try closeDraining(file, of: followed, at: index)
            } else {
                index += 1
            }
        }
        return true
    }

    private func closeDraining(_ file: FollowedFile, of followed: WatchedPath, at index: Int) throws(Stopped) {
        try file.flushPartialLine(readAt: now(), emit: add)
        followed.draining.remove(at: index)
        try send(.closed(file.position))
    }

    /// Starts a file again at byte 0 if it was truncated in place since it was last read, whether
    /// the path still names it or it was renamed away: read on from the old offset, it would skip
    /// (or cut into) the lines written after the truncation.
    private func restartIfTruncated(_ file: FollowedFile, of followed: WatchedPath) throws(Stopped) {
        guard let size = file.status()?.size, file.wasTruncated(size: size) else { return }
        // The bytes written between the last read and the truncation went only to the copy.
        try file.flushPartialLine(readAt: now(), emit: add)
        file.restartFromBeginning()
        try send(.rotated(path: followed.path, kind: .copytruncate))
        try send(.opened(file.position))
    }

    /// Reads the path's current file, after restarting it if it was truncated in place.
    private func readCurrent(_ followed: WatchedPath) throws(Stopped) {
        guard let file = followed.current else { return }
        try restartIfTruncated(file, of: followed)
        switch try read(file) {
        case .moreAvailable:
            busy = true
        case .failed(let error):
            // Kept open at its position: the next poll tries again, and nothing is read twice.
            try report(error.message, for: followed)
        case .endOfFile:
            if file.hasPartialLine && file.lastGrowth.duration(to: clock.now) >= options.partialLineTimeout {
                try file.flushPartialLine(readAt: now(), emit: add)
            }
        }
    }

    private func read(_ file: FollowedFile) throws(Stopped) -> FollowedFile.ReadOutcome {
        try examine(file)
        guard file.content == .text else { return .endOfFile }
        let started = clock.now
        let waitedBefore = waitedInDelivery
        defer {
            // Time blocked on a slow consumer is not reading.
            let spent = (started.duration(to: clock.now) - (waitedInDelivery - waitedBefore)).components
            let nanoseconds = spent.seconds * 1_000_000_000 + spent.attoseconds / 1_000_000_000
            channel.readNanoseconds.add(max(0, nanoseconds), ordering: .relaxed)
        }
        let offset = file.readOffset
        let outcome = try file.read(into: buffer, chunks: Self.chunksPerPass, clock: clock, now: now, emit: add)
        channel.bytesRead.add(Int(max(0, file.readOffset - offset)), ordering: .releasing)
        return outcome
    }

    // MARK: Handing over

    /// Reports a path's problem unless it is the one reported last.
    private func report(_ message: String, for followed: WatchedPath) throws(Stopped) {
        guard followed.problem != message else { return }
        followed.problem = message
        try send(.problem(path: followed.path, message: message))
    }

    /// Adds a line to the batch, handing the batch over when it is full.
    private func add(_ line: FileLine) throws(Stopped) {
        batch.append(line)
        batchBytes += line.bytes.count
        if batch.count >= options.batchLines || batchBytes >= options.batchBytes {
            try flush()
        }
    }

    /// Hands over the lines batched so far.
    private func flush() throws(Stopped) {
        guard !batch.isEmpty else { return }
        let lines = batch
        batch = []
        batchBytes = 0
        try deliver(.lines(lines))
    }

    /// Hands over an event after the lines before it.
    func send(_ event: FileEvent) throws(Stopped) {
        try flush()
        try deliver(event)
    }

    private func deliver(_ event: FileEvent) throws(Stopped) {
        let started = clock.now
        defer { waitedInDelivery += started.duration(to: clock.now) }
        guard channel.send(event) else { throw Stopped() }
    }

    // MARK: Helpers

    /// A duration as whole milliseconds for `poll(2)`, rounded up so that a wait never ends early.
    private static func milliseconds(roundingUp duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        return Int32(clamping: seconds * 1000 + (attoseconds + perMillisecond - 1) / perMillisecond)
    }

    /// Why a pattern matches no regular file: for a literal path, whether it is missing or not a file.
    private static func emptyMatchProblem(_ pattern: GlobPattern) -> String {
        guard pattern.isLiteral else { return "no file matches" }
        var status = stat()
        return stat(pattern.pattern, &status) == 0 ? "not a regular file" : "no such file"
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    // MARK: State

    /// Thrown through the reading code when the consumer has gone: unwind and stop.
    struct Stopped: Error {}

    /// How a path's first file is started.
    enum Start {
        /// Found at the first scan: resume from a saved position, else start at the end.
        case resumeOrEnd
        /// Appeared later, or replaced a file that was read: start at byte 0.
        case beginning
    }

    /// One followed path: the file it names now and the files rotated away from it.
    final class WatchedPath {
        let path: String
        var start: Start
        /// The file the path named when last checked.
        var current: FollowedFile?
        /// Renamed or deleted files still read for late writes, oldest first; read before `current`.
        var draining: [FollowedFile] = []
        /// The problem last reported for the path, so that each is reported once.
        var problem: String?
        /// Opening failed for a reason other than the file vanishing: retried at the next rescan.
        var openBlocked = false
        /// Whether the path existed when last checked.
        var exists = true

        init(path: String, start: Start) {
            self.path = path
            self.start = start
        }
    }

    /// What was last seen of a pattern: a missing base directory, or no match.
    struct PatternState {
        var reported: String?
        var observed: String?
        var observedSince: ContinuousClock.Instant?
    }
}
