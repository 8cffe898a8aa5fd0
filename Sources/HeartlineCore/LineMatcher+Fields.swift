import HeartlineRegex

extension LineMatcher {
    /// What the matcher needs to read fields, worked out once from the services: every field path
    /// any pattern reads gets a slot, the decoder's index for it.
    final class FieldPlan {
        /// Slot to field path.
        let paths: [String]
        /// Per slot, whether the path is a journal field name, read from a journal entry's own fields.
        let isJournalName: [Bool]
        /// Every pattern's field conditions, one after another, and the slot of each.
        /// Per condition (every pattern's, one after another), its distinct check: conditions
        /// written alike on the same field (`msg: done` in ten jobs) share one, so that a line
        /// answers each once.
        let conditionChecks: [Int]
        /// The distinct checks and the slot each reads.
        let checks: [FieldCheck]
        let checkSlots: [Int]
        /// Per pattern (indexed like ``LineMatcher/patterns``), its conditions in ``conditionChecks``.
        let conditionRanges: [Range<Int>]
        /// Per pattern, the slot of its `value:` field.
        let valueSlots: [Int?]
        /// Per pattern, whether a field condition has a regex (which reuses the match scratch).
        let hasFieldRegex: [Bool]
        /// Per job (flat, in matcher order), its `run_key`.
        let runKeys: [String?]
        /// Per service, whether any of its jobs reads fields.
        let readsFields: [Bool]
        /// Per service, its `source.format`.
        let formats: [LineFormat]
        /// Whether any pattern has no regex (a candidate for every line of its service).
        let hasFieldOnlyPatterns: Bool
        private let slotOfPath: [String: Int]

        /// - Parameters:
        ///   - services: The matcher's services.
        ///   - patterns: Every pattern, in matcher order.
        ///   - serviceOfPattern: Per pattern, its service's index.
        ///   - jobs: Per job (matcher order), its service and job index.
        init(
            services: [ServiceSpec], patterns: [PatternSpec], serviceOfPattern: [Int],
            jobs: [(service: Int, job: Int)]
        ) {
            var paths: [String] = []
            for service in services {
                for job in service.jobs {
                    for path in job.fieldPaths where !paths.contains(path) { paths.append(path) }
                }
            }
            let slots = Dictionary(uniqueKeysWithValues: paths.enumerated().map { ($1, $0) })
            self.paths = paths
            self.slotOfPath = slots
            self.isJournalName = paths.map { JournalFieldName.kind(of: $0) == .field }
            // Each condition with the format its service decodes lines by: a check is shared only
            // under one format, since the same line has other fields in another.
            var flat: [(condition: FieldCondition, format: LineFormat)] = []
            var ranges: [Range<Int>] = []
            for (index, pattern) in patterns.enumerated() {
                let start = flat.count
                let format = services[serviceOfPattern[index]].source.format
                flat += pattern.fields.map { ($0, format) }
                ranges.append(start..<flat.count)
            }
            var checkOf: [String: Int] = [:]
            var checks: [FieldCheck] = []
            var checkSlots: [Int] = []
            self.conditionChecks = flat.map { condition, format in
                let slot = slots[condition.field]!
                let key = "\(slot) \(format) \(condition.description)"
                if let id = checkOf[key] { return id }
                checks.append(condition.check)
                checkSlots.append(slot)
                checkOf[key] = checks.count - 1
                return checks.count - 1
            }
            self.checks = checks
            self.checkSlots = checkSlots
            self.conditionRanges = ranges
            self.valueSlots = patterns.map { $0.valueField.map { slots[$0]! } }
            self.hasFieldRegex = patterns.map { pattern in
                pattern.fields.contains { condition in
                    condition.tests.contains { if case .regex = $0 { true } else { false } }
                }
            }
            self.runKeys = jobs.map { services[$0.service].jobs[$0.job].runKey }
            self.readsFields = services.map(\.readsFields)
            self.formats = services.map(\.source.format)
            self.hasFieldOnlyPatterns = patterns.contains { $0.regex == nil }
        }

        /// The slot of a path, or nil when no pattern reads it.
        func slot(of path: String) -> Int? { slotOfPath[path] }
    }

    /// The fields of the record being matched, read on demand: a journal entry's own fields by
    /// name, and the text decoded by a service's format at most once per format.
    struct RecordFields {
        /// The record's text: the line, or the journal entry's `MESSAGE`.
        private(set) var text = UnsafeRawBufferPointer(start: nil, count: 0)
        /// Per service index, lines its format could not decode when a pattern needed their fields.
        private(set) var undecodable: [Int]
        private let plan: FieldPlan
        private var decoder: FieldDecoder
        private var journal: ((String) -> [UInt8]?)?
        /// The format the decoder holds the current record in, and whether that decoding worked.
        private var decoded: (format: LineFormat, ok: Bool)?
        /// Per slot, the journal value read for the current record (valid when marked).
        private var journalValues: [[UInt8]?]
        private var journalMark: [UInt32]
        /// Per distinct check, its result for the current record (valid when marked).
        private var checkResult: [Bool]
        private var checkMark: [UInt32]
        /// Per service, the record generation it was counted undecodable at.
        private var undecodableMark: [UInt32]
        private var generation: UInt32 = 1

