internal import CPCRE2

/// Per-thread working memory for matching: PCRE2 match data, a match context with limits,
/// and a JIT stack.
///
/// Not thread-safe: one scratch belongs to one matching loop. Its limits bound the work any
/// single line can cost, so a pattern that backtracks catastrophically fails that line
/// (``MatchResult/limitExceeded``) instead of stalling the process.
public final class MatchScratch {
    /// The default match limit: PCRE2's count of backtracking steps allowed per match attempt.
    public static let defaultMatchLimit: UInt32 = 100_000

    let matchData: OpaquePointer
    let context: OpaquePointer
    private let jitStack: OpaquePointer?

    /// Creates scratch space large enough for any pattern with up to `maxCaptures` groups.
    ///
    /// - Parameters:
    ///   - maxCaptures: The largest capture count of the patterns it will serve.
    ///   - matchLimit: PCRE2 match limit (backtracking steps per attempt).
    public init(maxCaptures: Int = 32, matchLimit: UInt32 = MatchScratch.defaultMatchLimit) {
        matchData = pcre2_match_data_create_8(UInt32(maxCaptures + 1), nil)!
        context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, matchLimit)
        pcre2_set_depth_limit_8(context, 10_000)
        // 32 KiB grows to 1 MiB: enough for sane patterns, bounded for pathological ones.
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack {
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack))
        }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }
}
