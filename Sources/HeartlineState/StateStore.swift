public import Foundation
import GRDB
public import HeartlineCore

/// The daemon's durable state in SQLite (through GRDB), in WAL mode with full synchronous commits:
/// the evaluator's snapshot, every source's resume position, and the outbox of undelivered alerts.
///
/// The evaluator is saved as a header (T0, its time, the alerts of its latest instant) and one row
/// per job instance, so that a checkpoint writes only the instances that changed since the last
/// one (``Checkpoint/replacesAllInstances`` false) rather than every instance of a daemon that
/// tracks a hundred thousand.
///
/// ``commit(_:alerts:)`` writes a checkpoint and the alerts it produced in one transaction, so after
/// a crash the daemon resumes from a state in which every line before the saved positions has been
/// counted once and every alert it caused is either delivered or still in the outbox.
///
/// Reads and writes are `async`: GRDB runs them on its own serial queue and suspends the caller, so
/// a commit's fsync never holds one of the cooperative pool's threads.
public final class StateStore: Sendable {
    /// The database file's path.
    public let path: String
    private let database: DatabaseQueue

    /// Opens (creating if needed) `heartline.sqlite` in `directory`.
    ///
    /// - Throws: ``StateError`` with code `.open` when the directory or database cannot be made or opened.
    public init(directory: String) throws(StateError) {
        path = directory + "/heartline.sqlite"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw StateError(code: .open, message: "cannot open the state database \(path)", underlying: error)
        }
    }

    /// Reads the last checkpoint (nil on a first start) and the undelivered alerts, oldest first.
    ///
    /// - Throws: ``StateError`` with code `.io` or `.corrupt`.
    public func load() async throws(StateError) -> (checkpoint: Checkpoint?, outbox: [OutboxEntry]) {
        do {
            return try await database.read { db in
                var checkpoint: Checkpoint?
                if let row = try Row.fetchOne(db, sql: "SELECT evaluator FROM checkpoint WHERE id = 1") {
                    let data: Data = row["evaluator"]
                    var positions: [String: Data] = [:]
                    for row in try Row.fetchAll(db, sql: "SELECT source, position FROM positions") {
                        positions[row["source"]] = row["position"]
                    }
                    let decoder = JSONDecoder()
                    // A header written before instances had rows of their own holds them itself.
                    var evaluator = try decoder.decode(EvaluatorSnapshot.self, from: data)
                    let rows = try Row.fetchCursor(
                        db, sql: "SELECT service, job, facts FROM instances ORDER BY rowid")
                    while let row = try rows.next() {
                        evaluator.instances.append(
                            EvaluatorSnapshot.Instance(
                                service: row["service"], job: row["job"],
                                facts: try decoder.decode(JobFacts.self, from: row["facts"] as Data)))
                    }
                    checkpoint = Checkpoint(evaluator: evaluator, positions: positions)
                }
                let outbox = try Row.fetchAll(db, sql: "SELECT id, sink, alert FROM outbox ORDER BY id").map { row in
                    OutboxEntry(
                        id: row["id"], sink: row["sink"],
                        alert: try JSONDecoder().decode(Alert.self, from: row["alert"] as Data))
                }
                return (checkpoint, outbox)
            }
        } catch let error as DecodingError {
            throw StateError(code: .corrupt, message: "cannot decode the saved state in \(path)", underlying: error)
        } catch {
            throw StateError(code: .io, message: "cannot read the state database \(path)", underlying: error)
        }
    }

    /// Saves a checkpoint and queues its alerts for their sinks, in one transaction.
    ///
    /// - Parameters:
    ///   - checkpoint: The evaluator snapshot and the positions of the sources it has counted up to.
    ///     Positions are merged by key: keys not given keep their saved value.
    ///   - alerts: Each alert with the key of the sink it is for.
    /// - Returns: The queued outbox entries, in order, to deliver and then ``acknowledge(_:)``.
    /// - Throws: ``StateError`` with code `.io`; nothing of the checkpoint is saved then.
    @discardableResult
    public func commit(_ checkpoint: Checkpoint, alerts: [(sink: String, alert: Alert)]) async throws(StateError)
        -> [OutboxEntry]
    {
        do {
            let encoder = JSONEncoder()
            var header = checkpoint.evaluator
            header.instances = []
            let snapshot = try encoder.encode(header)
            let instances = try checkpoint.evaluator.instances.map { instance in
                (instance.service, instance.job, instance.facts.instance, try encoder.encode(instance.facts))
            }
            let (replacesAll, removed) = (checkpoint.replacesAllInstances, checkpoint.removedInstances)
            let encoded = try alerts.map { ($0.sink, $0.alert, try encoder.encode($0.alert)) }
            let positions = checkpoint.positions
            return try await database.write { db in
                try db.execute(
                    sql:
                        "INSERT INTO checkpoint (id, evaluator) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET evaluator = excluded.evaluator",
                    arguments: [snapshot])
                if replacesAll { try db.execute(sql: "DELETE FROM instances") }
                for key in removed {
                    try db.execute(
                        sql: "DELETE FROM instances WHERE service = ? AND job = ? AND instance = ?",
                        arguments: [key.service, key.job, key.instance])
                }
                let upsert = try db.cachedStatement(
                    sql: """
                        INSERT INTO instances (service, job, instance, facts) VALUES (?, ?, ?, ?)
                        ON CONFLICT(service, job, instance) DO UPDATE SET facts = excluded.facts
                        """)
                for (service, job, name, facts) in instances {
                    try upsert.execute(arguments: [service, job, name, facts])
                }
                for (source, position) in positions {
                    try db.execute(
                        sql:
                            "INSERT INTO positions (source, position) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET position = excluded.position",
                        arguments: [source, position])
                }
                var queued: [OutboxEntry] = []
                for (sink, alert, data) in encoded {
                    try db.execute(sql: "INSERT INTO outbox (sink, alert) VALUES (?, ?)", arguments: [sink, data])
                    queued.append(OutboxEntry(id: db.lastInsertedRowID, sink: sink, alert: alert))
                }
                return queued
            }
        } catch {
            throw StateError(code: .io, message: "cannot write the state database \(path)", underlying: error)
        }
    }

    /// Removes delivered alerts from the outbox.
    ///
    /// - Throws: ``StateError`` with code `.io`.
    ///
    /// Written with `synchronous = NORMAL`: durable across a crash of the daemon (WAL), though a
    /// power loss may undo the last removals, which only means those alerts are sent again. It
    /// keeps an fsync off the path of every delivered alert.
    public func acknowledge(_ ids: [Int64]) async throws(StateError) {
        guard !ids.isEmpty else { return }
        do {
            try await database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
                try db.inTransaction {
                    for id in ids { try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id]) }
                    return .commit
                }
            }
        } catch {
            throw StateError(code: .io, message: "cannot write the state database \(path)", underlying: error)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), evaluator BLOB NOT NULL);
                    CREATE TABLE positions (source TEXT PRIMARY KEY, position BLOB NOT NULL);
                    CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, sink TEXT NOT NULL, alert BLOB NOT NULL);
                    """)
        }
        migrator.registerMigration("v2: one row per job instance") { db in
            try db.execute(
                sql: """
                    CREATE TABLE instances (
                        service TEXT NOT NULL, job TEXT NOT NULL, instance TEXT NOT NULL, facts BLOB NOT NULL,
                        UNIQUE (service, job, instance));
                    """)
        }
        return migrator
    }
}

/// What the daemon saves together: the evaluator and the source positions it has counted up to.
public struct Checkpoint: Sendable {
    /// The evaluator's state.
    public var evaluator: EvaluatorSnapshot
    /// Resume positions by source key (a file path, `journal`), as each source encodes them.
    public var positions: [String: Data]
    /// Whether ``evaluator``'s instances are all of them, replacing every saved one; when false,
    /// they are the ones that changed, saved over their earlier rows.
    public var replacesAllInstances: Bool
    /// Saved instances to delete (dropped by `forget_after`), when not ``replacesAllInstances``.
    public var removedInstances: [EvaluatorSnapshot.InstanceKey]

    /// Creates a checkpoint of the whole evaluator.
    public init(evaluator: EvaluatorSnapshot, positions: [String: Data]) {
        self.evaluator = evaluator
        self.positions = positions
        self.replacesAllInstances = true
        self.removedInstances = []
    }

    /// Creates a checkpoint of what changed in the evaluator (``Evaluator/takeDelta()``).
    public init(delta: EvaluatorDelta, positions: [String: Data]) {
        self.evaluator = delta.snapshot
        self.positions = positions
        self.replacesAllInstances = delta.isComplete
        self.removedInstances = delta.removed
    }
}

/// An alert waiting for one sink to take it.
public struct OutboxEntry: Sendable, Hashable {
    /// The outbox row id, increasing in the order alerts were queued.
    public var id: Int64
    /// The sink's key.
    public var sink: String
    /// The alert.
    public var alert: Alert
}
