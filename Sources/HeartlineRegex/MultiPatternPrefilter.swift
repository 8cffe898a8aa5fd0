internal import CVectorscan
import Glibc

/// Many patterns compiled into one Vectorscan database, scanned once per line to find which of
/// them may match, so that PCRE2 runs only on those (Vectorscan is the portable fork of Intel's
/// Hyperscan and shares its API, `hs.h`).
///
/// Every pattern is first tried exactly; a pattern Vectorscan cannot compile exactly is tried
/// with `HS_FLAG_PREFILTER` (a looser pattern that matches at least whatever the original does);
/// one it cannot compile at all is always a candidate. Patterns compile with `HS_FLAG_UTF8`, whose
/// behaviour is undefined on invalid UTF-8, so a line that is not valid UTF-8 makes every pattern
/// a candidate. Whatever the route, a candidate is only a candidate: PCRE2 decides.
///
/// Patterns also compile with `HS_FLAG_MULTILINE` so that a whole buffer of lines can be scanned at
/// once (``PrefilterScanner/scan(_:within:generation:)``): `^` and `$` then hold at every line
/// boundary, and `.` does not cross one. A match can still run across a newline (`[^x]` matches
/// `\n`); it is credited to the line it ends in, which at worst makes a needless candidate. The
/// anchors that mean "start or end of the subject" (`\A`, `\z`, `\Z`, `\G`) would mean the
/// buffer's ends instead, so patterns using them are left to PCRE2 alone.
public final class MultiPatternPrefilter: @unchecked Sendable {
    /// How the prefilter treats one pattern.
    public enum Mode: Hashable, Sendable {
        /// Compiled as written: a line is a candidate exactly when the pattern matches it.
        case exact
        /// Compiled with `HS_FLAG_PREFILTER`: a superset of the lines the pattern matches.
        case approximate
        /// Not compiled; every line is a candidate. The associated text says why.
        case unsupported(String)
    }

    /// The mode of each pattern, by index in the `patterns` given to ``init(patterns:)``.
    public let modes: [Mode]
    /// The number of patterns.
    public var count: Int { modes.count }

    /// Whether the compiled set came from the ``PrefilterCache`` rather than from compiling.
    public let loadedFromCache: Bool
    /// Whether some compiled pattern may use `$` (an unescaped dollar sign anywhere counts).
    let anchorsLineEnd: Bool

    let database: OpaquePointer?
    let unsupported: [Int32]

    /// The flags of every pattern: UTF-8 (PCRE2 patterns are UTF-8 in Heartline), line anchors
    /// for block scans, and no complaint about patterns that can match empty (PCRE2 allows them).
    static let baseFlags = UInt32(HS_FLAG_UTF8 | HS_FLAG_MULTILINE | HS_FLAG_ALLOWEMPTY)

    /// Compiles `patterns` (PCRE2 syntax), or loads them compiled from `cache`. Never fails: what
    /// Vectorscan cannot take is unsupported.
    ///
    /// The whole set is compiled at once; when Vectorscan rejects one pattern, that pattern is
    /// retried with `HS_FLAG_PREFILTER`, then left out, and the set compiled again. With a cache,
    /// a set compiled before on the same Vectorscan and CPU is loaded instead (in milliseconds),
    /// and a set compiled now is offered to the cache.
    ///
    /// - Parameters:
    ///   - patterns: The patterns; their indices are the ids that scans report.
    ///   - cache: Where compiled sets are kept between runs; nil compiles every time.
    public init(patterns: [String], cache: (any PrefilterCache)? = nil) {
        let key = cache.map { _ in Self.cacheKey(patterns) }
        if let cache, let key, let value = cache.value(for: key),
            let loaded = Self.decode(value, patternCount: patterns.count)
        {
            (modes, database) = loaded
            loadedFromCache = true
        } else {
            (modes, database) = Self.compile(patterns)
            loadedFromCache = false
            if let cache, let key, let value = Self.encode(modes, database) { cache.store(value, for: key) }
        }
        unsupported = Self.unsupportedIndices(modes)
        anchorsLineEnd = Self.anchorsLineEnd(patterns, modes)
    }

