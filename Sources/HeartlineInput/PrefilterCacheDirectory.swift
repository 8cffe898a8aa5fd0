internal import CZlib
import Glibc
public import HeartlineRegex

/// A ``PrefilterCache`` kept as files in one directory, one file per compiled pattern set.
///
/// A file is named `prefilter-HASH.hsdb` (HASH: the 64-bit FNV-1a hash of the key, in hex) and
/// holds the magic line `heartline-prefilter-cache 1`, the key's length (UInt32) and bytes, the
/// value's length (UInt64) and bytes, and a CRC-32 (zlib's) of everything before it; integers are
/// little-endian. A file is used only when all of that checks out and its key equals the key asked
/// for byte for byte, so a hash collision, a torn write or a damaged file costs a compile and
/// nothing else. Files are written to a temporary name and renamed into place, so concurrent
/// processes never read half a file. Storing keeps the ``keptFiles`` most recently used files and
/// deletes older ones (a successful read counts as a use).
///
/// A file is read only when it belongs to the current user and no one else may write it.
/// Failures (a missing or read-only directory, a full disk) are silent: the cache is an
/// optimisation, never a dependency.
public struct PrefilterCacheDirectory: PrefilterCache {
    /// How many compiled sets stay on disk; older ones go when a new one is stored.
    public static let keptFiles = 16
    /// Files larger than this (bytes) are not read: no set Heartline compiles comes near it.
    static let largestFile = 256 * 1024 * 1024
    private static let magic = Array("heartline-prefilter-cache 1\n".utf8)

    /// The directory; created (mode 0700, with its parents) on the first store.
    public let path: String

    /// Creates a cache in `path`, which need not exist yet.
    ///
    /// - Parameter path: The directory.
    public init(path: String) {
        self.path = path
    }

    /// The directory the command-line tool uses: `$HEARTLINE_CACHE_DIR` when set, else
    /// `$XDG_CACHE_HOME/heartline`, else `$HOME/.cache/heartline` (the XDG Base Directory
    /// specification's default); nil when none of these variables is set.
    ///
    /// - Parameter environment: The process environment.
    public static func standard(environment: [String: String]) -> PrefilterCacheDirectory? {
        if let directory = environment["HEARTLINE_CACHE_DIR"], !directory.isEmpty {
            return PrefilterCacheDirectory(path: directory)
        }
        if let base = environment["XDG_CACHE_HOME"], base.hasPrefix("/") {
            return PrefilterCacheDirectory(path: base + "/heartline")
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return PrefilterCacheDirectory(path: home + "/.cache/heartline")
        }
        return nil
    }

    public func value(for key: [UInt8]) -> [UInt8]? {
        let file = filePath(for: key)
        guard let bytes = Self.readFile(file) else { return nil }
        guard let value = Self.unwrap(bytes, key: key) else { return nil }
        // Mark it used, for pruning.
        _ = utimensat(AT_FDCWD, file, nil, 0)
        return value
    }

    public func store(_ value: [UInt8], for key: [UInt8]) {
        guard Self.makeDirectories(path) else { return }
        let file = filePath(for: key)
        // A name no other thread or process picks, created exclusively.
        let temporary = "\(file).\(getpid()).\(String(UInt64.random(in: .min ... .max), radix: 16)).tmp"
        guard Self.writeFile(temporary, Self.wrap(value, key: key)) else {
            unlink(temporary)
            return
        }
        guard rename(temporary, file) == 0 else {
            unlink(temporary)
            return
        }
        prune()
    }

    /// The file for `key`.
    func filePath(for key: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\(path)/prefilter-\(String(repeating: "0", count: 16 - hex.count))\(hex).hsdb"
    }

    static func wrap(_ value: [UInt8], key: [UInt8]) -> [UInt8] {
        var bytes = magic
        withUnsafeBytes(of: UInt32(key.count).littleEndian) { bytes += $0 }
        bytes += key
        withUnsafeBytes(of: UInt64(value.count).littleEndian) { bytes += $0 }
        bytes += value
        withUnsafeBytes(of: checksum(bytes[...]).littleEndian) { bytes += $0 }
        return bytes
    }

    static func unwrap(_ bytes: [UInt8], key: [UInt8]) -> [UInt8]? {
        let keyStart = magic.count + 4
        let valueStart = keyStart + key.count + 8
        guard bytes.count >= valueStart + 4, bytes.starts(with: magic) else { return nil }
        guard littleEndian(bytes[magic.count..<keyStart]) == UInt64(key.count),
            bytes[keyStart..<keyStart + key.count].elementsEqual(key),
            littleEndian(bytes[(valueStart - 8)..<valueStart]) == UInt64(bytes.count - valueStart - 4),
            littleEndian(bytes[(bytes.count - 4)...]) == UInt64(checksum(bytes[..<(bytes.count - 4)]))
        else { return nil }
        return Array(bytes[valueStart..<(bytes.count - 4)])
    }

    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { ($0 << 8) | UInt64($1) }
    }

    private static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(truncatingIfNeeded: crc32(0, buffer.baseAddress, UInt32(buffer.count)))
        }
    }

    private static func readFile(_ file: String) -> [UInt8]? {
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        // Only a file this user wrote: a database planted by another user in a shared directory
        // would go straight to Vectorscan's loader.
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
            status.st_uid == geteuid(), status.st_mode & 0o022 == 0,
            status.st_size > 0, status.st_size <= largestFile
        else { return nil }
        let size = Int(status.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        let complete = bytes.withUnsafeMutableBytes { buffer in
            while done < size {
                let count = read(descriptor, buffer.baseAddress! + done, size - done)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                done += count
            }
            return true
        }
        return complete ? bytes : nil
    }

    private static func writeFile(_ file: String, _ bytes: [UInt8]) -> Bool {
        let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        var done = 0
        let complete = bytes.withUnsafeBytes { buffer in
            while done < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                done += count
            }
            return true
        }
        return close(descriptor) == 0 && complete
    }

    /// Creates `directory` and its missing parents; true when it exists afterwards.
    private static func makeDirectories(_ directory: String) -> Bool {
        var status = stat()
        if stat(directory, &status) == 0 { return (status.st_mode & S_IFMT) == S_IFDIR }
        if let slash = directory.lastIndex(of: "/"), slash != directory.startIndex {
            guard makeDirectories(String(directory[..<slash])) else { return false }
        }
        return mkdir(directory, 0o700) == 0 || errno == EEXIST
    }

    /// Deletes all but the ``keptFiles`` most recently used cache files.
    private func prune() {
        guard let stream = opendir(path) else { return }
        var files: [(used: Int, path: String)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix("prefilter-"), name.hasSuffix(".hsdb") else { continue }
            var status = stat()
            let file = "\(path)/\(name)"
            guard stat(file, &status) == 0 else { continue }
            files.append((status.st_mtim.tv_sec * 1_000_000_000 + status.st_mtim.tv_nsec, file))
        }
        closedir(stream)
        guard files.count > Self.keptFiles else { return }
        for file in files.sorted(by: { $0.used > $1.used }).dropFirst(Self.keptFiles) {
            unlink(file.path)
        }
    }
}
