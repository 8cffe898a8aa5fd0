import Yams

extension PatternFileParser.Reader {
    /// The keys of one job's mapping.
    static let jobKeys = [
        "name", "success", "failure", "start", "ignore", "measure", "threshold", "schedule", "max_runtime",
        "failure_burst", "min_count", "ping_url",
    ]

    /// `jobs:` — required, a non-empty list of jobs with distinct names.
    ///
    /// - Parameters:
    ///   - entry: The `jobs` entry, or nil when the file has none.
    ///   - root: The file's top-level node, where a missing `jobs` is reported.
    mutating func jobs(_ entry: Entry?, root: Node) -> [JobSpec] {
        guard let entry else {
            report("missing 'jobs'; a pattern file needs at least one job, such as '- name: nightly'", at: root)
            return []
        }
        guard case .sequence(let sequence) = entry.value else {
            report("expected a list of jobs for 'jobs', each starting with '- name:'", at: valueLocation(entry))
            return []
        }
        guard !sequence.isEmpty else {
            report("'jobs' is empty; add at least one job with a 'name' and a 'success' pattern", at: entry.value)
            return []
        }
        var jobs: [JobSpec] = []
        var firstUse: [String: SourceLocation] = [:]
        for node in sequence {
            guard let (job, nameNode) = job(node) else { continue }
            if let first = firstUse[job.name.template] {
                report(
                    "job name '\(job.name)' is already used at line \(first.line); give each job its own name",
                    at: nameNode
                )
            } else {
                firstUse[job.name.template] = location(of: nameNode)
            }
            jobs.append(job)
        }
        return jobs
    }

    /// One job, and the node of its name for duplicate-name errors; nil when it has no usable name.
    ///
    /// A job with other errors is still returned, so that its name takes part in the duplicate check;
    /// a job without a usable name is still read, so that its other errors are reported too.
    private mutating func job(_ node: Node) -> (JobSpec, Node)? {
        guard case .mapping(let mapping) = node else {
            report("expected a mapping for each job in 'jobs', such as '- name: nightly'", at: node)
            return nil
        }
        let entries = entries(of: mapping, in: "in job", allowed: Self.jobKeys)
        let nameEntry = entries["name"]
        let name = nameEntry.flatMap { nonEmptyString($0, fix: "give the job a name, such as 'name: nightly'") }
        if nameEntry == nil {
            report("job has no 'name'; add one, such as 'name: nightly'", at: node)
        }
        var job = JobSpec(name: JobName(name ?? ""), location: location(of: node))
        job.success = entries["success"].map { patterns($0) } ?? []
        job.failure = entries["failure"].map { patterns($0) } ?? []
        job.start = entries["start"].map { patterns($0) } ?? []
        job.ignore = entries["ignore"].map { patterns($0) } ?? []
        job.measure = entries["measure"].flatMap { measure($0) }
        job.threshold = entries["threshold"].flatMap { threshold($0) }
        job.schedule = entries["schedule"].flatMap { schedule($0) }
        job.maxRuntime = entries["max_runtime"].flatMap { duration($0) }
        job.failureBurst = entries["failure_burst"].flatMap { rateWindow($0) }
        job.minCount = entries["min_count"].flatMap { rateWindow($0) }
        job.pingURL = entries["ping_url"].flatMap { nonEmptyString($0) }
        checkDependencies(of: entries, job: name, at: node)
        checkCaptureGroups(of: job)
        guard name != nil, let nameEntry else { return nil }
        return (job, nameEntry.value)
    }

    /// Rules between keys, each reported at the key that needs the other. They look at which keys
    /// are written, not whether their values were valid, so one bad value gives one error.
    private mutating func checkDependencies(of entries: [String: Entry], job name: String?, at node: Node) {
        if !["success", "failure", "start", "measure"].contains(where: { entries[$0] != nil }) {
            let job = name.map { "job '\($0)'" } ?? "job"
            report(
                "\(job) has no patterns; give at least one of 'success', 'failure', 'start' or 'measure'",
                at: node
            )
        }
        let needs: [(key: String, needed: String, why: String)] = [
            ("threshold", "measure", "'threshold' needs a 'measure' pattern to read the value from"),
            (
                "measure", "threshold",
                "'measure' needs a 'threshold', such as { above: 600 } or { below: 1 }, to compare the value with"
            ),
            ("max_runtime", "start", "'max_runtime' needs 'start' patterns: 'stuck' is timed from a start line"),
            ("failure_burst", "failure", "'failure_burst' needs 'failure' patterns to count"),
            ("min_count", "success", "'min_count' needs 'success' patterns to count"),
        ]
        for rule in needs where entries[rule.needed] == nil {
            if let entry = entries[rule.key] { report(rule.why, at: entry.key) }
        }
    }

    /// SPEC §1 dynamic jobs: each `{x}` of the name must be a named group of every pattern that can
    /// create or feed an instance (`ignore` patterns only drop lines, so they need none).
    private mutating func checkCaptureGroups(of job: JobSpec) {
        let captures = job.name.captureNames
        guard !captures.isEmpty else { return }
        let patterns = job.success + job.failure + job.start + (job.measure.map { [$0] } ?? [])
        for pattern in patterns {
            for group in captures where pattern.regex.namedGroups[group] == nil {
                report(
                    "pattern has no named group '\(group)', which the job name '\(job.name)' uses;"
                        + " add (?<\(group)>...) around the part that holds it",
                    at: pattern.location
                )
            }
        }
    }
}
