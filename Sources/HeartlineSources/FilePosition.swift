/// How far a file has been read: the bytes consumed up to the end of the last line handed out.
///
/// Save the position of the last line the daemon has processed, and pass it back as
/// `resumeFrom` after a restart: reading goes on with the line after it, so no line is lost or
/// seen twice. The position counts bytes consumed, the newline included; a partial last line that
/// has not been handed out yet is not part of it and is read again after a restart.
public struct FilePosition: Hashable, Codable, Sendable {
    /// The followed path the file had when it was read (a rotated file keeps the name it had).
    public var path: String
    /// Which file at that path.
    public var identity: FileIdentity
    /// Bytes from the start of the file consumed so far.
    public var offset: Int64

    /// Creates a position.
    ///
    /// - Parameters:
    ///   - path: The followed path.
    ///   - identity: Which file at that path.
    ///   - offset: Bytes consumed from the start of the file.
    public init(path: String, identity: FileIdentity, offset: Int64) {
        self.path = path
        self.identity = identity
        self.offset = offset
    }
}
