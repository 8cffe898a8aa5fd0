/// The schedule evaluator of SPEC §2, shared by `replay` and the daemon.
///
/// It is pure: it never reads a clock. Callers hand it job events with their instants and tell
/// it how far time has gone (``advance(through:)``); it keeps every job instance's state, works
/// out each deadline, and emits ``Alert``s stamped with the exact instant they are due.
///
/// Order rules (SPEC §2):
/// - an event at instant `t` is taken before any deadline that falls at `t`;
/// - alerts at one instant come out resolved before firing, then by service, job, condition.
///   So alerts of the instant being processed are held back until time moves past it (or
///   ``flush()`` is called), and ``takeAlerts()`` returns only settled instants.
///
/// Time never runs backwards inside the evaluator: an event older than the latest instant it has
/// processed is taken at that latest instant (callers count such lines; see ``clampedEvents``).
public struct Evaluator: Sendable {
    /// The services, in the order ``JobEvent/service`` indexes.
    public let services: [ServiceSpec]
    /// T0: when monitoring began; nil until ``start(at:)`` or the first event.
    public private(set) var monitoringStart: Instant?
    /// The latest instant processed.
    public private(set) var now: Instant?
    /// Events that arrived with an instant before ``now`` and were taken at ``now``.
    public private(set) var clampedEvents = 0

    /// Every job instance by slot; nil where a dynamic instance was dropped by `forget_after` (its
    /// slot goes to the next new instance).
    private(set) var states: [JobState?] = []
    /// Slots of dropped instances, for reuse.
    private var freeSlots: [Int] = []
    /// Instances alive now.
    public private(set) var instanceCount = 0
    /// Dynamic instances dropped by `forget_after` since this evaluator was made.
    public private(set) var forgottenCount = 0
    /// Instances dropped since the last ``takeForgotten()``, by service name and instance name.
    private var forgotten: [(service: String, instance: String)] = []
    /// Slots whose instance changed since the last ``takeDelta()``.
    private var dirtySlots = Set<Int>()
    /// Instances dropped since the last ``takeDelta()``.
    private var removedSinceDelta: [EvaluatorSnapshot.InstanceKey] = []
    /// Whether the next ``takeDelta()`` must hold every instance (the first one, or after a failed save).
    private var nextDeltaIsComplete = true
    private var staticSlots: [[Int?]]
    /// Each job's rules, shared by its instances, by service then job.
    private let rules: [[JobRules]]
    private var dynamicSlots: [DynamicKey: Int] = [:]
    private var queue = DeadlineQueue()
    private var pending: [Alert] = []
    private var settled: [Alert] = []
    private var changes = JobState.Changes()
    /// Closed runs not yet taken (``takeClosedRuns()``), oldest first.
    var closedRuns: [RunRecord] = []
    /// Each condition's deadline before an update, in `Condition.allCases` order (reused).
    private var deadlinesBefore: [Instant?] = []

    /// Creates an evaluator for `services`; nothing is watched until ``start(at:)``.
    public init(services: [ServiceSpec]) {
        self.services = services
        self.staticSlots = services.map { $0.jobs.map { _ in nil } }
        self.rules = services.map { $0.jobs.map(JobRules.init) }
    }

