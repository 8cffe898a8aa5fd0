internal import Glibc

/// Picking up where a previous run stopped: saved positions, and saved files rotated away meanwhile.
extension FollowLoop {
    /// Places a file found at the first scan: at its saved position if it is the saved file, at 0 if
    /// it replaced the saved file (whose rest is looked for under its new name), else at its end.
    func position(_ file: FollowedFile, of followed: WatchedPath, saved: [FilePosition]) throws(Stopped) {
        guard !saved.isEmpty else {
            file.startAfterLastCompleteLine(buffer: buffer)
            return
        }
        let sameInode = saved.filter { $0.identity.device == file.device && $0.identity.inode == file.inode }
        for position in Self.furthestPerFile(saved) where !sameInode.contains(position) {
            try recoverRotated(position, into: followed, exclude: file)
        }
        guard !sameInode.isEmpty else { return }
        let size = file.status()?.size ?? 0
        let mine = sameInode.filter { file.isFile($0.identity) && $0.offset <= size }.max { $0.offset < $1.offset }
        if let mine {
            file.resume(at: mine.offset)
        } else {
            // Shorter than the saved offset, or other first bytes: truncated while the follower was
            // stopped (or, rarely, deleted and its inode given to a new file); either way it starts over.
            let saved = sameInode.map(\.offset).max() ?? 0
            let why =
                saved > size
                ? "the file is \(size) bytes now, shorter than the saved position (byte \(saved))"
                : "its first bytes are not those read before (saved position: byte \(saved), size now \(size))"
            channel.positionsDiscarded.add(1, ordering: .releasing)
            try send(
                .problem(
                    path: followed.path,
                    message: "\(why): it was truncated or rewritten while Heartline was stopped; reading it from byte 0"
                ))
            try send(.rotated(path: followed.path, kind: .copytruncate))
        }
    }

    /// Looks for a saved file under another name in its directory (logrotate's `app.log.1`) and, if
    /// found, reads its rest before the path's current file; else reports that its rest is lost.
    func recoverRotated(
        _ saved: FilePosition, into followed: WatchedPath, exclude current: FollowedFile?
    ) throws(Stopped) {
        if let file = findFile(saved, excluding: current) {
            file.resume(at: saved.offset)
            file.rotatedAt = clock.now
            followed.draining.append(file)
            try send(.rotated(path: saved.path, kind: .rename))
            try send(.opened(file.position))
            return
        }
        let directory = Self.directory(of: saved.path)
        try send(
            .problem(
                path: saved.path,
                message: "the file read before the restart (inode \(saved.identity.inode)) is no longer in "
                    + "\(directory); any lines written to it after byte \(saved.offset) were not read"))
    }

    private func findFile(_ saved: FilePosition, excluding current: FollowedFile?) -> FollowedFile? {
        let directory = Self.directory(of: saved.path)
        guard let stream = opendir(directory) else { return nil }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            let filePath = directory == "/" ? "/" + name : directory + "/" + name
            // stat(2), not d_ino: overlay file systems may report other inode numbers in readdir.
            var status = stat()
            guard stat(filePath, &status) == 0, UInt64(status.st_dev) == saved.identity.device,
                UInt64(status.st_ino) == saved.identity.inode, UInt64(status.st_ino) != current?.inode
            else { continue }
            guard
                let file = try? FollowedFile(
                    opening: filePath, as: saved.path, maxLineBytes: options.maxLineBytes, clock: clock,
                    countDescriptors: channel.countDescriptors),
                file.isFile(saved.identity), let size = file.status()?.size, size >= saved.offset
            else { continue }
            return file
        }
        return nil
    }

    /// At the first scan, saved positions of paths a pattern covers but that do not exist now: the
    /// file was rotated away while the follower was stopped and no new one was created. Its rest is
    /// read if the file is found under another name.
    func recoverSavedFilesOfMissingPaths() throws(Stopped) {
        for path in savedPositions.keys.sorted() where watched[path] == nil {
            guard patterns.contains(where: { $0.matches(path) }), let saved = savedPositions.removeValue(forKey: path)
            else { continue }
            let followed = WatchedPath(path: path, start: .beginning)
            followed.exists = false
            watched[path] = followed
            order.append(path)
            for position in Self.furthestPerFile(saved) {
                try recoverRotated(position, into: followed, exclude: nil)
            }
        }
    }

    /// The furthest saved position of each file (device and inode), so that a file saved more than
    /// once is read once, from where it was left.
    private static func furthestPerFile(_ positions: [FilePosition]) -> [FilePosition] {
        Dictionary(grouping: positions) { [$0.identity.device, $0.identity.inode] }.values
            .compactMap { $0.max { $0.offset < $1.offset } }
            .sorted { ($0.identity.device, $0.identity.inode) < ($1.identity.device, $1.identity.inode) }
    }
}
