import Foundation
import HeartlineCore
import HeartlineRegex
import Testing

/// `heartline discover`'s mapping (issue 12): timers to files extending `systemd`, crontab
/// entries to files extending `cron`, anacron jobs to files extending `anacron`; each file parses
/// against the shipped library, with the schedule its source gives.
struct DiscoveryTests {
    /// The repository's shipped pattern files, which generated files extend.
    static let library: PatternLibrary = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Patterns")
        let files = Discovery.baseNames.map { name in
            let path = directory.appendingPathComponent("\(name).yaml").path
            return PatternLibrary.File(name: name, path: path, text: try! String(contentsOfFile: path, encoding: .utf8))
        }
        return PatternLibrary(files: files)
    }()

    static let utc = TimeZone(identifier: "UTC")!

    static func timer(_ name: String, _ text: String, enabled: Bool = true) -> DiscoveryInput.Timer {
        DiscoveryInput.Timer(
            name: name, files: [SystemdUnitFile(text: text, path: "/lib/systemd/system/\(name)")], enabled: enabled,
            unitExists: true)
    }

    static func jobs(_ input: DiscoveryInput) -> [DiscoveredJob] {
        Discovery(library: library).jobs(from: input)
    }

    /// The service a generated file describes, parsed as `check` would.
    static func service(_ job: DiscoveredJob) throws -> ServiceSpec {
        try PatternFileParser.parse(
            try #require(job.patternFile), path: "out/\(try #require(job.service)).yaml", library: library)
    }

    @Test func aCalendarTimerIsDueAtItsElapsesWithGraceForItsDelaysAndTheRun() throws {
        // Debian 12's fstrim.timer: weekly, RandomizedDelaySec=6000, AccuracySec=1h.
        let fstrim = Self.timer(
            "fstrim.timer", "[Timer]\nOnCalendar=weekly\nAccuracySec=1h\nPersistent=true\nRandomizedDelaySec=6000\n")
        let job = try #require(Self.jobs(DiscoveryInput(timers: [fstrim], timezone: Self.utc)).first)
        let service = try Self.service(job)
        #expect(service.name == "fstrim")
        #expect(service.source.journal?.unit == "fstrim.service")
        let spec = try #require(service.jobs.first)
        #expect(spec.name.template == "{UNIT}")
        #expect(spec.instances == ["fstrim.service"])
        let schedule = try #require(spec.schedule)
        // 6000 s + 1 h + 1 h for the run.
        #expect(schedule.grace == 6000 + 3600 + 3600)
        guard case .calendar(let calendars) = schedule.kind else { throw CalendarExpected() }
        #expect(calendars.map(\.normalized) == ["Mon *-*-* 00:00:00"])
        #expect(job.notes.contains { $0.hasPrefix("Persistent=true") })
    }

    struct CalendarExpected: Error {}

    @Test func severalOnCalendarLinesAreDueAtTheEarliestNextElapse() throws {
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let timer = Self.timer("report.timer", "[Timer]\nOnCalendar=Mon 09:00\nOnCalendar=Thu 14:30\n")
        let job = try #require(Self.jobs(DiscoveryInput(timers: [timer], timezone: zone)).first)
        let schedule = try #require(try Self.service(job).jobs.first?.schedule)
        #expect(schedule.timezone.identifier == "Europe/Berlin")
        // Tuesday 2026-12-08 10:00 UTC: Thursday 14:30 in Berlin (CET, UTC+1) comes first.
        #expect(schedule.due(after: RFC3339.parse("2026-12-08T10:00:00Z")!) == RFC3339.parse("2026-12-10T13:30:00Z"))
        // Thursday 15:00 Berlin: next Monday 09:00.
        #expect(schedule.due(after: RFC3339.parse("2026-12-10T14:00:00Z")!) == RFC3339.parse("2026-12-14T08:00:00Z"))
    }

    @Test func monotonicTimersAreDueAfterTheLastRunAndBootTimersHaveNoSchedule() throws {
        // Debian 12's systemd-tmpfiles-clean.timer: OnBootSec=15min, OnUnitActiveSec=1d.
        let tmpfiles = Self.timer("systemd-tmpfiles-clean.timer", "[Timer]\nOnBootSec=15min\nOnUnitActiveSec=1d\n")
        let boot = Self.timer("once.timer", "[Timer]\nOnBootSec=5min\n")
        let jobs = Self.jobs(DiscoveryInput(timers: [tmpfiles, boot], timezone: Self.utc))
        let every = try #require(try Self.service(jobs[0]).jobs.first?.schedule)
        guard case .every(let period) = every.kind else { throw CalendarExpected() }
        #expect(period == 86_400)
        #expect(every.grace == 60 + 3600)
        #expect(jobs[0].notes == ["OnBootSec=15min left out: once per boot"])
        let once = try Self.service(jobs[1])
        #expect(once.jobs.first?.schedule == nil)
        #expect(once.jobs.first?.failureBurst != nil)
    }

    @Test func timersThatCannotBeWatchedAreListedWithWhy() {
        let jobs = Self.jobs(
            DiscoveryInput(
                timers: [
                    Self.timer("off.timer", "[Timer]\nOnCalendar=daily\n", enabled: false),
                    Self.timer("mount.timer", "[Timer]\nOnCalendar=daily\nUnit=backup.mount\n"),
                    Self.timer("empty.timer", "[Timer]\nOnCalendar=daily\nOnCalendar=\n"),
                    Self.timer("cet.timer", "[Timer]\nOnCalendar=daily CET\n"),
                ], timezone: Self.utc))
        #expect(
            jobs.prefix(3).map { $0.skipped ?? "" } == [
                "not enabled: no link to it in timers.target.wants or another .wants directory",
                "starts backup.mount, not a service; systemd.yaml watches services",
                "no OnCalendar= or On...Sec= setting",
            ])
        // Heartline refuses what it cannot read the way this machine's systemd would.
        #expect(jobs[3].skipped?.hasPrefix("OnCalendar=daily CET at /lib/systemd/system/cet.timer:2:1: 'CET'") == true)
        #expect(jobs.allSatisfy { $0.patternFile == nil })
    }

    @Test func aCrontabEntryIsWatchedByItsOwnCMDLineInTheMachinesZoneWhateverCRON_TZSays() throws {
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let crontab = CrontabFile(
            text: "CRON_TZ=America/New_York\n15 2 * * * /usr/local/bin/dump --to=/srv/x%stdin\n@reboot /bin/true\n",
            path: "/var/spool/cron/crontabs/alice", kind: .user("alice"))
        let jobs = Self.jobs(DiscoveryInput(crontabs: [crontab], timezone: zone))
        #expect(jobs.count == 2)
        #expect(jobs[1].skipped == "@reboot runs once at boot: there is no schedule to hold it to")
        let service = try Self.service(jobs[0])
        #expect(service.name == "cron-alice-usr-local-bin-dump-to-srv-x")
        // Only the entry's own job: the base's jobs are disabled.
        #expect(service.jobs.map(\.name.template) == ["alice: /usr/local/bin/dump --to=/srv/x"])
        let schedule = try #require(service.jobs[0].schedule)
        #expect(schedule.timezone.identifier == "Europe/Berlin")
        #expect(schedule.grace == 300)
        #expect(jobs[0].notes.first?.hasPrefix("CRON_TZ=America/New_York is not honoured by Debian's cron") == true)
        let regex = try #require(service.jobs[0].success.first?.regex)
        let scratch = MatchScratch()
        func matches(_ line: String) -> Bool {
            Array(line.utf8).withUnsafeBytes { regex.match($0, scratch: scratch) == .matched }
        }
        // cron's log lines (fixtures/library/cron's shapes): with and without -L 8's pid.
        #expect(matches("(alice) CMD (/usr/local/bin/dump --to=/srv/x)"))
        #expect(matches("CRON[474]: (alice) CMD ([475] /usr/local/bin/dump --to=/srv/x)"))
        #expect(!matches("(bob) CMD (/usr/local/bin/dump --to=/srv/x)"))
        #expect(!matches("(alice) CMD (/usr/local/bin/dump --to=/srv/xy)"))
    }

    @Test(arguments: [
        ("echo a%b%c", "echo a"), (#"date +\%F"#, "date +%F"), (#"a\b"#, #"a\b"#), ("tab\there", "tab^Ihere"),
        ("caf\u{E9}", #"caf\303\251"#), ("del\u{7F}", "del^?"),
    ])
    func theCommandIsLoggedAsCronWritesIt(command: String, logged: String) {
        #expect(Discovery.loggedCommand(command) == logged)
    }

    @Test(arguments: [#"a.b*c(d)[e]{f}|g^h$i?j+k\l"#, "plain text", "tab\tand\u{7F}"])
    func anEscapedTextMatchesItselfOnly(text: String) throws {
        let regex = try CompiledRegex("^" + PCRE2Literal.escaped(text) + "$")
        let scratch = MatchScratch()
        #expect(Array(text.utf8).withUnsafeBytes { regex.match($0, scratch: scratch) } == .matched)
        #expect(Array((text + "x").utf8).withUnsafeBytes { regex.match($0, scratch: scratch) } == .noMatch)
    }

    @Test func anAnacronJobIsDueItsPeriodAfterItsLastRun() throws {
        let anacrontab = AnacrontabFile(
            text: "1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n@monthly 15 backup /usr/local/bin/b\n",
            path: "/etc/anacrontab")
        let jobs = Self.jobs(DiscoveryInput(anacrontab: anacrontab))
        let daily = try Self.service(jobs[0])
        #expect(daily.jobs.map(\.name.template) == ["cron.daily"])
        let schedule = try #require(daily.jobs[0].schedule)
        guard case .every(let period) = schedule.kind else { throw CalendarExpected() }
        #expect(period == 86_400)
        #expect(schedule.grace == 5 * 60 + 7200)
        let monthly = try Self.service(jobs[1])
        #expect(monthly.jobs.map(\.name.template) == ["backup"])
        #expect(monthly.jobs[0].schedule.map(\.grace) == Int64(15 * 60 + 86_400))
    }

    @Test func aGeneratedFileIsReplacedOnlyWhileNobodyChangedIt() {
        let first = GeneratedPatternFile.text(body: "extends: cron\n", source: "/etc/crontab")
        let second = GeneratedPatternFile.text(body: "extends: cron\nservice: x\n", source: "/etc/crontab")
        #expect(GeneratedPatternFile.decide(existing: nil, new: first) == .create)
        #expect(GeneratedPatternFile.decide(existing: first, new: first) == .unchanged)
        #expect(GeneratedPatternFile.decide(existing: first, new: second) == .replace)
        #expect(GeneratedPatternFile.decide(existing: first + "# mine\n", new: second) == .keep)
        #expect(GeneratedPatternFile.decide(existing: "extends: cron\n", new: second) == .keep)
    }
}
