import Foundation
import HeartlineCore
import Testing

/// The error lines (`FILE:LINE:COLUMN: message`) that parsing `yaml` reports; empty when it parses.
private func errorLines(_ yaml: String, path: String = "patterns/svc.yaml") -> [String] {
    do {
        _ = try PatternFileParser.parse(yaml, path: path)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

/// The SPEC §1 example, verbatim.
private let specExample = #"""
    service: backup                 # optional; defaults to the file name without .yaml
    source:                         # where this service's lines come from; both keys optional
      journal:                      # journal entries whose fields all equal these values
        unit: restic-backup.service #   as `journalctl -u`: the unit's own lines and systemd's about it
        identifier: restic          #   SYSLOG_IDENTIFIER
        fields: { PRIORITY: "6" }   #   any other journal field
      files:                        # plain files; shell globs; files that appear later are picked up
        - /var/log/backup/*.log
    timestamp:                      # how a plain-file line's own time is read
      format: auto                  # auto | rfc3339 | syslog | apache | epoch | a strftime pattern
      timezone: UTC                 # IANA zone for stamps that carry no offset
    jobs:
      - name: nightly               # may use {capture} from a named group to make one job per value
        success: 'snapshot [0-9a-f]{8} saved'    # one regex, or a list (any matches)
        failure: ['Fatal: .*', 'unable to open repository']
        start: 'starting backup'                 # optional
        ignore: 'dry run'                        # optional; a matching line counts for nothing
        schedule:                                # optional; without it no `missing` alert
          every: 24h                             # or  cron: "30 2 * * *"
          timezone: Europe/Berlin                # for cron; default UTC
          grace: 1h                              # default 0
        max_runtime: 3h                          # optional: `stuck` after a start line
        failure_burst: { count: 3, within: 10m } # optional: `failing`
        min_count: { count: 1, within: 25h }     # optional: `slow` (too few successes)
      - name: email-queue
        measure: 'oldest_job_age=(?<value>\d+(?:\.\d+)?)s'  # a number read from a watchdog line
        threshold: { above: 600 }                # or below:; `breach`
    """#

struct PatternFileParserTests {
    // MARK: - The model

    @Test func specExampleParsesToItsModel() throws {
        let service = try PatternFileParser.parse(specExample, path: "Patterns/backup.yaml")
        #expect(service.name == "backup")
        #expect(service.location == SourceLocation(file: "Patterns/backup.yaml", line: 1, column: 1))
        #expect(
            service.source.journal
                == JournalMatch(unit: "restic-backup.service", identifier: "restic", fields: ["PRIORITY": "6"])
        )
        #expect(service.source.files == ["/var/log/backup/*.log"])
        #expect(service.timestamp == TimestampSpec(format: .auto, timezone: TimeZone(identifier: "UTC")!))
        try #require(service.jobs.count == 2)

        let nightly = service.jobs[0]
        #expect(nightly.name.template == "nightly")
        #expect(!nightly.name.isDynamic)
        #expect(nightly.location == SourceLocation(file: "Patterns/backup.yaml", line: 13, column: 5))
        #expect(nightly.success.map(\.source) == ["snapshot [0-9a-f]{8} saved"])
        #expect(nightly.success.map(\.location.description) == ["Patterns/backup.yaml:14:14"])
        #expect(nightly.failure.map(\.source) == ["Fatal: .*", "unable to open repository"])
        #expect(
            nightly.failure.map(\.location.description) == [
                "Patterns/backup.yaml:15:15", "Patterns/backup.yaml:15:28",
            ]
        )
        #expect(nightly.start.map(\.source) == ["starting backup"])
        #expect(nightly.ignore.map(\.source) == ["dry run"])
        #expect(nightly.measure == nil)
        let schedule = try #require(nightly.schedule)
        guard case .every(let period) = schedule.kind else {
            Issue.record("expected an every schedule, got \(schedule.kind)")
            return
        }
        #expect(period == 86_400)
        #expect(schedule.timezone.identifier == "Europe/Berlin")
        #expect(schedule.grace == 3600)
        #expect(nightly.maxRuntime == 10_800)
        #expect(nightly.failureBurst == RateWindow(count: 3, within: 600))
        #expect(nightly.minCount == RateWindow(count: 1, within: 90_000))
        #expect(nightly.threshold == nil)
        #expect(nightly.pingURL == nil)

        let queue = service.jobs[1]
        #expect(queue.name.template == "email-queue")
        #expect(queue.success.isEmpty && queue.failure.isEmpty && queue.start.isEmpty && queue.ignore.isEmpty)
        #expect(queue.measure?.source == #"oldest_job_age=(?<value>\d+(?:\.\d+)?)s"#)
        #expect(queue.measure?.regex?.namedGroups == ["value": 1])
        #expect(queue.threshold == .above(600))
        #expect(queue.schedule == nil)
    }

    @Test func serviceNameDefaultsToFileNameWithoutYamlExtension() throws {
        let service = try PatternFileParser.parse("jobs: [{ name: a, success: done }]", path: "/etc/x/mailer.yaml")
        #expect(service.name == "mailer")
        #expect(service.source == SourceSpec())
        #expect(service.timestamp == TimestampSpec())
    }

    @Test func scalarsAreReadAsWrittenNotAsYamlTypes() throws {
        let yaml = """
            service: 2024
            source:
              journal: { fields: { PRIORITY: 6 } }
            jobs:
              - name: yes
                success: yes
                failure: [3, 1.50, null-ish, 'no']
            """
        let service = try PatternFileParser.parse(yaml, path: "p.yaml")
        #expect(service.name == "2024")
        #expect(service.source.journal?.fields == ["PRIORITY": "6"])
        #expect(service.jobs[0].name.template == "yes")
        #expect(service.jobs[0].success.map(\.source) == ["yes"])
        #expect(service.jobs[0].failure.map(\.source) == ["3", "1.50", "null-ish", "no"])
    }

    @Test func optionalKeysFillTheModel() throws {
        let yaml = """
            source:
              journal: { unit: restic-backup }
              files: /var/log/a.log
            timestamp: { format: '%d/%m/%Y %H:%M:%S', timezone: America/New_York }
            jobs:
              - name: report
                success: sent
                schedule: { cron: "30 2 * * *", timezone: Asia/Tokyo, grace: 90s }
                ping_url: https://hc.example.org/ping/abc
              - name: gauge
                measure: 'left=(?<value>\\d+)'
                threshold: { below: -1.5 }
            """
        let service = try PatternFileParser.parse(yaml, path: "p.yaml")
        #expect(service.source.journal == JournalMatch(unit: "restic-backup.service"))
        #expect(service.source.files == ["/var/log/a.log"])
        #expect(service.timestamp.format == .strftime("%d/%m/%Y %H:%M:%S"))
        #expect(service.timestamp.timezone.identifier == "America/New_York")
        let report = service.jobs[0]
        let schedule = try #require(report.schedule)
        guard case .cron(let cron) = schedule.kind else {
            Issue.record("expected a cron schedule, got \(schedule.kind)")
            return
        }
        #expect(cron.source == "30 2 * * *")
        #expect(schedule.timezone.identifier == "Asia/Tokyo")
        #expect(schedule.grace == 90)
        #expect(report.pingURL == "https://hc.example.org/ping/abc")
        #expect(service.jobs[1].threshold == .below(-1.5))
    }

    @Test func unitNameWithATypeSuffixIsKept() throws {
        let yaml = "source: { journal: { unit: backup.timer } }\njobs: [{ name: a, success: done }]"
        let service = try PatternFileParser.parse(yaml, path: "p.yaml")
        #expect(service.source.journal?.unit == "backup.timer")
    }

    @Test(arguments: [
        ("auto", TimestampFormat.auto), ("rfc3339", .rfc3339), ("syslog", .syslog), ("apache", .apache),
        ("epoch", .epoch), ("'%s.%f'", .strftime("%s.%f")),
    ])
    func timestampFormatNamesAndStrftimePatterns(written: String, format: TimestampFormat) throws {
        let yaml = "timestamp: { format: \(written) }\njobs: [{ name: a, success: done }]"
        #expect(try PatternFileParser.parse(yaml, path: "p.yaml").timestamp.format == format)
    }

    @Test func dynamicJobWithTheGroupInEveryPatternParses() throws {
        let yaml = """
            jobs:
              - name: 'sync-{host}'
                success: 'synced (?<host>\\S+)'
                failure: ['(?<host>\\S+) failed', 'host=(?<host>\\S+) error']
                ignore: 'dry run'
            """
        let service = try PatternFileParser.parse(yaml, path: "p.yaml")
        #expect(service.jobs[0].name.captureNames == ["host"])
    }

    // MARK: - Errors, each at FILE:LINE:COLUMN

    @Test func unknownJobKeySuggestsTheClosestKey() {
        let yaml = """
            jobs:
              - name: a
                failure: boom
                sucess: done
            """
        #expect(errorLines(yaml) == ["patterns/svc.yaml:4:5: unknown key 'sucess' in job; did you mean 'success'?"])
    }

    @Test func unknownKeyWithoutCloseMatchListsTheValidKeys() {
        let yaml = """
            include: base
            jbos: []
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:1:1: unknown key 'include' at the top level; valid keys are 'extends', 'service',"
                    + " 'source', 'timestamp' and 'jobs'",
                "patterns/svc.yaml:1:1: missing 'jobs'; a pattern file needs at least one job, such as"
                    + " '- name: nightly'",
                "patterns/svc.yaml:2:1: unknown key 'jbos' at the top level; did you mean 'jobs'?",
            ]
        )
    }

    @Test func unknownKeysInNestedMappings() {
        let yaml = """
            source: { jurnal: { unit: a }, files: [a.log] }
            timestamp: { formats: auto }
            jobs:
              - name: a
                success: done
                schedule: { evry: 1h }
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:1:11: unknown key 'jurnal' in 'source'; did you mean 'journal'?",
                "patterns/svc.yaml:2:14: unknown key 'formats' in 'timestamp'; did you mean 'format'?",
                "patterns/svc.yaml:6:5: 'schedule' needs 'every', 'cron' or 'calendar', such as { every: 24h },"
                    + " { cron: \"30 2 * * *\" } or { calendar: \"Mon..Fri 02:30\" }",
                "patterns/svc.yaml:6:17: unknown key 'evry' in 'schedule'; did you mean 'every'?",
            ]
        )
    }

    @Test func wrongTypeForPatternsSaysWhatWasExpected() {
        let yaml = """
            jobs:
              - name: a
                success: done
                failure: { text: boom }
                start: ['go', [nested]]
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:4:16: unknown key 'text' in a pattern of 'failure'; valid keys are 'regex' and"
                    + " 'fields'",
                "patterns/svc.yaml:5:19: expected a regex, a mapping such as { fields: { level: info } }, or a list"
                    + " of them for 'start'",
            ]
        )
    }

    @Test func emptyValuesPointAtTheirKey() {
        let yaml = """
            service:
            jobs:
              - name: a
                success:
                failure: []
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:1:1: expected a string for 'service'",
                "patterns/svc.yaml:4:5: expected a regex, a mapping such as { fields: { level: info } }, or a list"
                    + " of them for 'success'",
                "patterns/svc.yaml:5:14: 'failure' is an empty list; give at least one pattern or remove the key",
            ]
        )
    }

    @Test func regexErrorPointsIntoAPlainPattern() {
        // Column 14 is where the scalar starts; PCRE2 stops at byte 4, the unmatched ')'.
        let yaml = """
            jobs:
              - name: a
                success: done) ok
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:3:18: invalid regular expression for 'success': unmatched closing parenthesis"
            ]
        )
    }

    @Test func regexErrorPointsIntoQuotedPatterns() {
        // Single quotes: +1 for the quote, and '' is one character. Double quotes: \\ is one character.
        let yaml = #"""
            jobs:
              - name: a
                success: 'it''s)'
                failure: ["ok", "\\d+)x"]
                start: 'é)'
            """#
        let lines = errorLines(yaml)
        #expect(
            lines == [
                "patterns/svc.yaml:3:20: invalid regular expression for 'success': unmatched closing parenthesis",
                "patterns/svc.yaml:4:26: invalid regular expression for 'failure': unmatched closing parenthesis",
                "patterns/svc.yaml:5:14: invalid regular expression for 'start': unmatched closing parenthesis",
            ]
        )
        // Each column names the ')' itself in the source line.
        let source = yaml.split(separator: "\n").map { Array($0) }
        #expect(source[2][19] == ")" && source[3][25] == ")" && source[4][13] == ")")
    }

    @Test func regexErrorInABlockScalarPointsAtTheScalar() {
        let yaml = """
            jobs:
              - name: a
                success: |
                  done (
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:3:14: invalid regular expression for 'success': missing closing parenthesis"
            ]
        )
    }

    @Test func emptyPatternIsAnError() {
        let yaml = "jobs:\n  - name: a\n    success: ''\n"
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:3:14: empty pattern for 'success' matches every line; write a regex for the"
                    + " lines you mean"
            ]
        )
    }

    @Test func badDurationsReportTheParserMessageAtTheValue() {
        let yaml = """
            jobs:
              - name: a
                success: done
                start: go
                schedule: { every: 0s, grace: 0s }
                max_runtime: 5x
                min_count: { count: 1, within: 10 }
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:5:24: '0s' is not a valid duration: must be positive",
                "patterns/svc.yaml:5:35: '0s' is not a valid duration: must be positive; omit 'grace' for none",
                "patterns/svc.yaml:6:18: '5x': unknown unit 'x'; use s, m, h, d or w",
                "patterns/svc.yaml:7:36: '10' is not a valid duration: 10 needs a unit; use s, m, h, d or w,"
                    + " as in '10s'",
            ]
        )
    }

    /// Pins the wiring to `CronExpression(parsing:)`: valid against any real cron parser, since 61 is
    /// no minute. It fails while `CronExpression` is the accept-everything placeholder.
    @Test func badCronReportsTheCronParserMessageAtTheValue() throws {
        let yaml = """
            jobs:
              - name: a
                success: done
                schedule: { cron: "61 * * * *" }
            """
        let lines = errorLines(yaml)
        try #require(lines.count == 1)
        #expect(lines[0].hasPrefix("patterns/svc.yaml:4:23: invalid cron expression '61 * * * *': "))
    }

    @Test(arguments: [
        ("\"0 0 30 2 *\"", "patterns/svc.yaml:4:23: cron '0 0 30 2 *' never fires: February has at most 29 days"),
        ("'* * 31 2 *'", "patterns/svc.yaml:4:23: cron '* * 31 2 *' never fires: February has at most 29 days"),
    ])
    func neverFiringCronIsReportedAtTheValueWithTheReason(_ written: String, _ expected: String) {
        let yaml = """
            jobs:
              - name: a
                success: done
                schedule: { cron: \(written) }
            """
        #expect(errorLines(yaml) == [expected])
    }

    @Test func calendarScheduleKeepsExpressionZoneAndGrace() throws {
        let yaml = """
            jobs:
              - name: a
                success: done
                schedule: { calendar: "Mon..Fri *-*-* 02:30:00", timezone: Europe/Berlin, grace: 1h }
            """
        let schedule = try #require(try PatternFileParser.parse(yaml, path: "p.yaml").jobs[0].schedule)
        guard case .calendar(let calendars) = schedule.kind else {
            Issue.record("expected a calendar schedule, got \(schedule.kind)")
            return
        }
        #expect(calendars.map(\.normalized) == ["Mon..Fri *-*-* 02:30:00"])
        #expect(schedule.timezone.identifier == "Europe/Berlin")
        #expect(schedule.grace == 3600)
    }

    @Test(arguments: [
        (
            "\"Mon..Fri 25:00\"",
            "patterns/svc.yaml:4:27: invalid calendar expression 'Mon..Fri 25:00': hour '25' is out of range 0-23 "
                + "(systemd.time(7) syntax, such as 'Mon..Fri *-*-* 02:30:00' or 'daily')"
        ),
        (
            "dialy",
            "patterns/svc.yaml:4:27: invalid calendar expression 'dialy': 'dialy' is neither a shorthand such as "
                + "'daily' nor a weekday such as 'Mon'; did you mean 'daily'? (systemd.time(7) syntax, such as "
                + "'Mon..Fri *-*-* 02:30:00' or 'daily')"
        ),
        ("'*-02-30'", "patterns/svc.yaml:4:27: calendar '*-02-30' never elapses: February has at most 29 days"),
    ])
    func badCalendarIsReportedAtTheValueSayingWhatWasExpected(_ written: String, _ expected: String) {
        let yaml = """
            jobs:
              - name: a
                success: done
                schedule: { calendar: \(written) }
            """
        #expect(errorLines(yaml) == [expected])
    }

    @Test func scheduleTakesExactlyOneOfEveryCronAndCalendar() {
        let yaml = """
            jobs:
              - name: a
                success: done
                schedule: { cron: "0 * * * *", calendar: hourly }
              - name: b
                success: done
                schedule: { every: 1h, cron: "0 * * * *", calendar: hourly }
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:4:36: 'schedule' has both 'cron' and 'calendar'; keep exactly one",
                "patterns/svc.yaml:7:28: 'schedule' has 'every', 'cron' and 'calendar'; keep exactly one",
            ]
        )
    }

    @Test func unknownTimezoneSuggestsCloseNames() {
        let yaml = """
            timestamp: { timezone: Berlin }
            jobs:
              - name: a
                success: done
                schedule: { cron: "0 3 * * *", timezone: Europe/Berln }
              - name: b
                success: done
                schedule: { every: 1h, timezone: Mars/Olympus }
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:1:24: unknown timezone 'Berlin'; did you mean 'Europe/Berlin'?",
                "patterns/svc.yaml:5:46: unknown timezone 'Europe/Berln'; did you mean 'Europe/Berlin'?",
                "patterns/svc.yaml:8:38: unknown timezone 'Mars/Olympus'; use an IANA name such as 'UTC' or"
                    + " 'Europe/Berlin'",
            ]
        )
    }

    @Test func unknownTimestampFormat() {
        let yaml = """
            timestamp:
              format: rfc3399
            jobs: [{ name: a, success: done }]
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:2:11: unknown timestamp format 'rfc3399'; did you mean 'rfc3339'? use 'auto',"
                    + " 'rfc3339', 'syslog', 'apache' or 'epoch' or a strftime pattern such as '%Y-%m-%d %H:%M:%S'"
            ]
        )
    }

    @Test func yamlSyntaxErrorIsReportedAtItsMark() {
        let yaml = """
            jobs:
              - name: a
                success: [done
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:4:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence"
                    + " that starts at line 3, column 14"
            ]
        )
    }

    @Test func tabIndentationGetsAHint() {
        let yaml = "jobs:\n\t- name: a\n"
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:2:1: invalid YAML: found character that cannot start any token while scanning"
                    + " for the next token that starts at line 2, column 1; indent with spaces, YAML does not"
                    + " allow tabs"
            ]
        )
    }

    @Test func duplicateKeyIsReported() {
        let yaml = """
            jobs:
              - name: a
                success: done
                success: again
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:3:5: duplicate key 'success' in one mapping; each key may appear only once,"
                    + " so keep one and remove the others"
            ]
        )
    }

    @Test(arguments: ["", "# nothing here\n", "~\n"])
    func emptyFileIsAnError(yaml: String) {
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:1:1: the file is empty; a pattern file needs 'jobs:' with at least one job, such"
                    + " as '- name: nightly' and 'success: \"backup done\"'"
            ]
        )
    }

    @Test func fileThatIsNotAMappingIsAnError() {
        #expect(
            errorLines("- name: a\n  success: done\n") == [
                "patterns/svc.yaml:1:1: expected a mapping at the top level of a pattern file, with the keys"
                    + " 'extends', 'service', 'source', 'timestamp' and 'jobs'"
            ]
        )
    }

    @Test func jobsMustBeANonEmptyListOfNamedJobs() {
        #expect(
            errorLines("jobs: []\n") == [
                "patterns/svc.yaml:1:7: 'jobs' is empty; add at least one job with a 'name' and a 'success' pattern"
            ]
        )
        #expect(
            errorLines("jobs: nightly\n") == [
                "patterns/svc.yaml:1:7: expected a list of jobs for 'jobs', each starting with '- name:'"
            ]
        )
        let yaml = """
            jobs:
              - success: done
              - just a string
              - name: a
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:2:5: job has no 'name'; add one, such as 'name: nightly'",
                "patterns/svc.yaml:3:5: expected a mapping for each job in 'jobs', such as '- name: nightly'",
                "patterns/svc.yaml:4:5: job 'a' has no patterns; give at least one of 'success', 'failure',"
                    + " 'start' or 'measure'",
            ]
        )
    }

    @Test func jobWithoutUsableNameStillHasItsOtherKeysChecked() {
        let yaml = """
            jobs:
              - name: ''
                success: 'a)'
              - sucess: x
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:2:11: 'name' is empty; give the job a name, such as 'name: nightly'",
                "patterns/svc.yaml:3:16: invalid regular expression for 'success': unmatched closing parenthesis",
                "patterns/svc.yaml:4:5: unknown key 'sucess' in job; did you mean 'success'?",
                "patterns/svc.yaml:4:5: job has no 'name'; add one, such as 'name: nightly'",
                "patterns/svc.yaml:4:5: job has no patterns; give at least one of 'success', 'failure', 'start' or"
                    + " 'measure'",
            ]
        )
    }

    @Test func duplicateJobNamesInOneFile() {
        let yaml = """
            jobs:
              - name: nightly
                success: done
              - name: nightly
                failure: boom
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:4:11: job name 'nightly' is already used at line 2; give each job its own name"
            ]
        )
    }

    @Test func keysThatNeedAnotherKey() {
        let yaml = """
            jobs:
              - name: a
                measure: 'n=(?<value>\\d+)'
                max_runtime: 1h
                failure_burst: { count: 3, within: 10m }
                min_count: { count: 1, within: 1d }
              - name: b
                success: done
                threshold: { above: 1 }
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:3:5: 'measure' needs a 'threshold', such as { above: 600 } or { below: 1 }, to"
                    + " compare the value with",
                "patterns/svc.yaml:4:5: 'max_runtime' needs 'start' patterns: 'stuck' is timed from a start line",
                "patterns/svc.yaml:5:5: 'failure_burst' needs 'failure' patterns to count",
                "patterns/svc.yaml:6:5: 'min_count' needs 'success' patterns to count",
                "patterns/svc.yaml:9:5: 'threshold' needs a 'measure' pattern to read the value from",
            ]
        )
    }

    @Test func measureNeedsAValueGroup() {
        let yaml = """
            jobs:
              - name: a
                measure: 'age=(\\d+)'
                threshold: { above: 1 }
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:3:14: the 'measure' pattern needs a named group 'value' to read the number from,"
                    + " such as 'age=(?<value>\\d+)'"
            ]
        )
    }

    @Test func exactlyOneOfEachAlternative() {
        let yaml = """
            jobs:
              - name: a
                success: done
                measure: '(?<value>\\d+)'
                threshold: { above: 1, below: 0 }
                schedule: { every: 1h, cron: "0 * * * *" }
              - name: b
                measure: '(?<value>\\d+)'
                threshold: {}
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:5:28: 'threshold' has both 'above' and 'below'; keep exactly one",
                "patterns/svc.yaml:6:28: 'schedule' has both 'every' and 'cron'; keep exactly one",
                "patterns/svc.yaml:9:5: 'threshold' needs 'above' or 'below', such as { above: 600 } or"
                    + " { below: 1 }",
            ]
        )
    }

    @Test func countsAndNumbersAreChecked() {
        let yaml = """
            jobs:
              - name: a
                failure: boom
                success: done
                measure: '(?<value>\\d+)'
                threshold: { above: lots }
                failure_burst: { count: 0, within: 1m }
                min_count: { within: 1h }
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:6:25: expected a number for 'above', not 'lots'",
                "patterns/svc.yaml:7:29: expected a whole number of at least 1 for 'count', not '0'",
                "patterns/svc.yaml:8:5: 'min_count' needs 'count', such as { count: 3, within: 10m }",
            ]
        )
    }

    @Test func journalFieldsAndEmptyJournal() {
        let yaml = """
            source:
              journal:
                fields: { priority: "6", _COMM: [x] }
            jobs: [{ name: a, success: done }]
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:3:15: 'priority' is not a journal field name; use upper-case letters, digits and"
                    + " '_' (at most 64, not starting with a digit), as in 'PRIORITY'",
                "patterns/svc.yaml:3:37: expected a string for '_COMM'",
            ]
        )
        // `__` names are export-format addresses: sd-journal refuses matches on them, so check,
        // replay and the daemon all refuse the file (README, "Journal fields").
        #expect(
            errorLines("source: { journal: { fields: { __SEQNUM: \"5\" } } }\njobs: [{ name: a, success: done }]") == [
                "patterns/svc.yaml:1:32: '__SEQNUM' is an address of the journal export format, not a field that"
                    + " entries store; sd-journal cannot match on it, so remove it"
            ]
        )
        #expect(
            errorLines("source: { journal: {} }\njobs: [{ name: a, success: done }]") == [
                "patterns/svc.yaml:1:11: 'journal' matches nothing; give 'unit', 'identifier' or 'fields', such as"
                    + " 'unit: backup.service'"
            ]
        )
    }

    @Test func dynamicJobNamesNeedTheGroupInEveryPattern() {
        let yaml = """
            jobs:
              - name: 'queue-{class}-{host}'
                success: 'done class=(?<class>\\w+) host=(?<host>\\S+)'
                failure: ['failed class=(?<class>\\w+)', 'crash']
                ignore: 'dry run'
            """
        #expect(
            errorLines(yaml) == [
                "patterns/svc.yaml:4:15: pattern has no named group 'host', which the job name 'queue-{class}-{host}'"
                    + " uses; add (?<host>...) around the part that holds it",
                "patterns/svc.yaml:4:45: pattern has no named group 'class', which the job name"
                    + " 'queue-{class}-{host}' uses; add (?<class>...) around the part that holds it",
                "patterns/svc.yaml:4:45: pattern has no named group 'host', which the job name"
                    + " 'queue-{class}-{host}' uses; add (?<host>...) around the part that holds it",
            ]
        )
    }

    @Test func everyErrorOfAFileIsReportedAtOnceInFileOrder() {
        let yaml = """
            service: mail
            timestamp: { timezone: Europe/Berln }
            jobs:
              - name: a
                success: '(unclosed'
                schedule: { every: 1hour }
              - name: b
                sucess: done
            """
        do {
            _ = try PatternFileParser.parse(yaml, path: "mail.yaml")
            Issue.record("expected errors")
        } catch {
            let noPatterns = "has no patterns; give at least one of 'success', 'failure', 'start' or 'measure'"
            #expect(
                error.description == """
                    mail.yaml:2:24: unknown timezone 'Europe/Berln'; did you mean 'Europe/Berlin'?
                    mail.yaml:5:24: invalid regular expression for 'success': missing closing parenthesis
                    mail.yaml:6:24: '1hour': unknown unit 'hour'; use s, m, h, d or w
                    mail.yaml:7:5: job 'b' \(noPatterns)
                    mail.yaml:8:5: unknown key 'sucess' in job; did you mean 'success'?
                    """
            )
        }
    }

    // MARK: - Several files

    @Test func parseAllKeepsFileOrder() throws {
        let services = try PatternFileParser.parseAll([
            (path: "d/b.yaml", text: "jobs: [{ name: x, success: done }]"),
            (path: "d/a.yaml", text: "jobs: [{ name: x, success: done }]"),
        ])
        #expect(services.map(\.name) == ["b", "a"])
    }

    @Test func parseAllReportsDuplicateServiceNamesAndEveryFilesErrors() {
        let files = [
            (path: "a/backup.yaml", text: "jobs: [{ name: x, success: done }]"),
            (path: "b/backup.yaml", text: "jobs: [{ name: x, success: done }]"),
            (path: "c/other.yaml", text: "service: backup\njobs: [{ name: x, sucess: done }]"),
        ]
        do {
            _ = try PatternFileParser.parseAll(files)
            Issue.record("expected errors")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "b/backup.yaml:1:1: service 'backup' is already defined at a/backup.yaml:1:1; service names"
                        + " must be unique, so set a different 'service:' in one of the files",
                    "c/other.yaml:1:10: service 'backup' is already defined at a/backup.yaml:1:1; service names must"
                        + " be unique, so set a different 'service:' in one of the files",
                    "c/other.yaml:2:8: job 'x' has no patterns; give at least one of 'success', 'failure', 'start'"
                        + " or 'measure'",
                    "c/other.yaml:2:19: unknown key 'sucess' in job; did you mean 'success'?",
                ]
            )
        }
    }
}
