extension LineMatcher {
    /// What the matcher needs to read fields, worked out once from the services: every field path
    /// any pattern reads gets a slot, the decoder's index for it.
    struct FieldPlan {
        /// Slot to field path.
        let paths: [String]
        /// Per slot, whether the path is a journal field name, read from a journal entry's own fields.
        let isJournalName: [Bool]
        /// Per pattern (indexed like ``LineMatcher/patterns``), the slots of its field conditions.
        let conditions: [[Int]]
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

        init(services: [ServiceSpec], patterns: [PatternSpec], jobs: [(service: Int, job: Int)]) {
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
            self.conditions = patterns.map { $0.fields.map { slots[$0.field]! } }
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
        private var journalValues: [FieldValue?]
        private var journalMark: [UInt32]
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
            if let journal, plan.isJournalName[slot] {
                if journalMark[slot] != generation {
                    journalMark[slot] = generation
                    journalValues[slot] = journal(plan.paths[slot]).map { .string(String(decoding: $0, as: UTF8.self)) }
                }
                return journalValues[slot]
            }
            let format = plan.formats[service]
            if decoded?.format != format {
                let ok = decoder.decode(text, format: format).isDecoded
                decoded = (format, ok)
            }
            guard let decoded, decoded.ok else {
                if format != .text, undecodableMark[service] != generation {
                    undecodableMark[service] = generation
                    undecodable[service] += 1
                }
                return nil
            }
            return decoder.value(at: slot)
        }
    }
}
