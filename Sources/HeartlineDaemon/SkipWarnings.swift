import HeartlineCore

/// Decides when to warn of lines the daemon skipped in part (cut at the length limit) or matched
/// with a pattern abandoned at the PCRE2 match limit: at most once a minute per key (a source or
/// a pattern), with the count since the last warning, so that a flood of such lines cannot flood
/// the log.
struct SkipWarnings<Key: Hashable & Comparable> {
    /// The shortest time between two warnings of one key, in nanoseconds.
    static var interval: Int64 { 60_000_000_000 }

    /// Per key: the count at its last warning and when it was given.
    private var warned: [Key: (count: Int, at: Instant)] = [:]

    /// Creates warnings with none given yet.
    init() {}

    /// The keys to warn of now, each with how many were added since its last warning, in key order.
    ///
    /// - Parameters:
    ///   - counts: Each key's count since the daemon started.
    ///   - now: The current time.
    /// - Returns: The keys whose count grew and whose last warning is a minute old or more.
    mutating func due(_ counts: [Key: Int], now: Instant) -> [(key: Key, added: Int)] {
        var due: [(key: Key, added: Int)] = []
        for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
            let last = warned[key]
            let added = count - (last?.count ?? 0)
            guard added > 0 else { continue }
            if let last, now.nanoseconds - last.at.nanoseconds < Self.interval { continue }
            warned[key] = (count, now)
            due.append((key, added))
        }
        return due
    }
}
