/// `/etc/anacrontab` as Debian's anacron 2.3 reads it (anacrontab(5)).
///
/// Lines are job descriptions `PERIOD DELAY JOB-ID COMMAND` (the period in days, or `@monthly`;
/// the delay in minutes; the job id any non-blank text without `/`), environment assignments
/// `VAR = VALUE`, or empty (blank, or blanks and a `#` comment). A line ending in `\` goes on on the
/// next line. Fields are separated by blanks or tabs.
public struct AnacrontabFile: Sendable, Hashable {
    /// One job.
    public struct Job: Sendable, Hashable {
        /// The line as written (its first line, for a continued one).
        public var line: String
        /// Where it is.
        public var location: SourceLocation
        /// The period in days; for `@monthly`, 31 (see ``monthly``).
        public var periodDays: Int
        /// Whether the period was `@monthly`: once each calendar month, whatever its length.
        public var monthly: Bool
        /// The delay in minutes before anacron starts the job once it is due.
        public var delayMinutes: Int
        /// The job id, which anacron's log lines name.
        public var identifier: String
        /// The command.
        public var command: String
    }

    /// The file's path.
    public let path: String
    /// Its jobs, in order.
    public let jobs: [Job]
    /// Lines anacron would refuse, each with the reason.
    public let problems: [CrontabFile.Problem]

    /// Reads an anacrontab.
    ///
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - path: Its path, for locations.
    public init(text: String, path: String) {
        self.path = path
        var jobs: [Job] = []
        var problems: [CrontabFile.Problem] = []
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if text.hasSuffix("\n") || text.hasSuffix("\r\n") { lines.removeLast() }
        var pending: (text: String, line: Int)?
        for (index, raw) in lines.enumerated() {
            var text = (pending?.text ?? "") + raw
            let number = pending?.line ?? index + 1
            if text.hasSuffix("\\") {
                text.removeLast()
                pending = (text, number)
                continue
            }
            pending = nil
            Self.take(text, at: number, path: path, jobs: &jobs, problems: &problems)
        }
        if let pending { Self.take(pending.text, at: pending.line, path: path, jobs: &jobs, problems: &problems) }
        self.jobs = jobs
        self.problems = problems
    }

    private static func take(
        _ line: String, at number: Int, path: String, jobs: inout [Job], problems: inout [CrontabFile.Problem]
    ) {
        let location = SourceLocation(file: path, line: number, column: 1)
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let body = line.drop(while: blank)
        guard let first = body.first, first != "#" else { return }
        // An assignment first, as readtab.c tries it: one word without `=`, blanks, then `=`.
        let name = body.prefix { !blank($0) && $0 != "=" }
        if !name.isEmpty, body.dropFirst(name.count).drop(while: blank).first == "=" { return }
        let words = body.split(maxSplits: 3, whereSeparator: blank)
        func refuse(_ reason: String) {
            problems.append(CrontabFile.Problem(line: line, location: location, reason: reason))
        }
        guard words.count == 4 else {
            return refuse("expected PERIOD DELAY JOB-ID COMMAND")
        }
        let period = String(words[0])
        var days: Int
        var monthly = false
        if period == "@monthly" {
            days = 31
            monthly = true
        } else if let value = Int(period), value > 0 {
            days = value
        } else {
            return refuse("period '\(period)' is neither a number of days nor @monthly")
        }
        guard let delay = Int(words[1]), delay >= 0 else {
            return refuse("delay '\(words[1])' is not a number of minutes")
        }
        let identifier = String(words[2])
        guard !identifier.contains("/") else {
            return refuse("job id '\(identifier)' contains '/'")
        }
        days = max(days, 1)
        jobs.append(
            Job(
                line: line, location: location, periodDays: days, monthly: monthly, delayMinutes: delay,
                identifier: identifier, command: String(words[3])))
    }
}
