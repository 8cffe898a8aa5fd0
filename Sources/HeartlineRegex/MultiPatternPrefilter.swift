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

    let database: OpaquePointer?
    let unsupported: [Int32]

    /// Compiles `patterns` (PCRE2 syntax). Never fails: what Vectorscan cannot take is unsupported.
    ///
    /// The whole set is compiled at once; when Vectorscan rejects one pattern, that pattern is
    /// retried with `HS_FLAG_PREFILTER`, then left out, and the set compiled again.
    public init(patterns: [String]) {
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
        var database: OpaquePointer?
        while true {
            let included = modes.indices.filter { modes[$0] == .exact || modes[$0] == .approximate }
            if included.isEmpty { break }
            let base = UInt32(HS_FLAG_UTF8 | HS_FLAG_MULTILINE | HS_FLAG_ALLOWEMPTY)
            let flags = included.map { modes[$0] == .approximate ? base | UInt32(HS_FLAG_PREFILTER) : base }
            switch Self.compile(included.map { patterns[$0] }, flags: flags, ids: included.map(UInt32.init)) {
            case .success(let compiled):
                database = compiled
            case .failure(let failure) where failure.expression >= 0 && failure.expression < included.count:
                let id = included[failure.expression]
                if modes[id] == .exact {
                    firstProblem[id] = failure.message
                    modes[id] = .approximate
                } else {
                    modes[id] = .unsupported(firstProblem[id] ?? failure.message)
                }
                continue
            case .failure(let failure):
                for id in included { modes[id] = .unsupported(failure.message) }
            }
            break
        }
        self.modes = modes
        self.database = database
        self.unsupported = modes.indices.compactMap { index in
            if case .unsupported = modes[index] { return Int32(index) }
            return nil
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
        let status = pointers.withUnsafeBufferPointer { expressions in
            hs_compile_multi(
                expressions.baseAddress, flags, ids, UInt32(patterns.count), UInt32(HS_MODE_BLOCK), nil,
                &database, &error)
        }
        defer { if let error { hs_free_compile_error(error) } }
        if status == HS_SUCCESS, let database { return .success(database) }
        let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "status \(status)"
        return .failure(CompileFailure(expression: Int(error?.pointee.expression ?? -1), message: message))
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
