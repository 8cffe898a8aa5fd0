import Yams

extension YAMLReader {
    /// `jobs:` — a non-empty list of jobs with distinct names; required unless the file extends
    /// another, whose jobs it then keeps as they are.
    ///
    /// - Parameters:
    ///   - entry: The `jobs` entry, or nil when the file has none.
    ///   - root: The file's top-level node, where a missing `jobs` is reported.
    ///   - base: What `extends:` gave the file: entries named like a base job override it, others
    ///     are added after the base's jobs.
    mutating func jobs(_ entry: Entry?, root: Node, base: PatternFileParser.Base) -> [JobSpec] {
        guard let entry else {
            if case .none = base {
                report("missing 'jobs'; a pattern file needs at least one job, such as '- name: nightly'", at: root)
            }
            return base.service?.jobs ?? []
        }
        guard case .sequence(let sequence) = entry.value else {
            report("expected a list of jobs for 'jobs', each starting with '- name:'", at: valueLocation(entry))
            return []
        }
        guard !sequence.isEmpty else {
            if case .none = base {
                report("'jobs' is empty; add at least one job with a 'name' and a 'success' pattern", at: entry.value)
            } else {
                report("'jobs' is empty; remove it to keep the base's jobs as they are", at: entry.value)
            }
            return []
        }
        var added: [JobSpec] = []
        var overrides: [String: JobEntry] = [:]
        var firstUse: [String: SourceLocation] = [:]
        for node in sequence {
            guard let (read, nameNode) = job(node, base: base) else { continue }
            let name = read.name
            if let first = firstUse[name] {
                report(
                    "job name '\(name)' is already used at line \(first.line); give each job its own name",
                    at: nameNode
                )
            } else {
                firstUse[name] = location(of: nameNode)
            }
            switch read {
            case .new(let job): added.append(job)
            case .override, .disabled: overrides[name] = read
            }
        }
        guard case .service(let service, let baseName) = base else { return added }
        let jobs =
            service.jobs.compactMap { job -> JobSpec? in
                switch overrides[job.name.template] {
                case .override(let merged): merged
                case .disabled: nil
                case .new, nil: job
                }
            } + added
        if jobs.isEmpty {
            report(
                "every job of '\(baseName)' is disabled and none is added; a service needs at least one job",
                at: entry.key
            )
        }
        return jobs
    }

    /// What one entry of `jobs:` says.
    private enum JobEntry {
        /// A job of its own.
        case new(JobSpec)
        /// A base job with the entry's keys applied.
        case override(JobSpec)
        /// `disable: true`: the base job of this name is dropped.
        case disabled(String)

        /// The job's name as written.
        var name: String {
            switch self {
            case .new(let job), .override(let job): job.name.template
            case .disabled(let name): name
            }
        }
    }

