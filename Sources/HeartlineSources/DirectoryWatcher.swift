internal import Glibc

/// Directory change notices through inotify, so that writes, new files and renames are seen at
/// once rather than at the next poll.
///
/// Polling stays the safety net: when `inotify_init1` fails (no kernel support, the per-user
/// instance limit) there is no watcher, and when a directory's watch cannot be added (the per-user
/// watch limit) that directory is only polled. Not `Sendable`: the follower's thread owns it.
final class DirectoryWatcher {
    /// One notice: a path in a watched directory and what happened to it.
    struct Change {
        /// The directory's path joined with the entry's name.
        var path: String
        /// Whether only the file's content or metadata changed, not which files the directory holds.
        var contentOnly: Bool
    }

    /// What one read of the queue found.
    struct Changes {
        /// Every notice about an entry, in the order the kernel queued them.
        var entries: [Change] = []
        /// Whether notices were lost (queue overflow) or a watched directory went away, so that
        /// every pattern must be expanded again.
        var mustRescan = false
    }

    /// The inotify descriptor, to wait on with `poll(2)`.
    let descriptor: Int32
    private var watchByDirectory: [String: Int32] = [:]
    private var directoryByWatch: [Int32: String] = [:]
    private let buffer: UnsafeMutableRawBufferPointer
    private let countDescriptors: (Int) -> Void
    /// At most this many watches, as if the per-user limit were reached beyond (tests); nil: the
    /// kernel's own limit.
    private let maxWatches: Int?

    private static let mask = UInt32(
        IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF
            | IN_MOVE_SELF | IN_ONLYDIR)
    private static let membershipMask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)
    private static let goneMask = UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)
    /// The fixed part of `struct inotify_event`: wd, mask, cookie, len (4 bytes each).
    private static let headerSize = 16

    /// Opens an inotify instance.
    ///
    /// - Parameters:
    ///   - countDescriptors: Told `1` when the descriptor opens and `-1` when it closes.
    ///   - maxWatches: At most this many watches (see ``FollowOptions``); nil for the kernel's limit.
    /// - Returns: `nil` when the kernel refuses one; the caller then polls.
    init?(countDescriptors: @escaping (Int) -> Void, maxWatches: Int? = nil) {
        self.maxWatches = maxWatches
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        countDescriptors(1)
        self.descriptor = descriptor
        self.countDescriptors = countDescriptors
        // Room for hundreds of events per read(2); the kernel never splits one.
        buffer = .allocate(byteCount: 64 * 1024, alignment: 8)
    }

    deinit {
        close(descriptor)
        countDescriptors(-1)
        buffer.deallocate()
    }

    /// Watches exactly these directories: adds the missing watches, removes the others.
    ///
    /// - Parameter directories: The directories whose entries matter now.
    /// - Returns: The directories that exist but could not be watched, with the reason (the per-user
    ///   watch limit, `fs.inotify.max_user_watches`); they are polled. Missing ones are left out:
    ///   their patterns report them.
    @discardableResult
    func watch(_ directories: Set<String>) -> [String: String] {
        var failed: [String: String] = [:]
        for (directory, watch) in watchByDirectory where !directories.contains(directory) {
            inotify_rm_watch(descriptor, watch)
            watchByDirectory[directory] = nil
            directoryByWatch[watch] = nil
        }
        for directory in directories where watchByDirectory[directory] == nil {
            let overLimit = maxWatches.map { watchByDirectory.count >= $0 } ?? false
            let watch = overLimit ? -1 : inotify_add_watch(descriptor, directory, Self.mask)
            // A directory that is missing or over the watch limit is polled; the next rescan retries.
            guard watch >= 0 else {
                if overLimit { Glibc.errno = ENOSPC }
                let error = SystemCallError("cannot watch it with inotify")
                if error.code == ENOSPC {
                    failed[directory] = "the per-user inotify watch limit is reached (fs.inotify.max_user_watches)"
                } else if error.code != ENOENT && error.code != ENOTDIR {
                    failed[directory] = error.message
                }
                continue
            }
            watchByDirectory[directory] = watch
            directoryByWatch[watch] = directory
        }
        return failed
    }

    /// Reads every queued notice without blocking.
    ///
    /// - Returns: The notices, and whether a full rescan is needed.
    func readChanges() -> Changes {
        var changes = Changes()
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            guard count > 0 else {
                // EAGAIN: the queue is empty. Any other failure: the poll fallback still works.
                return changes
            }
            var offset = 0
            while offset + Self.headerSize <= count {
                let watch = buffer.load(fromByteOffset: offset, as: Int32.self)
                let eventMask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                let nameLength = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                let name = UnsafeRawBufferPointer(rebasing: buffer[(offset + Self.headerSize)...])
                    .prefix(nameLength).prefix { $0 != 0 }
                offset += Self.headerSize + nameLength
                note(watch: watch, mask: eventMask, name: Array(name), into: &changes)
            }
        }
    }

    private func note(watch: Int32, mask: UInt32, name: [UInt8], into changes: inout Changes) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            changes.mustRescan = true
            return
        }
        guard let directory = directoryByWatch[watch] else { return }
        if mask & Self.goneMask != 0 {
            changes.mustRescan = true
            if mask & UInt32(IN_IGNORED) != 0 {
                directoryByWatch[watch] = nil
                watchByDirectory[directory] = nil
            }
            return
        }
        guard !name.isEmpty else { return }
        // Spelled as glob(3) spells its matches, so that notices compare equal to followed paths.
        let entry = String(decoding: name, as: UTF8.self)
        let path = directory == "." ? entry : directory + (directory.hasSuffix("/") ? "" : "/") + entry
        changes.entries.append(Change(path: path, contentOnly: mask & Self.membershipMask == 0))
    }
}