    /// Rebuilds an evaluator from a snapshot, under `services` as they are now (after a restart or
    /// a reload): instances are matched by service and job name; instances of services or jobs
    /// that no longer exist are dropped, and jobs new since the snapshot start at its T0.
    ///
    /// Alerts of the snapshot's last instant that were not yet handed out are held again.
    public init(services: [ServiceSpec], restoring snapshot: EvaluatorSnapshot) {
        self.init(services: services)
        guard let t0 = snapshot.monitoringStart else { return }
        monitoringStart = t0
        now = snapshot.now ?? t0
        pending = snapshot.pending
        var saved: [String: [String: [JobFacts]]] = [:]
        for instance in snapshot.instances {
            saved[instance.service, default: [:]][instance.job, default: []].append(instance.facts)
        }
        for (serviceIndex, service) in services.enumerated() {
            for (jobIndex, job) in service.jobs.enumerated() {
                let facts = saved[service.name]?[job.name.template] ?? []
                if job.name.isDynamic {
                    for instance in facts {
                        let slot = addInstance(serviceIndex, jobIndex, facts: instance)
                        let key = DynamicKey(service: serviceIndex, job: jobIndex, instance: instance.instance)
                        dynamicSlots[key] = slot
                    }
                    addDeclaredInstances(serviceIndex, jobIndex, at: t0)
                } else if let instance = facts.first {
                    staticSlots[serviceIndex][jobIndex] = addInstance(serviceIndex, jobIndex, facts: instance)
                } else {
                    staticSlots[serviceIndex][jobIndex] = addInstance(serviceIndex, jobIndex, job.name.template, at: t0)
                }
            }
        }
    }

    /// The state to save, with the alerts of ``now`` not yet handed out. Take the settled alerts
    /// first (``takeAlerts()``): they are not part of it.
    public var snapshot: EvaluatorSnapshot {
        EvaluatorSnapshot(
            monitoringStart: monitoringStart, now: now,
            instances: states.compactMap { $0 }.map(instance),
            pending: pending)
    }

    /// What changed since the last call (everything, on the first call and after
    /// ``markEverythingChanged()``): the instances to save, and those to delete.
    public mutating func takeDelta() -> EvaluatorDelta {
        defer {
            dirtySlots.removeAll(keepingCapacity: true)
            removedSinceDelta.removeAll(keepingCapacity: true)
            nextDeltaIsComplete = false
        }
        if nextDeltaIsComplete { return EvaluatorDelta(snapshot: snapshot, isComplete: true, removed: []) }
        var header = EvaluatorSnapshot(monitoringStart: monitoringStart, now: now, instances: [], pending: pending)
        header.instances = dirtySlots.sorted().compactMap { slot in states[slot].map(instance) }
        return EvaluatorDelta(snapshot: header, isComplete: false, removed: removedSinceDelta)
    }

    /// Makes the next ``takeDelta()`` complete: the last delta taken was not saved.
    public mutating func markEverythingChanged() {
        nextDeltaIsComplete = true
    }

    private func instance(_ state: JobState) -> EvaluatorSnapshot.Instance {
        EvaluatorSnapshot.Instance(
            service: services[state.service].name, job: services[state.service].jobs[state.job].name.template,
            facts: state.facts)
    }

    /// Begins monitoring at `t0`: every static job instance, and every instance a dynamic job
    /// names in `instances:`, exists from here, and its first
    /// `every`/`cron`/`calendar` due time and `min_count` window count from `t0`. Later calls do
    /// nothing.
    public mutating func start(at t0: Instant) {
        guard monitoringStart == nil else { return }
        monitoringStart = t0
        now = t0
        for (serviceIndex, service) in services.enumerated() {
            for (jobIndex, job) in service.jobs.enumerated() {
                if job.name.isDynamic {
                    addDeclaredInstances(serviceIndex, jobIndex, at: t0)
                } else {
                    staticSlots[serviceIndex][jobIndex] = addInstance(serviceIndex, jobIndex, job.name.template, at: t0)
                }
            }
        }
    }

    /// Takes one job event at instant `t`: first every deadline strictly before `t`, then the event.
    ///
    /// Starts monitoring at `t` if ``start(at:)`` was not called. A dynamic job instance is
    /// created at its first event, which is its own T0.
    public mutating func apply(_ event: JobEvent, at t: Instant) {
        if monitoringStart == nil { start(at: t) }
        advance(before: t)
        var at = t
        if let now, t < now {
            clampedEvents += 1
            at = now
        }
        moveTime(to: at)
        let slot = slot(for: event, at: at)
        update(slot) { state, out in state.apply(event.kind, key: event.runKey, at: at, into: &out) }
    }

