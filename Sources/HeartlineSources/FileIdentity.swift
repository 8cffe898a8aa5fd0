/// Which file a position belongs to: its device and inode, and a fingerprint of its first bytes.
///
/// Device and inode name a file only while it exists: once a log is deleted its inode number is
/// free, and a file created later (after a restart, say) may get it. The fingerprint tells such a
/// file from the one read before: 64-bit FNV-1a over the first ``fingerprintLength`` bytes, at most
/// ``fingerprintLimit``. A file shorter than that when first seen gets a fingerprint over fewer
/// bytes, widened as the follower reads on, so identities taken of one file at different times
/// agree on ``device`` and ``inode`` but may differ in ``fingerprint`` and ``fingerprintLength``.
/// Key saved positions by path, device and inode, not by the whole identity; the follower decides
/// whether a saved identity still names the file at a path by hashing that file's first
/// ``fingerprintLength`` bytes again.
public struct FileIdentity: Hashable, Codable, Sendable {
    /// The most bytes a fingerprint covers: the first 1 KiB of a file.
    public static let fingerprintLimit = 1024

    /// The device the file is on (`st_dev`).
    public var device: UInt64
    /// The file's inode number on that device (`st_ino`).
    public var inode: UInt64
    /// FNV-1a (64-bit) over the file's first ``fingerprintLength`` bytes.
    public var fingerprint: UInt64
    /// How many of the file's first bytes ``fingerprint`` covers, 0...``fingerprintLimit``.
    public var fingerprintLength: Int

    /// Creates an identity.
    ///
    /// - Parameters:
    ///   - device: The device the file is on.
    ///   - inode: The file's inode number.
    ///   - fingerprint: FNV-1a (64-bit) over the file's first `fingerprintLength` bytes.
    ///   - fingerprintLength: How many bytes the fingerprint covers, at most ``fingerprintLimit``.
    public init(device: UInt64, inode: UInt64, fingerprint: UInt64, fingerprintLength: Int) {
        self.device = device
        self.inode = inode
        self.fingerprint = fingerprint
        self.fingerprintLength = fingerprintLength
    }

    /// FNV-1a's 64-bit offset basis: the fingerprint of no bytes.
    static let emptyFingerprint: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Continues an FNV-1a (64-bit) hash over more bytes.
    ///
    /// FNV-1a works a byte at a time, so hashing a prefix and then the bytes after it gives the
    /// hash of the whole; that is what lets a fingerprint widen as a short file grows.
    ///
    /// - Parameters:
    ///   - hash: The hash of the bytes before `bytes` (``emptyFingerprint`` for none).
    ///   - bytes: The next bytes.
    /// - Returns: The hash of the earlier bytes followed by `bytes`.
    static func fingerprint(continuing hash: UInt64, over bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = hash
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
