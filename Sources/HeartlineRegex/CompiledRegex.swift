internal import CPCRE2

/// One PCRE2 pattern, compiled once and JIT-compiled where the platform allows.
///
/// Patterns compile in UTF mode with `PCRE2_MATCH_INVALID_UTF`, so subjects may hold any bytes:
/// invalid UTF-8 simply never matches a character, and no subject can make a match fail with an
/// encoding error. Matching is unanchored and works on raw bytes; all offsets are byte offsets.
/// A compiled pattern is immutable and may be shared between threads; each thread matches with its
/// own ``MatchScratch``.
public final class CompiledRegex: @unchecked Sendable {
    /// The pattern's source text.
    public let pattern: String
    /// Named capture groups, name to group number (1-based).
    public let namedGroups: [String: Int]
    /// Number of capture groups, named or not.
    public let captureCount: Int
    /// Whether PCRE2's JIT compiled this pattern (it falls back to the interpreter when not).
    public let isJITCompiled: Bool

    let code: OpaquePointer

    /// Compiles a pattern.
    ///
    /// - Parameter pattern: PCRE2 syntax (Perl-compatible).
    /// - Throws: ``RegexError`` with code `.syntax` and PCRE2's message and offset when it does not compile.
    public init(_ pattern: String) throws(RegexError) {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let options = UInt32(PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)
        let compiled = pattern.utf8CString.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: buffer.count) { bytes in
                pcre2_compile_8(bytes, buffer.count - 1, options, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw RegexError(code: .syntax, message: Self.message(for: errorCode), offset: errorOffset)
        }
        self.pattern = pattern
        self.code = compiled
        self.isJITCompiled = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.captureCount = Int(count)
        self.namedGroups = Self.readNameTable(compiled)
    }

    deinit {
        pcre2_code_free_8(code)
    }

    /// Runs the pattern once over `subject`.
    ///
    /// - Parameters:
    ///   - subject: The bytes of one line, without its newline.
    ///   - scratch: Per-thread match data; after `.matched` it holds the capture offsets.
    /// - Returns: `.matched`, `.noMatch`, or `.limitExceeded` when the pattern backtracked past the
    ///   scratch's match limit (the line counts as not matched and the caller counts it).
    public func match(_ subject: UnsafeRawBufferPointer, scratch: MatchScratch) -> MatchResult {
        let rc: Int32
        if let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            rc = pcre2_match_8(code, base, subject.count, 0, 0, scratch.matchData, scratch.context)
        } else {
            // PCRE2 before 10.43 rejects a NULL subject even at length 0.
            var empty: UInt8 = 0
            rc = pcre2_match_8(code, &empty, 0, 0, 0, scratch.matchData, scratch.context)
        }
        if rc >= 0 { return .matched }
        switch rc {
        case PCRE2_ERROR_NOMATCH, PCRE2_ERROR_PARTIAL: return .noMatch
        default: return .limitExceeded
        }
    }

    /// The byte range of capture group `group` from the last `.matched` result in `scratch`,
    /// or nil when that group did not take part in the match.
    public func captureRange(_ group: Int, in scratch: MatchScratch) -> Range<Int>? {
        guard group <= captureCount else { return nil }
        let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
        let start = ovector[2 * group]
        let end = ovector[2 * group + 1]
        if start == cpcre2_unset() { return nil }
        return Int(start)..<Int(end)
    }

    private static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(errorCode)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }

    /// Reads PCRE2's name table: entries of `entrySize` bytes, a 2-byte big-endian group number
    /// then the NUL-terminated name (pcre2api(3), "Information about a compiled pattern").
    private static func readNameTable(_ code: OpaquePointer) -> [String: Int] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard count > 0, let table else { return [:] }
        var names: [String: Int] = [:]
        for index in 0..<Int(count) {
            let entry = table + index * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            names[String(cString: entry + 2)] = number
        }
        return names
    }
}

/// The outcome of one ``CompiledRegex/match(_:scratch:)``.
public enum MatchResult: Hashable, Sendable {
    /// The pattern matched; capture offsets are in the scratch.
    case matched
    /// The pattern did not match.
    case noMatch
    /// PCRE2 gave up at the match, depth or JIT stack limit: a pattern that backtracks badly.
    case limitExceeded
}