        init(plan: FieldPlan, serviceCount: Int) {
            self.plan = plan
            self.decoder = FieldDecoder(paths: plan.paths.map(FieldPath.init))
            self.undecodable = Array(repeating: 0, count: serviceCount)
            self.journalValues = Array(repeating: nil, count: plan.paths.count)
            self.journalMark = Array(repeating: 0, count: plan.paths.count)
            self.undecodableMark = Array(repeating: 0, count: serviceCount)
            self.checkResult = Array(repeating: false, count: plan.checks.count)
            self.checkMark = Array(repeating: 0, count: plan.checks.count)
        }

        /// Starts a record: its text and, for a journal entry, how to read its fields by name.
        mutating func begin(text: UnsafeRawBufferPointer, journal: ((String) -> [UInt8]?)?) {
            self.text = text
            self.journal = journal
            decoded = nil
            generation &+= 1
            if generation == 0 {
                for index in journalMark.indices { journalMark[index] = 0 }
                for index in undecodableMark.indices { undecodableMark[index] = 0 }
                for index in checkMark.indices { checkMark[index] = 0 }
                generation = 1
            }
        }

        /// Ends a journal record, releasing its field reader.
        mutating func end() {
            journal = nil
            text = UnsafeRawBufferPointer(start: nil, count: 0)
        }

        /// The value of the field in `slot` for a job of `service`, or nil when the record lacks it.
        mutating func value(slot: Int, service: Int) -> FieldValue? {
            if journal != nil, plan.isJournalName[slot] {
                return journalBytes(slot).map { .string(String(decoding: $0, as: UTF8.self)) }
            }
            guard decode(for: service) else { return nil }
            return decoder.value(at: slot)
        }

        /// The field in `slot` as a number, without making its value.
        mutating func number(slot: Int, service: Int) -> Double? {
            if journal != nil, plan.isJournalName[slot] {
                return journalBytes(slot).flatMap { $0.withUnsafeBytes { DecimalNumber.parse($0) } }
            }
            guard decode(for: service) else { return nil }
            return decoder.number(at: slot)
        }

        /// Whether every condition of pattern `id` holds for a job of `service`, each distinct
        /// check answered at most once per record.
        mutating func conditionsHold(ofPattern id: Int, service: Int, scratch: MatchScratch) -> Bool {
            for index in plan.conditionRanges[id] {
                let check = plan.conditionChecks[index]
                if checkMark[check] != generation {
                    checkMark[check] = generation
                    checkResult[check] = holds(
                        plan.checks[check], slot: plan.checkSlots[check], service: service, scratch: scratch)
                }
                if !checkResult[check] { return false }
            }
            return true
        }

        /// Whether `check` holds on the field in `slot` for a job of `service`, reading the
        /// decoder's bytes in place.
        private mutating func holds(_ check: FieldCheck, slot: Int, service: Int, scratch: MatchScratch) -> Bool {
            if journal != nil, plan.isJournalName[slot] {
                let bytes = journalBytes(slot)
                return check.holds(
                    present: bytes != nil, number: { bytes.flatMap { $0.withUnsafeBytes { DecimalNumber.parse($0) } } },
                    text: { body in bytes.map { $0.withUnsafeBytes(body) } }, scratch: scratch)
            }
            guard decode(for: service) else {
                return check.holds(present: false, number: { nil }, text: { _ in nil }, scratch: scratch)
            }
            return check.holds(
                present: decoder.kind(at: slot) != nil, number: { decoder.number(at: slot) },
                text: { body in decoder.withText(at: slot, body) }, scratch: scratch)
        }

        /// A journal field's bytes for the current record, read once.
        private mutating func journalBytes(_ slot: Int) -> [UInt8]? {
            if journalMark[slot] != generation {
                journalMark[slot] = generation
                journalValues[slot] = journal?(plan.paths[slot])
            }
            return journalValues[slot]
        }

        /// Decodes the record's text by the format of `service` unless it is held already; false
        /// when the text does not decode (counted once per record and service) or the format is `text`.
        private mutating func decode(for service: Int) -> Bool {
            let format = plan.formats[service]
            if decoded?.format != format {
                decoded = (format, decoder.decode(text, format: format).isDecoded)
            }
            if decoded!.ok { return true }
            if format != .text, undecodableMark[service] != generation {
                undecodableMark[service] = generation
                undecodable[service] += 1
            }
            return false
        }
    }
}