    /// One entry of `jobs:`, and the node of its name for duplicate-name errors; nil when it has no
    /// usable name.
    ///
    /// A job with other errors is still returned, so that its name takes part in the duplicate check;
    /// a job without a usable name is still read, so that its other errors are reported too.
    private mutating func job(_ node: Node, base: PatternFileParser.Base) -> (JobEntry, Node)? {
        guard case .mapping(let mapping) = node else {
            report("expected a mapping for each job in 'jobs', such as '- name: nightly'", at: node)
            return nil
        }
        let entries = entries(of: mapping, in: "in job", allowed: PatternFileParser.jobKeys + ["disable"])
        let nameEntry = entries["name"]
        let name = nameEntry.flatMap { nonEmptyString($0, fix: "give the job a name, such as 'name: nightly'") }
        if nameEntry == nil {
            report("job has no 'name'; add one, such as 'name: nightly'", at: node)
        }
        let baseJob = name.flatMap { name in base.service?.jobs.first { $0.name.template == name } }
        if let entry = entries["disable"], checkDisable(entry, name: name, base: base, baseJob: baseJob) {
            let others = entries.keys.filter { $0 != "name" && $0 != "disable" }.sorted()
            if !others.isEmpty {
                report(
                    "a disabled job takes no other keys; remove \(EditDistance.quotedList(others, conjunction: "and"))"
                        + " or 'disable: true'",
                    at: entry.key
                )
            }
            guard let name, let nameEntry else { return nil }
            return (.disabled(name), nameEntry.value)
        }
        // A key written empty in an override removes what the base set; elsewhere it is an error.
        // Without its base, any entry may be an override.
        let overrides = baseJob != nil || base.isUnresolved
        let clears = { (key: String) in overrides && entries[key]?.isNull == true }
        var job = baseJob ?? JobSpec(name: JobName(name ?? ""), location: location(of: node))
        job.location = location(of: node)
        if let entry = entries["success"] { job.success = clears(entry.name) ? [] : patterns(entry) }
        if let entry = entries["failure"] { job.failure = clears(entry.name) ? [] : patterns(entry) }
        if let entry = entries["start"] { job.start = clears(entry.name) ? [] : patterns(entry) }
        if let entry = entries["ignore"] { job.ignore = clears(entry.name) ? [] : patterns(entry) }
        if let entry = entries["measure"] { job.measure = clears(entry.name) ? nil : measure(entry) }
        if let entry = entries["threshold"] { job.threshold = clears(entry.name) ? nil : threshold(entry) }
        if let entry = entries["schedule"] { job.schedule = clears(entry.name) ? nil : schedule(entry) }
        if let entry = entries["max_runtime"] { job.maxRuntime = clears(entry.name) ? nil : duration(entry) }
        if let entry = entries["min_runtime"] { job.minRuntime = clears(entry.name) ? nil : duration(entry) }
        if let entry = entries["run_key"] { job.runKey = clears(entry.name) ? nil : fieldName(entry) }
        if let entry = entries["failure_burst"] { job.failureBurst = clears(entry.name) ? nil : rateWindow(entry) }
        if let entry = entries["min_count"] { job.minCount = clears(entry.name) ? nil : rateWindow(entry) }
        if let entry = entries["ping_url"] { job.pingURL = clears(entry.name) ? nil : nonEmptyString(entry) }
        if let entry = entries["forget_after"] {
            job.forgetAfterSetting = clears(entry.name) ? nil : duration(entry)
            if !clears(entry.name), name.map({ !JobName($0).isDynamic }) ?? false {
                report(
                    "'forget_after' drops idle instances of a dynamic job, and this job's name has no {placeholder};"
                        + " remove 'forget_after', or name the job after a capture such as 'backup-{host}'",
                    at: entry.key)
            }
        }
        if let entry = entries["quiet_until_first_line"] {
            job.quietUntilFirstLine = clears(entry.name) ? false : flag(entry) ?? false
        }
        if let entry = entries["instances"] { job.instances = clears(entry.name) ? [] : instances(entry, of: job) }
        // Rules between keys look at which keys are written (valid or not), so that one bad value
        // gives one error; an override counts the base job's keys it did not clear as written.
        var written = Set(entries.keys.filter { !clears($0) })
        if let baseJob { written.formUnion(Self.keys(of: baseJob).filter { !clears($0) }) }
        // Without its base, an entry may be an override that completes a base job: not checked.
        if !base.isUnresolved {
            checkDependencies(
                of: written, entries: entries, job: name, at: node, base: base, inherited: baseJob != nil)
        }
        checkCaptureGroups(of: job)
        guard name != nil, let nameEntry else { return nil }
        return (baseJob == nil ? .new(job) : .override(job), nameEntry.value)
    }

    /// Whether `disable:` is true, after reporting a value that is not a flag, a file without
    /// `extends`, and a name that is no job of the base.
    private mutating func checkDisable(
        _ entry: Entry, name: String?, base: PatternFileParser.Base, baseJob: JobSpec?
    ) -> Bool {
        let flag = disableFlag(entry)
        switch base {
        case .none:
            report(
                "'disable' drops a job of the file named by 'extends', and this file has no 'extends';"
                    + " to turn off a job of this file, delete its entry",
                at: entry.key
            )
        case .service(let service, let baseName) where flag == true && baseJob == nil:
            guard let name else { break }
            let jobs = service.jobs.map(\.name.template)
            let close = EditDistance.suggestions(for: name, among: jobs)
            let hint =
                close.isEmpty
                ? "its jobs are \(EditDistance.quotedList(jobs, conjunction: "and"))"
                : "did you mean \(EditDistance.quotedList(close))?"
            report("no job '\(name)' in '\(baseName)' to disable; \(hint)", at: entry.value)
        case .service, .unresolved:
            break
        }
        return flag == true
    }

    /// The keys a parsed job has values for.
    private static func keys(of job: JobSpec) -> Set<String> {
        let present: [(String, Bool)] = [
            ("success", !job.success.isEmpty), ("failure", !job.failure.isEmpty), ("start", !job.start.isEmpty),
            ("ignore", !job.ignore.isEmpty), ("measure", job.measure != nil), ("threshold", job.threshold != nil),
            ("schedule", job.schedule != nil), ("max_runtime", job.maxRuntime != nil),
            ("min_runtime", job.minRuntime != nil), ("run_key", job.runKey != nil),
            ("failure_burst", job.failureBurst != nil), ("min_count", job.minCount != nil),
            ("ping_url", job.pingURL != nil), ("forget_after", job.forgetAfterSetting != nil),
            ("quiet_until_first_line", job.quietUntilFirstLine), ("instances", !job.instances.isEmpty),
        ]
        return Set(present.filter(\.1).map(\.0))
    }

