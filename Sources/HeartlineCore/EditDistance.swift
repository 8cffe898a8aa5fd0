/// Edit distance between words, for "did you mean" suggestions in configuration errors.
///
/// The distance is optimal string alignment (Damerau–Levenshtein without repeated edits of one
/// substring): insertions, deletions, substitutions and swaps of two neighbouring characters cost 1
/// each, so `sucess` is 1 from `success` and `scheudle` is 1 from `schedule`.
package enum EditDistance {
    /// The number of single-character edits that turn `a` into `b`, comparing Unicode scalars.
    package static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rolling rows: the swap rule looks two rows back.
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, beforePrevious[j - 2] + 1)
                }
                current[j] = best
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    /// The candidates nearest to `word`, when they are close enough to be what was meant.
    ///
    /// A candidate is close when at most a third of the longer word's characters (and at least one)
    /// must change, ignoring case. Only the candidates at the smallest distance are returned, in the
    /// order given, so one near miss is not drowned by farther ones.
    ///
    /// - Parameters:
    ///   - word: What was written.
    ///   - candidates: The valid words.
    ///   - limit: The most suggestions to return.
    /// - Returns: Up to `limit` candidates; empty when none is close.
    package static func suggestions(for word: String, among candidates: [String], limit: Int = 3) -> [String] {
        let lowered = word.lowercased()
        let scored = candidates.compactMap { candidate -> (distance: Int, candidate: String)? in
            let allowed = max(1, max(word.count, candidate.count) / 3)
            let score = distance(lowered, candidate.lowercased())
            return score <= allowed ? (score, candidate) : nil
        }
        guard let best = scored.map(\.distance).min() else { return [] }
        return scored.filter { $0.distance == best }.prefix(limit).map(\.candidate)
    }

    /// Quotes and joins words as English prose: `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
    ///
    /// - Parameters:
    ///   - words: The words, at least one.
    ///   - conjunction: The word before the last one, such as `or` or `and`.
    package static func quotedList(_ words: [String], conjunction: String = "or") -> String {
        let quoted = words.map { "'\($0)'" }
        guard let last = quoted.last else { return "" }
        if quoted.count == 1 { return last }
        return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }
}
