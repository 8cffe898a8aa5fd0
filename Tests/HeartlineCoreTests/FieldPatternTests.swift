import Foundation
import Testing

@testable import HeartlineCore

/// Field patterns (issue 11): the YAML of a pattern written as a mapping, and what the matcher
/// makes of JSON, logfmt and journal records with them. Every line here is hand-written after the
/// formats' own documentation (RFC 8259 for JSON, go-logfmt for logfmt, systemd.journal-fields(7));
/// lines recorded from real programs are in the rule-test fixtures.
struct FieldPatternTests {
    static func service(_ yaml: String) throws -> ServiceSpec {
        try PatternFileParser.parse(yaml, path: "patterns/svc.yaml")
    }

    static func errors(_ yaml: String) -> [String] {
        do {
            _ = try PatternFileParser.parse(yaml, path: "patterns/svc.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// The events of each line, matched with and without the prefilter (they must agree).
    static func events(_ yaml: String, _ lines: [String]) throws -> [[JobEvent]] {
        let spec = try service(yaml)
        var results: [[[JobEvent]]] = []
        for prefilter in [true, false] {
            let matcher = LineMatcher(services: [spec], usePrefilter: prefilter)
            results.append(
                lines.map { line in
                    var events: [JobEvent] = []
                    Array(line.utf8).withUnsafeBytes { matcher.match($0, services: [0], into: &events) }
                    return events
                })
        }
        #expect(results[0] == results[1])
        return results[0]
    }

    static func kinds(_ yaml: String, _ lines: [String]) throws -> [[JobEvent.Kind]] {
        try events(yaml, lines).map { $0.map(\.kind) }
    }

    @Test func aOneLineRegexStaysAOneLineRegex() throws {
        let spec = try Self.service("jobs:\n  - name: a\n    success: 'export done'\n")
        #expect(spec.jobs[0].success[0].fields.isEmpty)
        #expect(spec.jobs[0].success[0].source == "export done")
        #expect(spec.source.format == .auto)
    }

    @Test func jsonFieldsMatchByEqualityRegexNumbersAndPresence() throws {
        let yaml = """
            source: { format: json }
            jobs:
              - name: export
                success: { fields: { msg: export done, rows: { above: 0 }, error: { present: false } } }
                failure: { fields: { level: { regex: '^(error|fatal)$' } } }
                start: { fields: { msg: [export started, export resumed] } }
            """
        let lines = [
            #"{"level":"info","msg":"export done","rows":1200}"#,
            #"{"level":"info","msg":"export done","rows":0}"#,
            #"{"level":"info","msg":"export done","rows":5,"error":"disk"}"#,
            #"{"level":"error","msg":"export done","rows":5}"#,
            #"{"level":"info","msg":"export resumed"}"#,
            #"level=info msg="export done" rows=1200"#,
            "export done",
        ]
        #expect(try Self.kinds(yaml, lines) == [[.success], [], [], [.failure], [.start], [], []])
    }

    @Test func dottedPathsReachIntoNestedObjects() throws {
        let yaml = """
            jobs:
              - name: sync
                failure: { fields: { error.code: 503 } }
            """
        let lines = [#"{"error":{"code":503,"text":"busy"}}"#, #"{"error":{"code":200}}"#, #"{"error":"503"}"#]
        #expect(try Self.kinds(yaml, lines) == [[.failure], [], []])
    }

    @Test func logfmtFieldsAndANumberReadFromAField() throws {
        let yaml = """
            source: { format: logfmt }
            jobs:
              - name: queue
                measure: { fields: { msg: queue stats }, value: oldest_age }
                threshold: { above: 600 }
            """
        let lines = [
            #"level=info msg="queue stats" oldest_age=612.5"#,
            #"level=info msg="queue stats" oldest_age=soon"#,
            #"level=info msg="other" oldest_age=1"#,
        ]
        #expect(try Self.kinds(yaml, lines) == [[.measure(612.5)], [], []])
    }

    @Test func aRegexAndFieldsTogetherMustBothHold() throws {
        let yaml = """
            jobs:
              - name: report-{table}
                success: { regex: 'export (?<table>\\w+) done', fields: { level: info } }
            """
        let events = try Self.events(
            yaml,
            [
                #"{"level":"info","msg":"export users done"}"#,
                #"{"level":"warn","msg":"export users done"}"#,
            ])
        #expect(events.map { $0.map(\.instance) } == [["report-users"], []])
    }

    @Test func aDynamicNameAndARunKeyComeFromFields() throws {
        let yaml = """
            jobs:
              - name: "{queue}"
                run_key: jid
                start: { fields: { msg: start } }
                success: { fields: { msg: done } }
            """
        let events = try Self.events(
            yaml,
            [
                #"{"msg":"start","queue":"mail","jid":"a1"}"#,
                #"{"msg":"done","queue":"mail","jid":"a1"}"#,
                #"{"msg":"done","jid":"b2"}"#,
            ])
        #expect(events[0] == [JobEvent(service: 0, job: 0, instance: "mail", kind: .start, runKey: "a1")])
        #expect(events[1] == [JobEvent(service: 0, job: 0, instance: "mail", kind: .success, runKey: "a1")])
        // No `queue` field: the line names no instance, so it counts for nothing.
        #expect(events[2].isEmpty)
    }

    /// `match` lists a nested JSON value as `ctx.class`, so a name written `{ctx.class}` must read
    /// it, not stay the literal text "{ctx.class}" (Sidekiq's JSON formatter nests class and jid).
    @Test func aDynamicNameAndARunKeyComeFromNestedFields() throws {
        let yaml = """
            source: { format: json }
            jobs:
              - name: "queue-{ctx.class}"
                run_key: ctx.jid
                start: { fields: { msg: start } }
                success: { fields: { msg: done } }
            """
        #expect(try Self.service(yaml).jobs[0].name.captureNames == ["ctx.class"])
        let events = try Self.events(
            yaml,
            [
                #"{"msg":"start","ctx":{"class":"ExportReportJob","jid":"3f12"}}"#,
                #"{"msg":"done","ctx":{"class":"ExportReportJob","jid":"3f12","elapsed":6.0}}"#,
                #"{"msg":"done","ctx":{"jid":"b25d"}}"#,
            ])
        let instance = "queue-ExportReportJob"
        #expect(events[0] == [JobEvent(service: 0, job: 0, instance: instance, kind: .start, runKey: "3f12")])
        #expect(events[1] == [JobEvent(service: 0, job: 0, instance: instance, kind: .success, runKey: "3f12")])
        #expect(events[2].isEmpty)
    }

    @Test(arguments: ["{a..b}", "{.a}", "{a.}", "{a.1b}"])
    func aPlaceholderWithAnEmptyOrInvalidPartStaysLiteral(name: String) {
        #expect(JobName(name).captureNames.isEmpty)
    }

    @Test func aDottedPlaceholderCannotBeFilledByARegexAlone() {
        let yaml = """
            jobs:
              - name: "{ctx.class}"
                success: 'done'
            """
        #expect(
            Self.errors(yaml) == [
                "patterns/svc.yaml:3:14: a regex alone cannot fill '{ctx.class}' of the job name '{ctx.class}': a"
                    + " dotted name is a path into nested fields; write the pattern as a mapping with 'fields:',"
                    + " which reads 'ctx.class' from the line"
            ])
    }

    @Test func aRunKeyComesFromANamedGroupBeforeAField() throws {
        let yaml = """
            jobs:
              - name: worker
                run_key: jid
                start: 'JID-(?<jid>\\w+) INFO: start'
                success: 'JID-(?<jid>\\w+) INFO: done'
            """
        let events = try Self.events(yaml, ["TID-1 JID-abc INFO: start", "TID-1 JID-abc INFO: done"])
        #expect(events.map { $0.map(\.runKey) } == [["abc"], ["abc"]])
    }

    @Test func underJSONALineThatIsNotJSONIsCountedAndFieldPatternsSeeNothing() throws {
        let spec = try Self.service(
            """
            source: { format: json }
            jobs:
              - name: a
                success: { fields: { msg: done } }
                failure: 'panic'
            """)
        let matcher = LineMatcher(services: [spec])
        var events: [JobEvent] = []
        for line in ["not json: panic", #"{"msg":"done""#, #"{"msg":"done"}"#] {
            Array(line.utf8).withUnsafeBytes { matcher.match($0, services: [0], into: &events) }
        }
        #expect(events.map(\.kind) == [.failure, .success])
        // The first line is a failure by its regex before any field pattern needs its fields; only
        // the truncated object is counted.
        #expect(matcher.undecodableLines == [1])
    }

    @Test func journalFieldsAreReadFromTheEntryAndOtherPathsFromItsMessage() throws {
        let spec = try Self.service(
            """
            source: { journal: { unit: my-job.service } }
            jobs:
              - name: my-job
                run_key: INVOCATION_ID
                start: { fields: { MESSAGE_ID: 7d4958e842da4a758f6c1cdc7b36dcc5 } }
                success: { fields: { JOB_RESULT: done } }
                failure: { fields: { JOB_RESULT: { regex: '^(failed|timeout)$' } } }
                measure: { fields: { msg: stats }, value: rows }
                threshold: { below: 1 }
            """)
        let router = RecordRouter(services: [spec], files: .byPath)
        #expect(router.journal.fieldNames.contains("JOB_RESULT"))
        #expect(router.journal.fieldNames.contains("INVOCATION_ID"))
        let entries = [
            [
                "MESSAGE": "Starting my-job.service...", "MESSAGE_ID": "7d4958e842da4a758f6c1cdc7b36dcc5",
                "INVOCATION_ID": "i1",
            ],
            ["MESSAGE": "Finished my-job.service.", "JOB_RESULT": "done", "INVOCATION_ID": "i1"],
            ["MESSAGE": "my-job.service failed.", "JOB_RESULT": "failed", "INVOCATION_ID": "i2"],
            ["MESSAGE": #"{"msg":"stats","rows":0}"#],
            ["MESSAGE": #"{"JOB_RESULT":"done"}"#],
        ].map { fields in
            JournalEntry(
                fields: fields.mapValues { Array($0.utf8) }.merging(["UNIT": Array("my-job.service".utf8)]) { a, _ in a
                })
        }
        let matcher = LineMatcher(services: [spec])
        let batch = JournalEntries(entries, routing: router.journal)
        let events = batch.indices.map { entry in
            var events: [JobEvent] = []
            matcher.match(journal: batch, entry: entry, services: [0], into: &events)
            return events
        }
        #expect(events.map { $0.map(\.kind) } == [[.start], [.success], [.failure], [.measure(0)], []])
        #expect(events.map { $0.first?.runKey } == ["i1", "i1", "i2", nil, nil])
    }

    @Test(arguments: [
        (
            "success: { fields: {} }",
            "patterns/svc.yaml:3:24: 'fields' is empty; name at least one field, such as { level: info }"
        ),
        (
            "success: { fields: { level: } }",
            "patterns/svc.yaml:3:26: no value for field 'level'; write the value it must have, or level: { equals:"
                + " done }, { regex: '^ok' }, { above: 0 } or { present: true }"
        ),
        (
            "success: { fields: { rows: { above: many } } }",
            "patterns/svc.yaml:3:41: expected a number for 'above', not 'many'"
        ),
        (
            "success: { fields: { rows: { present: false, above: 1 } } }",
            "patterns/svc.yaml:3:34: 'present: false' with other tests can never hold; keep one or the other"
        ),
        (
            "success: { fields: { a..b: x } }",
            "patterns/svc.yaml:3:26: 'a..b' is not a field path; name a field ('msg', 'JOB_RESULT') or a path into"
                + " nested JSON objects with dots ('error.code')"
        ),
        (
            "success: { fields: { level: { regex: '(' } } }",
            "patterns/svc.yaml:3:44: invalid regular expression for 'regex': missing closing parenthesis"
        ),
        (
            "success: { fields: { level: { equal: info } } }",
            "patterns/svc.yaml:3:35: unknown key 'equal' in the tests of field 'level'; did you mean 'equals'?"
        ),
        (
            "success: { value: rows }",
            "patterns/svc.yaml:3:16: unknown key 'value' in a pattern of 'success'; valid keys are 'regex' and"
                + " 'fields'"
        ),
    ])
    func badFieldPatternsSayWhere(line: String, expected: String) {
        let yaml = "jobs:\n  - name: a\n    \(line)\n"
        #expect(Self.errors(yaml) == [expected])
    }

    @Test func theNewJobKeysNeedWhatTheyTime() {
        let yaml = """
            source: { format: jsonl }
            jobs:
              - name: a
                success: done
                min_runtime: 1m
                run_key: jid
            """
        #expect(
            Self.errors(yaml) == [
                "patterns/svc.yaml:1:19: unknown line format 'jsonl'; did you mean 'json'? use 'auto', 'json',"
                    + " 'logfmt' or 'text'",
                "patterns/svc.yaml:5:5: 'min_runtime' needs 'start' patterns: a run's length is timed from its start"
                    + " line",
                "patterns/svc.yaml:6:5: 'run_key' needs 'start' patterns: a key pairs a start with its own end",
            ])
    }

    @Test func aMeasureMappingNeedsAValueField() {
        let yaml = """
            jobs:
              - name: a
                measure: { fields: { msg: stats } }
                threshold: { above: 1 }
            """
        #expect(
            Self.errors(yaml) == [
                "patterns/svc.yaml:3:14: the 'measure' pattern needs 'value: FIELD' naming the field with the"
                    + " number, such as 'value: rows', or a 'regex' with a named group 'value'"
            ])
    }
}
