import Foundation
import Testing

@testable import HeartlineInput

/// The on-disk prefilter cache gives back exactly what was stored under exactly the same key, and
/// nothing for a damaged or foreign file.
struct PrefilterCacheDirectoryTests {
    static let key = Array("vectorscan 5.4.9\npatterns 2\n5:alpha\n4:beta\n".utf8)
    static let value: [UInt8] = Array(0...255) + Array(repeating: 7, count: 1000)

    @Test func aStoredValueComesBackForTheSameKeyOnly() throws {
        let directory = try TemporaryDirectory()
        let cache = PrefilterCacheDirectory(path: directory.path + "/nested/cache")
        #expect(cache.value(for: Self.key) == nil)
        cache.store(Self.value, for: Self.key)
        #expect(cache.value(for: Self.key) == Self.value)
        #expect(cache.value(for: Self.key + [0x0A]) == nil)
        let mode = try FileManager.default.attributesOfItem(atPath: directory.path + "/nested/cache")[.posixPermissions]
        #expect(mode as? Int == 0o700)
    }

    @Test func aFileHoldingAnotherKeyIsNotUsed() throws {
        let directory = try TemporaryDirectory()
        let cache = PrefilterCacheDirectory(path: directory.path)
        let other = Array("another key".utf8)
        cache.store(Self.value, for: other)
        // As if the two keys' names collided: the file is there, but its key is not ours.
        try FileManager.default.moveItem(atPath: cache.filePath(for: other), toPath: cache.filePath(for: Self.key))
        #expect(cache.value(for: Self.key) == nil)
    }

    @Test(arguments: ["flipped byte", "truncated", "empty", "wrong magic"])
    func aDamagedFileIsNotUsed(damage: String) throws {
        let directory = try TemporaryDirectory()
        let cache = PrefilterCacheDirectory(path: directory.path)
        cache.store(Self.value, for: Self.key)
        let file = cache.filePath(for: Self.key)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        switch damage {
        case "flipped byte": bytes[bytes.count / 2] ^= 0x01
        case "truncated": bytes.removeLast(5)
        case "empty": bytes = []
        default: bytes[0] = UInt8(ascii: "H")
        }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        #expect(cache.value(for: Self.key) == nil)
    }

    @Test func aFileOthersMayWriteIsNotUsed() throws {
        let directory = try TemporaryDirectory()
        let cache = PrefilterCacheDirectory(path: directory.path)
        cache.store(Self.value, for: Self.key)
        #expect(cache.value(for: Self.key) == Self.value)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: cache.filePath(for: Self.key))
        #expect(cache.value(for: Self.key) == nil)
    }

    @Test func storingKeepsOnlyTheMostRecentlyUsedFiles() throws {
        let directory = try TemporaryDirectory()
        let cache = PrefilterCacheDirectory(path: directory.path)
        let keys = (0...PrefilterCacheDirectory.keptFiles).map { Array("key \($0)".utf8) }
        for (index, key) in keys.enumerated() {
            cache.store([UInt8(index)], for: key)
            // Distinct modification times, oldest first.
            let when = Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
            try FileManager.default.setAttributes([.modificationDate: when], ofItemAtPath: cache.filePath(for: key))
        }
        // One more store prunes the oldest two (keys 0 and 1) to keep keptFiles in all.
        cache.store([99], for: Array("newest".utf8))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.filter { $0.hasSuffix(".hsdb") }.count == PrefilterCacheDirectory.keptFiles)
        #expect(cache.value(for: keys[0]) == nil)
        #expect(cache.value(for: keys[1]) == nil)
        #expect(cache.value(for: keys[2]) == [2])
        #expect(!files.contains { $0.hasSuffix(".tmp") })
    }

    @Test func anUnwritableDirectoryIsSilentlyNoCache() {
        let cache = PrefilterCacheDirectory(path: "/proc/heartline-cannot-exist")
        cache.store(Self.value, for: Self.key)
        #expect(cache.value(for: Self.key) == nil)
    }

    @Test func theStandardDirectoryFollowsTheEnvironment() {
        #expect(
            PrefilterCacheDirectory.standard(environment: ["HEARTLINE_CACHE_DIR": "/x", "HOME": "/h"])?.path == "/x")
        #expect(
            PrefilterCacheDirectory.standard(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"])?.path
                == "/c/heartline")
        #expect(PrefilterCacheDirectory.standard(environment: ["HOME": "/h"])?.path == "/h/.cache/heartline")
        #expect(PrefilterCacheDirectory.standard(environment: [:]) == nil)
    }
}