    private static func anchorsLineEnd(_ patterns: [String], _ modes: [Mode]) -> Bool {
        patterns.indices.contains { index in
            (modes[index] == .exact || modes[index] == .approximate) && hasDollar(patterns[index])
        }
    }

    private static func unsupportedIndices(_ modes: [Mode]) -> [Int32] {
        modes.indices.compactMap { index in
            if case .unsupported = modes[index] { return Int32(index) }
            return nil
        }
    }

    private static func compile(_ patterns: [String]) -> (modes: [Mode], database: OpaquePointer?) {
        var modes: [Mode] = patterns.map { pattern in
            if Self.hasUnicodeCaseFolding(pattern) {
                return .unsupported("caseless matching of non-ASCII letters may differ from PCRE2's")
            }
            if Self.hasSubjectAnchor(pattern) {
                return .unsupported("\\A, \\z, \\Z and \\G anchor to the whole subject")
            }
            return .exact
        }
        var firstProblem: [Int: String] = [:]
        while true {
            let included = modes.indices.filter { modes[$0] == .exact || modes[$0] == .approximate }
            if included.isEmpty { return (modes, nil) }
            let flags = included.map { modes[$0] == .approximate ? baseFlags | UInt32(HS_FLAG_PREFILTER) : baseFlags }
            switch Self.compile(included.map { patterns[$0] }, flags: flags, ids: included.map(UInt32.init)) {
            case .success(let compiled):
                return (modes, compiled)
            case .failure(let failure) where failure.expression >= 0 && failure.expression < included.count:
                let id = included[failure.expression]
                if modes[id] == .exact {
                    firstProblem[id] = failure.message
                    modes[id] = .approximate
                } else {
                    modes[id] = .unsupported(firstProblem[id] ?? failure.message)
                }
            case .failure(let failure):
                for id in included { modes[id] = .unsupported(failure.message) }
                return (modes, nil)
            }
        }
    }

    deinit {
        if let database { hs_free_database(database) }
    }

    /// A scanner for one thread, with its own Vectorscan scratch space.
    public func makeScanner() -> PrefilterScanner {
        PrefilterScanner(prefilter: self)
    }

    /// Why Vectorscan refused a set: the index of the pattern at fault (-1 for the whole set).
    private struct CompileFailure: Error {
        var expression: Int
        var message: String
    }

    private static func compile(
        _ patterns: [String], flags: [UInt32], ids: [UInt32]
    ) -> Result<OpaquePointer, CompileFailure> {
        let cStrings = patterns.map { strdup($0) }
        defer { for string in cStrings { free(string) } }
        var database: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let pointers: [UnsafePointer<CChar>?] = cStrings.map { $0.map { UnsafePointer($0) } }
        var platform = VectorscanRuntime.platform
        let status = pointers.withUnsafeBufferPointer { expressions in
            hs_compile_multi(
                expressions.baseAddress, flags, ids, UInt32(patterns.count), UInt32(HS_MODE_BLOCK), &platform,
                &database, &error)
        }
        defer { if let error { hs_free_compile_error(error) } }
        if status == HS_SUCCESS, let database { return .success(database) }
        let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "status \(status)"
        return .failure(CompileFailure(expression: Int(error?.pointee.expression ?? -1), message: message))
    }

    /// Whether the pattern has a `$` that is not escaped (one in a character class counts too:
    /// erring this way costs only speed).
    private static func hasDollar(_ pattern: String) -> Bool {
        var escaped = false
        for character in pattern {
            if !escaped, character == "$" { return true }
            escaped = !escaped && character == "\\"
        }
        return false
    }

    /// Whether the pattern uses an escape that anchors to the subject's start or end.
    private static func hasSubjectAnchor(_ pattern: String) -> Bool {
        var escaped = false
        for character in pattern {
            if escaped, "AzZG".contains(character) { return true }
            escaped = !escaped && character == "\\"
        }
        return false
    }

    /// PCRE2 folds the case of non-ASCII letters in UTF mode; Vectorscan's folding is not
    /// documented to agree, so such patterns are left to PCRE2 alone.
    private static func hasUnicodeCaseFolding(_ pattern: String) -> Bool {
        !pattern.utf8.allSatisfy { $0 < 0x80 } && pattern.contains("(?i")
    }
}
