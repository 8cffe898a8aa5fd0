extension JobSpec {
    /// Every field path this job's patterns may read, without repeats, in first-use order: the
    /// fields of field conditions and `value:`, `run_key`, and the name's placeholders (which a
    /// pattern written as a mapping may fill from a field).
    public var fieldPaths: [String] {
        var paths: [String] = []
        func add(_ path: String) { if !paths.contains(path) { paths.append(path) } }
        let all = success + failure + start + ignore + (measure.map { [$0] } ?? [])
        for pattern in all {
            for condition in pattern.fields { add(condition.field) }
            if let field = pattern.valueField { add(field) }
        }
        if let runKey { add(runKey) }
        if all.contains(where: \.usesFields) { name.captureNames.forEach(add) }
        return paths
    }
}

extension ServiceSpec {
    /// Whether any job reads fields, so that its lines must be decoded (or journal fields read).
    public var readsFields: Bool { jobs.contains { !$0.fieldPaths.isEmpty } }

    /// The journal fields this service's jobs read: the paths that are journal field names
    /// (``JournalFieldName``), for the journal reader to copy; empty without a journal source.
    public var journalFieldNames: [String] {
        guard source.journal != nil else { return [] }
        var names: [String] = []
        for job in jobs {
            for path in job.fieldPaths where JournalFieldName.kind(of: path) == .field && !names.contains(path) {
                names.append(path)
            }
        }
        return names
    }
}
