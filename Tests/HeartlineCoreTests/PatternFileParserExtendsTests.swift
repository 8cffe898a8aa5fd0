import Foundation
import HeartlineCore
import Testing

/// A shipped-style base file: three jobs using most keys.
private let resticBase = """
    service: restic-shipped
    source:
      journal: { unit: restic-backup }
    timestamp: { format: syslog, timezone: Europe/Berlin }
    jobs:
      - name: backup
        success: 'snapshot [0-9a-f]{8} saved'
        failure: ['Fatal: .*', 'unable to open repository']
        start: 'starting backup'
        schedule: { every: 24h, grace: 1h }
        max_runtime: 3h
      - name: prune
        success: 'prune done'
        failure: 'prune failed'
        failure_burst: { count: 3, within: 1h }
      - name: check
        success: 'no errors were found'
    """

/// A library of files in memory, searched in `lib/`.
private func library(_ files: [String: String], directories: [PatternLibrary.Directory]? = nil) -> PatternLibrary {
    PatternLibrary(
        files: files.sorted { $0.key < $1.key }.map { name, text in
            PatternLibrary.File(name: name, path: "lib/\(name).yaml", text: text)
        },
        directories: directories ?? [PatternLibrary.Directory(path: "lib")]
    )
}

private let restic = library(["restic": resticBase])

/// Parses a user file `etc/backup.yaml` against `library`.
private func parse(_ yaml: String, library: PatternLibrary = restic) throws -> ServiceSpec {
    try PatternFileParser.parse(yaml, path: "etc/backup.yaml", library: library)
}

