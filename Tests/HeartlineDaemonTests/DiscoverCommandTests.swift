import Foundation
import HeartlineCore
import HeartlineInput
import Testing

/// `heartline discover` on a tree copied from a Debian 12 machine (fixtures/discover/debian12, see
/// its README): the files it writes pass `check`, and carry the schedules of their sources.
@Suite(.serialized)
struct DiscoverCommandTests {
    static let root = CheckConfigTests.root

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("heartline-discover-\(UUID())")
    }

    /// Every schedule, worked out by hand from the tree's units and crontabs (not from heartline's
    /// output): the job, then its schedule, zone and grace in seconds. The tree's zone is Etc/UTC
    /// (its /etc/timezone). Timers: grace = RandomizedDelaySec + AccuracySec (1min unless set) + 1h.
    /// Crontab entries: cron's own fields, grace 5m, in the machine's zone whatever CRON_TZ says.
    static let expected: [String] = [
        "apt-daily-upgrade.service calendar *-*-* 6:00 Etc/UTC 7260",  // 60m + 1m + 1h
        "apt-daily.service calendar *-*-* 6,18:00 Etc/UTC 46860",  // 12h + 1m + 1h
        "dpkg-db-backup.service calendar daily Etc/UTC 3660",  // 1m + 1h
        "e2scrub_all.service calendar Sun *-*-* 03:10:00 Etc/UTC 3720",  // 60s + 1m + 1h
        "fstrim.service calendar weekly Etc/UTC 13200",  // 6000s + 1h + 1h
        "logrotate.service calendar daily Etc/UTC 7200",  // AccuracySec=1h + 1h
        "man-db.service calendar daily Etc/UTC 46860",  // 12h + 1m + 1h
        "systemd-tmpfiles-clean.service every 86400 3660",  // OnUnitActiveSec=1d
        "root: cd / && run-parts --report /etc/cron.hourly cron 17 * * * * Etc/UTC 300",
        "root: test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }"
            + " cron 25 6 * * * Etc/UTC 300",
        "root: test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.weekly; }"
            + " cron 47 6 * * 7 Etc/UTC 300",
        "root: test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.monthly; }"
            + " cron 52 6 1 * * Etc/UTC 300",
        "postgres: /usr/local/bin/pg-dump-all --gzip > /var/backups/pg/all.sql.gz cron 15 2 * * * Etc/UTC 300",
        // cron logs the command up to its first '%'.
        "root: /usr/local/bin/restic-nas backup cron 30 22 * * 1-5 Etc/UTC 300",
        "root: test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron"
            + " cron 30 3 * * 0 Etc/UTC 300",
        "root: test -e /run/systemd/system || SERVICE_MODE=1 /sbin/e2scrub_all -A -r cron 10 3 * * * Etc/UTC 300",
        // CRON_TZ=America/New_York above them changes nothing in Debian's cron.
        "alice: /home/alice/bin/sync-inbox cron */20 9-17 * * mon-fri Etc/UTC 300",
        "alice: /home/alice/bin/monthly-report --mail cron 0 7 1 * * Etc/UTC 300",
    ]

    /// A job's schedule in the form of ``expected``.
    static func describe(_ service: ServiceSpec) -> String {
        let job = service.jobs.last!
        let name = job.instances.first ?? job.name.template
        guard let schedule = job.schedule else { return "\(name) none" }
        let kind: String
        switch schedule.kind {
        case .calendar(let calendars): kind = "calendar " + calendars.map(\.source).joined(separator: " | ")
        case .cron(let cron): kind = "cron \(cron)"
        case .every(let seconds): return "\(name) every \(seconds) \(schedule.grace)"  // no zone: a period
        }
        return "\(name) \(kind) \(schedule.timezone.identifier) \(schedule.grace)"
    }

    @Test func theDebian12TreeGivesFilesThatCheckAcceptsWithTheSchedulesOfTheirSources() throws {
        let output = Self.scratch()
        let result = try DaemonProcess.run(
            ["discover", "--root", "fixtures/discover/debian12", "--output", output.path], in: Self.root)
        #expect(result.status == 0)
        let check = try DaemonProcess.run(["check", "--patterns", output.path], in: Self.root)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasSuffix("; no errors\n"))
        let library = LibrarySearchPath(named: [Self.root.appendingPathComponent("Patterns").path])
        let services = try ServiceLoader.load([output.path], library: library)
        // Compared by schedule: the service names are a slug of the unit or command, not the point here.
        #expect(Set(services.map(Self.describe)) == Set(Self.expected))
        #expect(services.count == Self.expected.count)
        // Each cron file watches its own entry only: the base's jobs are disabled.
        for service in services where service.name.hasPrefix("cron-") { #expect(service.jobs.count == 1) }
        // What has no file is listed with why.
        let lines = result.stdout.split(separator: "\n")
        #expect(
            lines.contains {
                $0.hasPrefix("@reboot root /usr/local/bin/warm-cache ")
                    && $0.hasSuffix(
                        "skipped: @reboot runs once at boot: there is no schedule to hold it to")
            })
        #expect(
            lines.contains {
                $0.hasPrefix("0 4 * * * root /usr/local/bin/prune-old ")
                    && $0.hasSuffix(
                        "skipped: cron ignores this whole file for line 4 (syntax error)")
            })
        #expect(
            lines.contains {
                $0.hasPrefix("61 4 * * * root /usr/local/bin/never-runs ")
                    && $0.contains(
                        "skipped: cron refuses this line, and so the whole file: bad time fields '61 4 * * *'")
            })
        // The next due time is in the schedule's zone: fstrim on a Monday at midnight.
        let fstrim = try #require(lines.first { $0.hasPrefix("fstrim.timer ") })
        #expect(fstrim.range(of: #" \d{4}-\d\d-\d\d 00:00:00 Etc/UTC "#, options: .regularExpression) != nil)
        #expect(lines.contains("zone: Etc/UTC (from fixtures/discover/debian12/etc/timezone)"))
        #expect(lines.contains { $0.contains("CRON_TZ=America/New_York is not honoured by Debian's cron") })
    }

    /// The rule test's pattern files (fixtures/discover/patterns) are what discover writes today.
    @Test func theCommittedFixturePatternsAreWhatDiscoverWritesToday() throws {
        let output = Self.scratch()
        let result = try DaemonProcess.run(
            ["discover", "--root", "fixtures/discover/debian12", "--timers", "--output", output.path], in: Self.root)
        #expect(result.status == 0)
        let committed = Self.root.appendingPathComponent("fixtures/discover/patterns")
        let names = try FileManager.default.contentsOfDirectory(atPath: committed.path).sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == names)
        let fix = "run heartline discover --root fixtures/discover/debian12 --timers --output fixtures/discover/patterns"
        for name in names {
            let fresh = try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
            let kept = try String(contentsOf: committed.appendingPathComponent(name), encoding: .utf8)
            #expect(fresh == kept, "\(name) differs; \(fix)")
        }
    }

    @Test func aFileTheUserChangedIsKeptAndAnUntouchedOneIsRewritten() throws {
        let output = Self.scratch()
        let arguments = ["discover", "--root", "fixtures/discover/debian12", "--timers", "--output", output.path]
        #expect(try DaemonProcess.run(arguments, in: Self.root).status == 0)
        let fstrim = output.appendingPathComponent("fstrim.yaml")
        let changed = try String(contentsOf: fstrim, encoding: .utf8).replacingOccurrences(
            of: "grace: 3h40m", with: "grace: 6h")
        try changed.write(to: fstrim, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: output.appendingPathComponent("man-db.yaml"))
        let again = try DaemonProcess.run(arguments, in: Self.root)
        let lines = again.stdout.split(separator: "\n")
        #expect(
            lines.contains { $0.hasPrefix("fstrim.timer ") && $0.hasSuffix("\(fstrim.path) kept (changed by you)") })
        #expect(lines.contains { $0.hasPrefix("man-db.timer ") && $0.hasSuffix("man-db.yaml written") })
        #expect(lines.contains { $0.hasPrefix("logrotate.timer ") && $0.hasSuffix("logrotate.yaml unchanged") })
        #expect(try String(contentsOf: fstrim, encoding: .utf8) == changed)
    }
}