    /// `instances:` — a non-empty list of distinct, non-empty instance names of a dynamic job.
    private mutating func instances(_ entry: Entry, of job: JobSpec) -> [String] {
        guard job.name.isDynamic else {
            report(
                "'instances' names instances of a job whose name has placeholders, such as '{UNIT}';"
                    + " the job '\(job.name)' has none, so it is watched from the start already",
                at: entry.key)
            return []
        }
        let names = strings(entry)
        var seen: Set<String> = []
        for name in names where name.isEmpty || !seen.insert(name).inserted {
            report(
                name.isEmpty ? "an instance name is empty" : "instance '\(name)' is named twice in 'instances'",
                at: valueLocation(entry))
        }
        if names.isEmpty {
            report("'instances' is empty; name at least one instance, such as [fstrim.service]", at: entry.key)
        }
        return names
    }

    /// Rules between keys, each reported at the key that needs the other.
    ///
    /// - Parameters:
    ///   - written: The keys the job has: those written in its entry and, for an override, those of
    ///     the base job that the entry did not clear.
    ///   - entries: The entry's own keys, where errors point when they can.
    ///   - name: The job's name, for messages.
    ///   - node: The job's entry, where errors about keys it does not write point.
    ///   - base: The file's base, for hints about its jobs.
    ///   - inherited: Whether the entry overrides a base job.
    private mutating func checkDependencies(
        of written: Set<String>, entries: [String: Entry], job name: String?, at node: Node,
        base: PatternFileParser.Base, inherited: Bool
    ) {
        if !["success", "failure", "start", "measure"].contains(where: written.contains) {
            let job = name.map { "job '\($0)'" } ?? "job"
            var message = "\(job) has no patterns; give at least one of 'success', 'failure', 'start' or 'measure'"
            if inherited {
                message += "; this entry clears every pattern of the base job, so use 'disable: true' to drop it"
            } else if case .service(let service, let baseName) = base, let name {
                var close = EditDistance.suggestions(for: name, among: service.jobs.map(\.name.template))
                // A base with one job is what an old override of a renamed job (systemd.yaml's
                // `run`, now `{UNIT}`) meant, however far the names are apart.
                if close.isEmpty, service.jobs.count == 1 { close = [service.jobs[0].name.template] }
                if !close.isEmpty {
                    message +=
                        "; to change the job \(EditDistance.quotedList(close)) of '\(baseName)', write its"
                        + " name exactly"
                }
            }
            report(message, at: node)
        }
        let needs: [(key: String, needed: String, why: String)] = [
            ("threshold", "measure", "'threshold' needs a 'measure' pattern to read the value from"),
            (
                "measure", "threshold",
                "'measure' needs a 'threshold', such as { above: 600 } or { below: 1 }, to compare the value with"
            ),
            ("max_runtime", "start", "'max_runtime' needs 'start' patterns: 'stuck' is timed from a start line"),
            (
                "min_runtime", "start",
                "'min_runtime' needs 'start' patterns: a run's length is timed from its start line"
            ),
            ("min_runtime", "success", "'min_runtime' needs 'success' patterns: 'too_fast' is judged at a success"),
            ("run_key", "start", "'run_key' needs 'start' patterns: a key pairs a start with its own end"),
            ("failure_burst", "failure", "'failure_burst' needs 'failure' patterns to count"),
            ("min_count", "success", "'min_count' needs 'success' patterns to count"),
        ]
        for rule in needs where written.contains(rule.key) && !written.contains(rule.needed) {
            if let entry = entries[rule.key] {
                report(rule.why, at: entry.key)
            } else {
                // The base job set the key, and this entry cleared what it needs.
                report(
                    rule.why + "; the base job sets '\(rule.key)', so clear it too with '\(rule.key): ~'"
                        + " or keep '\(rule.needed)'",
                    at: entries[rule.needed]?.key ?? node
                )
            }
        }
    }

    /// SPEC §1 dynamic jobs: each `{x}` of the name must be a named group of every plain regex that
    /// can create or feed an instance (`ignore` patterns only drop lines, so they need none). A
    /// pattern written as a mapping may take the value from the field `x` instead, so it is not checked.
    /// A dotted `{x.y}` is a field path, which no regex group can be named after.
    private mutating func checkCaptureGroups(of job: JobSpec) {
        let captures = job.name.captureNames
        guard !captures.isEmpty else { return }
        let patterns = job.success + job.failure + job.start + (job.measure.map { [$0] } ?? [])
        for pattern in patterns where !pattern.usesFields {
            guard let regex = pattern.regex else { continue }
            for group in captures where regex.namedGroups[group] == nil {
                if group.contains(".") {
                    report(
                        "a regex alone cannot fill '{\(group)}' of the job name '\(job.name)': a dotted name is a"
                            + " path into nested fields; write the pattern as a mapping with 'fields:', which reads"
                            + " '\(group)' from the line",
                        at: pattern.location
                    )
                    continue
                }
                report(
                    "pattern has no named group '\(group)', which the job name '\(job.name)' uses;"
                        + " add (?<\(group)>...) around the part that holds it",
                    at: pattern.location
                )
            }
        }
    }
}
