/// What a ``FileFollower`` reports: lines, and the changes of the files it follows.
///
/// For one followed path, events come in the order things happened: a file is `opened` and its
/// `lines` follow; a `rotated` announces that the path names another file (or none) or was
/// truncated, and the new file's `opened` comes as soon as it exists. The old file's remaining
/// lines still come before any line of the new one; it is `closed` once it has been idle for
/// `rotatedFileGrace`. The daemon keeps one saved position per path, device and inode: it saves
/// the position of every `opened` (so that a restart before the first line still resumes at the
/// right place) and of the last line it processed, and forgets a file's position once it is `closed`.
public enum FileEvent: Sendable {
    /// Lines read, in file order for each file; at most `batchLines` of them.
    case lines([FileLine])
    /// Reading a file starts (or restarts after a copytruncate) at this position.
    case opened(FilePosition)
    /// The file at a followed path was renamed, truncated, or deleted.
    ///
    /// After a rename or delete the old file is still read to its end; its lines carry the path.
    case rotated(path: String, kind: Rotation)
    /// A rotated-away file was read to its end and closed; its saved position is no longer needed.
    case closed(FilePosition)
    /// A followed path or pattern is missing, unreadable, or failed to read; reported once per change.
    ///
    /// The follower keeps watching, and reads the file again once the problem goes away.
    case problem(path: String, message: String)
    /// Every file the first scan found has its start fixed: its `opened` (or its `problem`) came
    /// before this. Sent once, before any line is read; a line written after it is read.
    ///
    /// The daemon waits for it before it tells systemd it is ready (`READY=1`).
    case ready

    /// How a followed file was rotated.
    public enum Rotation: String, Hashable, Sendable {
        /// The path now names another file, or nothing; the old file was renamed (logrotate's default).
        case rename
        /// The file was truncated in place after being copied (logrotate's `copytruncate`); at a
        /// restart, also a saved file whose inode now holds other first bytes.
        case copytruncate
        /// The old file was deleted (its link count is 0); a new one is or will be created at the path.
        case recreate
    }
}
