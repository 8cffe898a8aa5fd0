public import HeartlineCore

/// One line read from a followed file.
///
/// The bytes are the line without its `\n` (and without one `\r` before it, so CRLF files read
/// like LF files, as `LineReader` reads them in replay). They are not decoded: invalid UTF-8 and
/// NUL bytes come through as they are.
public struct FileLine: Sendable {
    /// The line's bytes, at most `maxLineBytes` of them.
    public var bytes: [UInt8]
    /// The position just after this line: save it once the line has been processed.
    public var position: FilePosition
    /// Whether the line was longer than `maxLineBytes` and cut to its first `maxLineBytes` bytes.
    public var truncated: Bool
    /// When the line was read, from the clock the follower was given.
    public var readAt: Instant

    /// Creates a line.
    ///
    /// - Parameters:
    ///   - bytes: The line's bytes without its ending.
    ///   - position: The position just after the line.
    ///   - truncated: Whether the line was cut short.
    ///   - readAt: When it was read.
    public init(bytes: [UInt8], position: FilePosition, truncated: Bool, readAt: Instant) {
        self.bytes = bytes
        self.position = position
        self.truncated = truncated
        self.readAt = readAt
    }

    /// The followed path the line came from (a rotated file's lines keep the name it had).
    public var path: String { position.path }
}
