import Foundation
import HeartlineCore
import HeartlineSources
import HeartlineState
import HeartlineSystemd
import Logging

/// The daemon loop's state, owned by its one task: evaluation, positions, the store and the sinks.
struct LoopState {
    var configuration: DaemonConfiguration
    let store: StateStore
    let logger: Logger
    var live: LiveEvaluation
    var positions: SourcePositions
    /// Outbox entries not yet acknowledged, oldest first.
    var undelivered: [OutboxEntry]
    private(set) var sinks: [any AlertSink]
    let board: StatusBoard
    private var delivered: [String: Int] = [:]
    private var failed: [String: Int] = [:]

    init(
        configuration: DaemonConfiguration, store: StateStore, logger: Logger, live: LiveEvaluation,
        positions: SourcePositions, undelivered: [OutboxEntry], board: StatusBoard
    ) {
        self.board = board
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.live = live
        self.positions = positions
        self.undelivered = undelivered
        self.sinks = Self.makeSinks(configuration.main)
    }

    /// Switches to a reloaded configuration, carrying job states over by service and job name.
    mutating func reconfigure(_ next: DaemonConfiguration, now: Instant) {
        let snapshot = live.evaluator.snapshot
        configuration = next
        let previous = live
        live = LiveEvaluation(services: next.services, restoring: snapshot, now: now)
        live.adoptCounters(from: previous)
        sinks = Self.makeSinks(next.main)
    }

    mutating func take(_ event: FileEvent) throws {
        switch event {
        case .lines(let lines):
            for line in lines {
                line.bytes.withUnsafeBytes { live.take(line: $0, path: line.path, readAt: line.readAt) }
                positions.record(line.position)
            }
            try commitIfAlerting()
        case .opened(let position):
            logger.info("following \(position.path) from byte \(position.offset)")
            positions.record(position)
        case .closed(let position):
            // A rotated-away file read to its end; its path's saved position now belongs to the
            // file that replaced it, so this one is not recorded.
            logger.info("finished \(position.path) (rotated away) at byte \(position.offset)")
        case .rotated(let path, let kind):
            logger.info("\(path) was rotated (\(kind.rawValue))")
        case .problem(let path, let message):
            logger.warning("\(path): \(message)")
        }
    }

    mutating func take(_ event: JournalEvent, now: Instant) throws {
        switch event {
        case .records(let records):
            for record in records {
                live.take(entry: record.entry, receivedAt: now)
                positions.record(journalCursor: record.cursor, realtime: record.entry.realtime)
            }
            try commitIfAlerting()
        case .gap(_, let resumedAfter, let message):
            logger.warning("journal: \(message) (resumed after \(resumedAfter))")
        case .unavailable(let message):
            logger.warning("journal unavailable, retrying: \(message)")
        case .available:
            logger.info("journal available")
        }
    }

    /// Commits at once when the lines produced alerts, so that they go out without waiting; other
    /// progress is committed on the next clock tick. Committing every batch would cost an fsync per
    /// 4096 lines; a later commit only means more lines are read again after a crash, and they are
    /// counted once either way, since the evaluator's state is saved with the positions.
    mutating func commitIfAlerting() throws {
        if live.evaluator.hasSettledAlerts { try commit(flushing: false) }
    }

    /// Saves a checkpoint with the alerts it produced, queued for every sink that takes them.
    ///
    /// - Parameter flushing: Also take the alerts of the latest instant (time has moved past it).
    mutating func commit(flushing: Bool) throws {
        let alerts = flushing ? live.flushAlerts() : live.takeAlerts()
        guard !alerts.isEmpty || positions.hasChanges else { return }
        var routed: [(sink: String, alert: Alert)] = []
        for alert in alerts {
            for sink in sinks where sink.config.accepts(alert) { routed.append((sink.key, alert)) }
        }
        let checkpoint = Checkpoint(evaluator: live.evaluator.snapshot, positions: positions.encodedChanges())
        undelivered += try store.commit(checkpoint, alerts: routed)
    }

    /// Hands queued alerts to their sinks in order; one a sink refuses stays queued for next time.
    mutating func deliver() async throws {
        guard !undelivered.isEmpty else { return }
        var delivered: [Int64] = []
        var remaining: [OutboxEntry] = []
        var failedSinks: Set<String> = []
        for entry in undelivered {
            guard let sink = sinks.first(where: { $0.key == entry.sink }) else {
                // The configuration no longer has this sink (a reload or restart changed it).
                logger.warning("dropping an alert queued for sink \(entry.sink), which is no longer configured")
                delivered.append(entry.id)
                continue
            }
            guard !failedSinks.contains(entry.sink) else {
                remaining.append(entry)
                continue
            }
            do {
                try await sink.deliver(entry.alert)
                delivered.append(entry.id)
                self.delivered[entry.sink, default: 0] += 1
            } catch {
                logger.warning("sink \(entry.sink): \(error); will retry")
                failedSinks.insert(entry.sink)
                failed[entry.sink, default: 0] += 1
                remaining.append(entry)
            }
        }
        try store.acknowledge(delivered)
        undelivered = remaining
    }

    /// Publishes what the daemon knows now, for the HTTP status endpoints.
    func publishStatus(now: Instant) {
        var status = board.status
        status.updatedAt = now
        live.status(into: &status)
        status.sinks = sinks.map { sink in
            DaemonStatus.Sink(
                key: sink.key, delivered: delivered[sink.key] ?? 0, failed: failed[sink.key] ?? 0,
                queued: undelivered.filter { $0.sink == sink.key }.count)
        }
        board.publish(status)
    }

    private static func makeSinks(_ main: MainConfig) -> [any AlertSink] {
        main.sinks.enumerated().compactMap { index, config in
            guard case .stdout = config.kind else { return nil }
            return StandardOutputSink(index: index, config: config)
        }
    }
}
