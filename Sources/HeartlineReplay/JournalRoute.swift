import HeartlineCore
import HeartlineInput

/// Which services a journal entry goes to in a replay (SPEC §3).
enum JournalRoute {
    /// Every entry goes to these services (`--service`).
    case fixed([Int])
    /// An entry goes to each service whose `source.journal` it matches; indexed like the services.
    case bySource([JournalMatch?])

    func services(for entry: JournalEntry) -> [Int] {
        switch self {
        case .fixed(let services):
            return services
        case .bySource(let matches):
            return matches.indices.filter { matches[$0]?.matches { entry.field($0) } ?? false }
        }
    }
}
