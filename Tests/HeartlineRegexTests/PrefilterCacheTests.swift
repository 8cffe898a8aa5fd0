import Synchronization
import Testing

@testable import HeartlineRegex

/// A compiled prefilter saved in a ``PrefilterCache`` loads back as the same prefilter, and
/// anything wrong with a saved value costs a compile, never a wrong answer.
struct PrefilterCacheTests {
    /// A cache in memory that can also damage what it holds.
    final class MemoryCache: PrefilterCache {
        let values = Mutex<[[UInt8]: [UInt8]]>([:])

        func value(for key: [UInt8]) -> [UInt8]? { values.withLock { $0[key] } }
        func store(_ value: [UInt8], for key: [UInt8]) { values.withLock { $0[key] = value } }

        func damage(_ change: (inout [UInt8]) -> Void) {
            values.withLock { values in
                for key in values.keys { change(&values[key]!) }
            }
        }
    }

    static let lines = [
        "snapshot 0a1b2c3d saved", "x again x", "CRON[1]: job failed", " CRON failed later", "nothing",
    ]

    static func candidates(_ prefilter: MultiPatternPrefilter) -> [Set<Int32>] {
        let scanner = prefilter.makeScanner()
        return lines.map { line in
            Array(line.utf8).withUnsafeBytes { scanner.scan($0) }
            return Set(scanner.candidates)
        }
    }

    @Test func aCachedSetLoadsWithTheSameModesAndFindsTheSameCandidates() {
        let cache = MemoryCache()
        let compiled = MultiPatternPrefilter(patterns: MultiPatternPrefilterTests.patterns, cache: cache)
        #expect(!compiled.loadedFromCache)
        #expect(cache.values.withLock { $0.count } == 1)
        let loaded = MultiPatternPrefilter(patterns: MultiPatternPrefilterTests.patterns, cache: cache)
        #expect(loaded.loadedFromCache)
        #expect(loaded.modes == compiled.modes)
        #expect(Self.candidates(loaded) == Self.candidates(compiled))
        #expect(Self.candidates(loaded) == [[0, 2, 5], [1, 2, 5], [2, 3, 4, 5], [2, 5], [2, 5]])
    }

    @Test func anotherPatternSetIsNotServedFromTheCache() {
        let cache = MemoryCache()
        _ = MultiPatternPrefilter(patterns: ["alpha", "beta"], cache: cache)
        let other = MultiPatternPrefilter(patterns: ["alpha", "gamma"], cache: cache)
        #expect(!other.loadedFromCache)
        #expect(cache.values.withLock { $0.count } == 2)
        // Same patterns, other order: the ids differ, so the database does too.
        #expect(!MultiPatternPrefilter(patterns: ["beta", "alpha"], cache: cache).loadedFromCache)
    }

    @Test(arguments: [
        "truncated database", "extra byte", "unknown mode tag", "pattern count", "empty value",
    ])
    func aDamagedValueIsRecompiledAndStillRight(damage: String) {
        let cache = MemoryCache()
        let compiled = MultiPatternPrefilter(patterns: MultiPatternPrefilterTests.patterns, cache: cache)
        cache.damage { value in
            switch damage {
            case "truncated database": value.removeLast(10)
            case "extra byte": value.append(0)
            case "unknown mode tag": value[4] = 9
            case "pattern count": value[0] &+= 1
            default: value = []
            }
        }
        let again = MultiPatternPrefilter(patterns: MultiPatternPrefilterTests.patterns, cache: cache)
        #expect(!again.loadedFromCache)
        #expect(again.modes == compiled.modes)
        #expect(Self.candidates(again) == Self.candidates(compiled))
    }

    @Test func aSetVectorscanCannotCompileAtAllIsCachedToo() {
        let cache = MemoryCache()
        let patterns = [#"\Aonly"#, "(?i)ÉCHEC"]
        _ = MultiPatternPrefilter(patterns: patterns, cache: cache)
        let loaded = MultiPatternPrefilter(patterns: patterns, cache: cache)
        #expect(loaded.loadedFromCache)
        #expect(loaded.database == nil)
        #expect(loaded.unsupported == [0, 1])
    }
}
