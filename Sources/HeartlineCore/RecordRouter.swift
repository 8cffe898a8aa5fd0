import Glibc

/// Where each record goes: the one router from records to services, for replay and the daemon.
///
/// - A journal entry goes to each service whose `source.journal` it satisfies, by
///   ``JournalRouting``'s clauses (`unit` as `journalctl -u` expands it).
/// - A plain-file line goes, by ``FileRule``, to the services whose `source.files` globs match its
///   path (the daemon, which reads those very files) or to every service that has a `files` source
///   (replay, whose recorded files may lie anywhere: SPEC §3).
/// - With `only` (`replay --service`), every record goes to exactly those services, whatever their
///   source (SPEC §3).
public struct RecordRouter: Sendable {
    /// How plain-file lines are routed.
    public enum FileRule: Sendable, Hashable {
        /// To the services one of whose globs matches the line's path (`fnmatch(3)` with
        /// `FNM_PATHNAME`: `*` does not cross `/`), as the daemon follows them (SPEC §4).
        case byPath
        /// To every service with a `files` source, wherever the file is (SPEC §3).
        case everyFileSource
    }

    /// The services routed to, in evaluator order; routes are indices into this list.
    public let services: [ServiceSpec]
    /// The services that read the journal, indexed like the matches of ``journal``.
    public let journalServices: [Int]
    /// The journal clauses of ``journalServices``, in their order.
    public let journal: JournalRouting
    private let fileRule: FileRule
    private let forced: [Int]?
    private let fileSourceServices: [Int]

    /// Prepares routing.
    ///
    /// - Parameters:
    ///   - services: The services, in evaluator order.
    ///   - files: How plain-file lines are routed.
    ///   - only: When given, every record goes to these service indices and nowhere else.
    public init(services: [ServiceSpec], files: FileRule, only: [Int]? = nil) {
        self.services = services
        self.fileRule = files
        self.forced = only.map { Array(Set($0)).sorted() }
        let journalServices = services.indices.filter { services[$0].source.journal != nil }
        self.journalServices = journalServices
        self.journal = JournalRouting(
            matches: journalServices.map { services[$0].source.journal! },
            alsoReading: journalServices.flatMap { services[$0].journalFieldNames })
        self.fileSourceServices = services.indices.filter { !services[$0].source.files.isEmpty }
    }

    /// Whether any record at all can reach a service from the journal.
    public var readsJournal: Bool { forced.map { !$0.isEmpty } ?? !journalServices.isEmpty }

    /// The services a plain-file line from `path` goes to, in evaluator order.
    ///
    /// - Parameter path: The file's path as it was opened (for ``FileRule/byPath``).
    public func services(forFile path: String) -> [Int] {
        if let forced { return forced }
        switch fileRule {
        case .everyFileSource:
            return fileSourceServices
        case .byPath:
            return fileSourceServices.filter { index in
                services[index].source.files.contains { fnmatch($0, path, FNM_PATHNAME) == 0 }
            }
        }
    }

    /// Appends the services one journal entry goes to, in evaluator order.
    ///
    /// - Parameters:
    ///   - entry: The entry's position in `batch`.
    ///   - batch: Entries read with ``journal`` (the daemon's reader), or with any other routing
    ///     (then compared by field name, with the same clauses).
    ///   - targets: Receives indices into ``services``.
    public func services<Batch: JournalEntryBatch>(forJournal entry: Int, of batch: Batch, into targets: inout [Int]) {
        if let forced {
            targets += forced
            return
        }
        let first = targets.count
        if batch.routing == journal {
            batch.satisfied(entry: entry, into: &targets)
        } else {
            // A batch read with other slots (another configuration's reader): by field name.
            let slots = batch.routing.fieldNames
            func field(_ name: String) -> [UInt8]? {
                slots.firstIndex(of: name).flatMap { slot in batch.withField(slot, of: entry) { $0.map(Array.init) } }
            }
            targets += journal.matches.indices.filter { journal.satisfies($0, field: field) }
        }
        for position in first..<targets.count { targets[position] = journalServices[targets[position]] }
    }

    /// The timestamp settings of `route`'s services, each once, in service order: the first that
    /// reads a line's stamp wins (README, "Which stamp a line gets").
    ///
    /// - Parameter route: Indices into ``services``.
    public func stampSpecs(for route: [Int]) -> [TimestampSpec] {
        var specs: [TimestampSpec] = []
        for index in route where !specs.contains(services[index].timestamp) { specs.append(services[index].timestamp) }
        return specs
    }
}