/// The error lines of parsing `yaml` as `etc/backup.yaml`; empty when it parses.
private func errorLines(_ yaml: String, library: PatternLibrary = restic) -> [String] {
    do {
        _ = try PatternFileParser.parse(yaml, path: "etc/backup.yaml", library: library)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

struct PatternFileParserExtendsTests {
    // MARK: - What the user file inherits and replaces

    @Test func extendsAloneGivesTheBaseUnderTheUsersFileName() throws {
        let service = try parse("extends: restic")
        #expect(service.name == "backup")
        #expect(service.location == SourceLocation(file: "etc/backup.yaml", line: 1, column: 1))
        #expect(service.source.journal == JournalMatch(unit: "restic-backup.service"))
        #expect(service.timestamp == TimestampSpec(format: .syslog, timezone: TimeZone(identifier: "Europe/Berlin")!))
        #expect(service.jobs.map(\.name.template) == ["backup", "prune", "check"])
        let backup = service.jobs[0]
        #expect(backup.success.map(\.location.description) == ["lib/restic.yaml:7:14"])
        #expect(backup.maxRuntime == 10_800)
        #expect(backup.location == SourceLocation(file: "lib/restic.yaml", line: 6, column: 5))
    }

    @Test func theUsersServiceKeyNamesTheServiceNeverTheBases() throws {
        #expect(try parse("extends: restic\nservice: nas-backup").name == "nas-backup")
    }

    @Test func sourceReplacesTheBasesSourceAsAWhole() throws {
        let service = try parse("extends: restic\nsource: { files: [/var/log/restic.log] }")
        #expect(service.source == SourceSpec(journal: nil, files: ["/var/log/restic.log"]))
    }

    @Test func timestampAppliesKeyByKey() throws {
        let zoneOnly = try parse("extends: restic\ntimestamp: { timezone: UTC }")
        #expect(zoneOnly.timestamp == TimestampSpec(format: .syslog, timezone: TimeZone(identifier: "UTC")!))
        let formatOnly = try parse("extends: restic\ntimestamp: { format: rfc3339 }")
        #expect(
            formatOnly.timestamp == TimestampSpec(format: .rfc3339, timezone: TimeZone(identifier: "Europe/Berlin")!))
    }

    @Test func anOverrideReplacesOnlyTheKeysItWrites() throws {
        let service = try parse(
            """
            extends: restic
            jobs:
              - name: backup
                schedule: { cron: "30 2 * * *", timezone: UTC }
                ping_url: https://hc.example.org/ping/abc
            """)
        #expect(service.jobs.map(\.name.template) == ["backup", "prune", "check"])
        let backup = service.jobs[0]
        #expect(backup.location == SourceLocation(file: "etc/backup.yaml", line: 3, column: 5))
        guard case .cron(let cron) = try #require(backup.schedule).kind else {
            Issue.record("expected a cron schedule, got \(String(describing: backup.schedule))")
            return
        }
        #expect(cron.source == "30 2 * * *")
        #expect(backup.schedule?.grace == 0)
        #expect(backup.pingURL == "https://hc.example.org/ping/abc")
        #expect(backup.success.map(\.source) == ["snapshot [0-9a-f]{8} saved"])
        #expect(backup.failure.map(\.source) == ["Fatal: .*", "unable to open repository"])
        #expect(backup.start.map(\.source) == ["starting backup"])
        #expect(backup.maxRuntime == 10_800)
    }

    @Test func anOverriddenPatternListIsReplacedWhole() throws {
        let service = try parse(
            """
            extends: restic
            jobs:
              - name: backup
                failure: 'repository is locked'
                ignore: 'dry run'
            """)
        let backup = service.jobs[0]
        #expect(backup.failure.map(\.source) == ["repository is locked"])
        #expect(backup.failure.map(\.location.description) == ["etc/backup.yaml:4:14"])
        #expect(backup.ignore.map(\.source) == ["dry run"])
        #expect(backup.success.map(\.location.description) == ["lib/restic.yaml:7:14"])
    }

    @Test(arguments: ["~", "null", ""])
    func aKeyWrittenEmptyInAnOverrideRemovesIt(empty: String) throws {
        let service = try parse(
            """
            extends: restic
            jobs:
              - name: backup
                max_runtime: \(empty)
                start: \(empty)
              - name: prune
                failure_burst: \(empty)
            """)
        #expect(service.jobs[0].maxRuntime == nil)
        #expect(service.jobs[0].start.isEmpty)
        #expect(service.jobs[1].failureBurst == nil)
        #expect(service.jobs[1].failure.map(\.source) == ["prune failed"])
    }

    @Test func disableDropsABaseJob() throws {
        let service = try parse("extends: restic\njobs:\n  - { name: prune, disable: true }")
        #expect(service.jobs.map(\.name.template) == ["backup", "check"])
    }

    @Test func disableFalseKeepsTheJob() throws {
        let service = try parse("extends: restic\njobs:\n  - { name: prune, disable: false, success: 'pruned' }")
        #expect(service.jobs.map(\.name.template) == ["backup", "prune", "check"])
        #expect(service.jobs[1].success.map(\.source) == ["pruned"])
    }

    @Test func aJobWithANewNameIsAddedAfterTheBasesJobs() throws {
        let service = try parse(
            """
            extends: restic
            jobs:
              - name: copy-offsite
                success: 'copy done'
              - name: check
                disable: true
            """)
        #expect(service.jobs.map(\.name.template) == ["backup", "prune", "copy-offsite"])
        #expect(service.jobs[2].location == SourceLocation(file: "etc/backup.yaml", line: 3, column: 5))
    }

    @Test func aBaseMayExtendAnotherAndOverridesStackInOrder() throws {
        let layered = library([
            "restic": resticBase,
            "restic-nas": """
            extends: restic
            timestamp: { timezone: UTC }
            jobs:
              - { name: backup, schedule: { every: 12h } }
              - { name: check, disable: true }
            """,
        ])
        let service = try parse(
            "extends: restic-nas\njobs:\n  - { name: backup, max_runtime: 1h }", library: layered)
        #expect(service.name == "backup")
        #expect(service.timestamp == TimestampSpec(format: .syslog, timezone: TimeZone(identifier: "UTC")!))
        #expect(service.jobs.map(\.name.template) == ["backup", "prune"])
        let backup = service.jobs[0]
        guard case .every(let period) = try #require(backup.schedule).kind else {
            Issue.record("expected an every schedule")
            return
        }
        #expect(period == 12 * 3600)
        #expect(backup.maxRuntime == 3600)
        #expect(backup.success.map(\.location.description) == ["lib/restic.yaml:7:14"])
    }

    @Test func anOverrideOfADynamicJobNeedsTheGroupsInItsPatterns() {
        let dynamic = library(["queues": "jobs:\n  - { name: 'queue-{class}', success: 'done (?<class>\\w+)' }"])
        #expect(
            errorLines("extends: queues\njobs:\n  - { name: 'queue-{class}', failure: 'failed' }", library: dynamic)
                == [
                    "etc/backup.yaml:3:39: pattern has no named group 'class', which the job name 'queue-{class}'"
                        + " uses; add (?<class>...) around the part that holds it"
                ]
        )
    }

    // MARK: - Errors, each in the file where the problem is

    @Test func anUnknownNameListsTheSearchedDirectoriesAndTheClosestNames() {
        let directories = [
            PatternLibrary.Directory(path: "lib"),
            PatternLibrary.Directory(path: "/usr/share/heartline/patterns", exists: false),
        ]
        let files = ["restic": resticBase, "rsync": "jobs: [{ name: a, success: b }]"]
        let searched = library(files, directories: directories)
        #expect(
            errorLines("extends: resitc", library: searched) == [
                "etc/backup.yaml:1:10: no pattern file 'resitc.yaml' in the pattern library (searched lib,"
                    + " /usr/share/heartline/patterns (does not exist)); did you mean 'restic'?"
            ]
        )
        #expect(
            errorLines("extends: postgres", library: searched) == [
                "etc/backup.yaml:1:10: no pattern file 'postgres.yaml' in the pattern library (searched lib,"
                    + " /usr/share/heartline/patterns (does not exist)); it has 'restic' and 'rsync'"
            ]
        )
    }

    @Test func extendsWithoutALibrarySaysHowToGiveOne() {
        #expect(
            errorLines("extends: restic", library: .empty) == [
                "etc/backup.yaml:1:10: no pattern library to find 'restic' in; name a directory of pattern files"
                    + " with --library DIR (or 'library:' in a rule test), or set HEARTLINE_LIBRARY"
            ]
        )
    }

    @Test func theNameIsALibraryNameNotAPathOrFileName() {
        #expect(
            errorLines("extends: restic.yaml") == [
                "etc/backup.yaml:1:10: write the library name without '.yaml': 'extends: restic'"
            ]
        )
        #expect(
            errorLines("extends: ../lib/restic") == [
                "etc/backup.yaml:1:10: 'extends' takes the name of a file in the pattern library, not a path; add"
                    + " its directory with --library DIR and write the file name without '.yaml'"
            ]
        )
        #expect(
            errorLines("extends: [restic, rsync]") == [
                "etc/backup.yaml:1:10: expected the name of a pattern file of the library for 'extends', such as"
                    + " 'extends: restic'"
            ]
        )
    }

    @Test func aCycleOfExtendsIsAnErrorWhereItCloses() {
        let cyclic = library([
            "a": "extends: b\njobs: [{ name: x, success: y }]",
            "b": "extends: c",
            "c": "extends: a",
        ])
        #expect(
            errorLines("extends: a", library: cyclic) == [
                "lib/c.yaml:1:10: 'extends' makes a cycle: a -> b -> c -> a (lib/a.yaml, lib/b.yaml, lib/c.yaml);"
                    + " a file cannot extend itself, even through others, so remove one of these 'extends'"
            ]
        )
        let selfish = library(["a": "extends: a"])
        #expect(
            errorLines("extends: a", library: selfish) == [
                "lib/a.yaml:1:10: 'extends' makes a cycle: a -> a (lib/a.yaml); a file cannot extend itself, even"
                    + " through others, so remove one of these 'extends'"
            ]
        )
    }

    @Test func errorsInTheBaseAreReportedInTheBaseFileAndTheUsersFileIsStillChecked() {
        let broken = library(["restic": "jobs:\n  - name: backup\n    success: '(unclosed'\n"])
        #expect(
            errorLines("extends: restic\njobs:\n  - { name: backup, schedule: { every: 1hour } }", library: broken)
                == [
                    "etc/backup.yaml:3:40: '1hour': unknown unit 'hour'; use s, m, h, d or w",
                    "lib/restic.yaml:3:24: invalid regular expression for 'success': missing closing parenthesis",
                ]
        )
    }

    @Test func aBrokenBaseIsReportedOnceForAllTheFilesThatExtendIt() {
        let broken = PatternLibrary(files: [
            PatternLibrary.File(name: "restic", path: "lib/restic.yaml", text: "jobs:\n  - name: backup\n")
        ])
        do {
            _ = try PatternFileParser.parseAll(
                [(path: "etc/a.yaml", text: "extends: restic"), (path: "etc/b.yaml", text: "extends: restic")],
                library: broken)
            Issue.record("expected errors")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "lib/restic.yaml:2:5: job 'backup' has no patterns; give at least one of 'success', 'failure',"
                        + " 'start' or 'measure'"
                ]
            )
        }
    }

    @Test func aLibraryFileThatCannotBeReadIsReportedAtTheExtends() {
        struct Unreadable: Error, CustomStringConvertible {
            var description: String { "lib/restic.yaml: permission denied" }
        }
        let unreadable = PatternLibrary(directories: [PatternLibrary.Directory(path: "lib")], names: ["restic"]) { _ in
            throw Unreadable()
        }
        #expect(
            errorLines("extends: restic", library: unreadable) == [
                "etc/backup.yaml:1:10: cannot read 'restic' from the pattern library: lib/restic.yaml: permission"
                    + " denied"
            ]
        )
    }

    @Test func disablingAJobTheBaseDoesNotHaveSuggestsItsJobs() {
        #expect(
            errorLines("extends: restic\njobs:\n  - { name: prnue, disable: true }") == [
                "etc/backup.yaml:3:29: no job 'prnue' in 'restic' to disable; did you mean 'prune'?"
            ]
        )
        #expect(
            errorLines("extends: restic\njobs:\n  - { name: mail, disable: true }") == [
                "etc/backup.yaml:3:28: no job 'mail' in 'restic' to disable; its jobs are 'backup', 'prune' and"
                    + " 'check'"
            ]
        )
    }

    @Test func aDisabledJobTakesNoOtherKeys() {
        #expect(
            errorLines("extends: restic\njobs:\n  - { name: prune, disable: true, max_runtime: 1h }") == [
                "etc/backup.yaml:3:20: a disabled job takes no other keys; remove 'max_runtime' or 'disable: true'"
            ]
        )
    }

    @Test func disableIsAFlag() {
        #expect(
            errorLines("extends: restic\njobs:\n  - { name: prune, disable: yes }") == [
                "etc/backup.yaml:3:29: expected true or false for 'disable'"
            ]
        )
    }

    @Test func disableNeedsExtends() {
        #expect(
            errorLines("jobs:\n  - { name: a, success: b, disable: false }") == [
                "etc/backup.yaml:2:28: 'disable' drops a job of the file named by 'extends', and this file has no"
                    + " 'extends'; to turn off a job of this file, delete its entry"
            ]
        )
    }

    @Test func disablingEveryJobWithoutAddingOneIsAnError() {
        let yaml = """
            extends: restic
            jobs:
              - { name: backup, disable: true }
              - { name: prune, disable: true }
              - { name: check, disable: true }
            """
        #expect(
            errorLines(yaml) == [
                "etc/backup.yaml:2:1: every job of 'restic' is disabled and none is added; a service needs at least"
                    + " one job"
            ]
        )
    }

    @Test func anEmptyJobsListWithExtendsSaysToRemoveIt() {
        #expect(
            errorLines("extends: restic\njobs: []") == [
                "etc/backup.yaml:2:7: 'jobs' is empty; remove it to keep the base's jobs as they are"
            ]
        )
    }

    @Test func clearingWhatAnInheritedKeyNeedsIsReportedAtTheClearedKey() {
        #expect(
            errorLines("extends: restic\njobs:\n  - name: backup\n    start: ~\n") == [
                "etc/backup.yaml:4:5: 'max_runtime' needs 'start' patterns: 'stuck' is timed from a start line;"
                    + " the base job sets 'max_runtime', so clear it too with 'max_runtime: ~' or keep 'start'"
            ]
        )
    }

    @Test func clearingEveryPatternOfABaseJobSuggestsDisable() {
        #expect(
            errorLines("extends: restic\njobs:\n  - { name: check, success: ~ }") == [
                "etc/backup.yaml:3:5: job 'check' has no patterns; give at least one of 'success', 'failure',"
                    + " 'start' or 'measure'; this entry clears every pattern of the base job, so use"
                    + " 'disable: true' to drop it"
            ]
        )
    }

    @Test func aNewJobWithoutPatternsNamedLikeABaseJobHintsAtTheTypo() {
        #expect(
            errorLines("extends: restic\njobs:\n  - { name: bakup, max_runtime: 1h }") == [
                "etc/backup.yaml:3:5: job 'bakup' has no patterns; give at least one of 'success', 'failure',"
                    + " 'start' or 'measure'; to change the job 'backup' of 'restic', write its name exactly",
                "etc/backup.yaml:3:20: 'max_runtime' needs 'start' patterns: 'stuck' is timed from a start line",
            ]
        )
    }

    @Test func aNewJobWithoutPatternsOverABaseWithOneJobNamesThatJob() {
        let oneJob = library([
            "systemd": "source: { journal: { fields: { _PID: \"1\" } } }\njobs:\n"
                + "  - { name: \"{UNIT}\", success: { fields: { MESSAGE_ID: x } }, failure: { fields: { UNIT_RESULT: y } } }"
        ])
        #expect(
            errorLines("extends: systemd\njobs:\n  - { name: run, schedule: { every: 1d } }", library: oneJob) == [
                "etc/backup.yaml:3:5: job 'run' has no patterns; give at least one of 'success', 'failure',"
                    + " 'start' or 'measure'; to change the job '{UNIT}' of 'systemd', write its name exactly"
            ]
        )
    }

    @Test func aKeyWrittenEmptyInANewJobIsStillAnError() {
        #expect(
            errorLines("extends: restic\njobs:\n  - name: new\n    success: done\n    max_runtime:\n") == [
                "etc/backup.yaml:5:5: expected a duration for 'max_runtime', such as 90s, 24h or 1h30m",
                "etc/backup.yaml:5:5: 'max_runtime' needs 'start' patterns: 'stuck' is timed from a start line",
            ]
        )
    }

    @Test func theSameOverrideTwiceIsADuplicateName() {
        #expect(
            errorLines("extends: restic\njobs:\n  - { name: prune, disable: true }\n  - { name: prune, success: p }")
                == ["etc/backup.yaml:4:13: job name 'prune' is already used at line 3; give each job its own name"]
        )
    }
}