    /// Applies every deadline strictly before `t`. Replay calls this for input lines that match no
    /// job, so that deadlines fire in order with the lines around them.
    public mutating func advance(before t: Instant) {
        runDeadlines(until: t, inclusive: false)
    }

    /// Applies every deadline at or before `t` and moves time to `t`.
    public mutating func advance(through t: Instant) {
        runDeadlines(until: t, inclusive: true)
        if let now, t > now { moveTime(to: t) }
    }

    /// Entries in the deadline queue, live or stale (for tests of its bound).
    var queueCount: Int { queue.count }

    /// Removes and returns the dynamic instances dropped by `forget_after` since the last call, so
    /// that a driver can drop what it keeps per instance (counters, context).
    public mutating func takeForgotten() -> [(service: String, instance: String)] {
        guard !forgotten.isEmpty else { return [] }
        defer { forgotten.removeAll(keepingCapacity: true) }
        return forgotten
    }

    /// The earliest pending deadline, if any: when the evaluator next needs to run by the clock alone.
    public var nextDeadline: Instant? {
        mutating get {
            dropStaleDeadlines()
            return queue.first?.at
        }
    }

    /// Whether ``takeAlerts()`` would return anything.
    public var hasSettledAlerts: Bool { !settled.isEmpty }

    /// Removes and returns the alerts of instants that are settled (before ``now``), in SPEC §2 order.
    public mutating func takeAlerts() -> [Alert] {
        guard !settled.isEmpty else { return [] }
        var taken: [Alert] = []
        swap(&taken, &settled)
        return taken
    }

    /// Removes and returns every alert, including those at ``now``: call when no more events at
    /// ``now`` can come (end of replay; the daemon once its clock has passed an instant).
    public mutating func flush() -> [Alert] {
        settle()
        return takeAlerts()
    }

    // MARK: Internals

    private mutating func slot(for event: JobEvent, at t: Instant) -> Int {
        if let slot = staticSlots[event.service][event.job] { return slot }
        let key = DynamicKey(service: event.service, job: event.job, instance: event.instance)
        if let slot = dynamicSlots[key] { return slot }
        let slot = addInstance(event.service, event.job, event.instance, at: t)
        dynamicSlots[key] = slot
        return slot
    }

    /// Adds the instances a dynamic job names in `instances:` that do not exist yet.
    private mutating func addDeclaredInstances(_ service: Int, _ job: Int, at t0: Instant) {
        for name in services[service].jobs[job].instances {
            let key = DynamicKey(service: service, job: job, instance: name)
            if dynamicSlots[key] == nil { dynamicSlots[key] = addInstance(service, job, name, at: t0) }
        }
    }

    private mutating func addInstance(_ service: Int, _ job: Int, _ name: String, at t0: Instant) -> Int {
        add(JobState(service: service, job: job, name: name, rules: rules[service][job], monitoringStart: t0))
    }

    private mutating func addInstance(_ service: Int, _ job: Int, facts: JobFacts) -> Int {
        add(JobState(service: service, job: job, rules: rules[service][job], facts: facts))
    }

    private mutating func add(_ state: JobState) -> Int {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            states[slot] = state
        } else {
            slot = states.count
            states.append(state)
        }
        instanceCount += 1
        dirtySlots.insert(slot)
        for condition in Condition.allCases {
            if let at = state.deadline(condition) {
                queue.push(.init(at: at, slot: slot, condition: condition))
            }
        }
        if let at = state.forgetDeadline { queue.push(.init(at: at, slot: slot, condition: nil)) }
        return slot
    }

    /// The deadline of `condition` (nil: `forget_after`) of the instance in `slot`, if it lives.
    private func deadline(_ condition: Condition?, of slot: Int) -> Instant? {
        guard let state = states[slot] else { return nil }
        return condition.map { state.deadline($0) } ?? state.forgetDeadline
    }

    private mutating func runDeadlines(until t: Instant, inclusive: Bool) {
        while let entry = queue.first, entry.at < t || (inclusive && entry.at == t) {
            _ = queue.popFirst()
            guard deadline(entry.condition, of: entry.slot) == entry.at else { continue }
            moveTime(to: entry.at)
            guard let condition = entry.condition else {
                forget(entry.slot)
                continue
            }
            update(entry.slot) { state, out in state.deadlinePassed(condition, at: entry.at, into: &out) }
        }
    }

    /// Drops the dynamic instance in `slot`: its name's next line makes a new one (SPEC §7).
    private mutating func forget(_ slot: Int) {
        guard let state = states[slot] else { return }
        dynamicSlots[DynamicKey(service: state.service, job: state.job, instance: state.name)] = nil
        states[slot] = nil
        freeSlots.append(slot)
        dirtySlots.remove(slot)
        removedSinceDelta.append(
            EvaluatorSnapshot.InstanceKey(
                service: services[state.service].name, job: services[state.service].jobs[state.job].name.template,
                instance: state.name))
        instanceCount -= 1
        forgottenCount += 1
        forgotten.append((services[state.service].name, state.name))
    }

    /// Runs one state change, turns its transitions into alerts and its closed runs into records,
    /// and queues changed deadlines.
    private mutating func update(_ slot: Int, _ change: (inout JobState, inout JobState.Changes) -> Void) {
        guard var state = states[slot] else { return }
        // Kept in a reused array: this runs for every matching line.
        deadlinesBefore.removeAll(keepingCapacity: true)
        for condition in Condition.allCases { deadlinesBefore.append(state.deadline(condition)) }
        let forgetBefore = state.forgetDeadline
        changes.removeAll()
        // Taken out of the array while it changes, so that the change does not copy it.
        states[slot] = nil
        change(&state, &changes)
        let at = now!
        let service = services[state.service].name
        for run in changes.closedRuns {
            keep(RunRecord(service: service, job: state.name, run: run))
        }
        for transition in changes.transitions {
            pending.append(
                Alert(
                    at: at, service: service, job: state.name,
                    condition: transition.condition, status: transition.status,
                    since: transition.since, detail: transition.detail))
        }
        for (index, condition) in Condition.allCases.enumerated() {
            if let at = state.deadline(condition), at != deadlinesBefore[index] {
                queue.push(.init(at: at, slot: slot, condition: condition))
            }
        }
        if let forgetAt = state.forgetDeadline, forgetAt != forgetBefore {
            queue.push(.init(at: forgetAt, slot: slot, condition: nil))
        }
        states[slot] = state
        dirtySlots.insert(slot)
        if queue.count > 16 * instanceCount + 64 { compactQueue() }
    }

    /// Moves the evaluator's time forward to `t` (never back), settling the alerts of earlier instants.
    mutating func moveTime(to t: Instant) {
        if let now, t > now { settle() }
        if now.map({ t > $0 }) ?? true { now = t }
    }

    /// Moves the alerts held for the current instant to the settled list, in SPEC §2 order.
    private mutating func settle() {
        pending.sort(by: Alert.precedes)
        settled.append(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    private mutating func dropStaleDeadlines() {
        while let entry = queue.first, deadline(entry.condition, of: entry.slot) != entry.at {
            _ = queue.popFirst()
        }
    }

    private mutating func compactQueue() {
        var live: [DeadlineQueue.Entry] = []
        for (slot, state) in states.enumerated() {
            guard let state else { continue }
            for condition in Condition.allCases {
                if let at = state.deadline(condition) { live.append(.init(at: at, slot: slot, condition: condition)) }
            }
            if let at = state.forgetDeadline { live.append(.init(at: at, slot: slot, condition: nil)) }
        }
        queue.rebuild(live)
    }
}

extension Evaluator {
    /// Identifies a dynamic job instance.
    private struct DynamicKey: Hashable {
        var service: Int
        var job: Int
        var instance: String
    }
}
