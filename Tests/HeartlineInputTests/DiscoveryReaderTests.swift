import Foundation
import HeartlineCore
import HeartlineInput
import Testing

/// What `heartline discover` reads from a tree (systemd.unit(5)'s load path and drop-ins, cron(8)'s
/// file names), on a tree made here.
struct DiscoveryReaderTests {
    static func write(_ root: String, _ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func link(_ root: String, _ path: String, to target: String) throws {
        let url = URL(fileURLWithPath: root + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    @Test func unitFilesDropInsEnablementAndMasksAreReadAsSystemdReadsThem() throws {
        let tree = try TemporaryDirectory()
        let root = tree.path
        // /etc overrides /lib; drop-ins from both, sorted by name, /etc's winning a shared name.
        try Self.write(root, "/lib/systemd/system/a.timer", "[Timer]\nOnCalendar=daily\n")
        try Self.write(root, "/etc/systemd/system/a.timer", "[Timer]\nOnCalendar=weekly\n")
        try Self.write(root, "/lib/systemd/system/a.service", "[Service]\n")
        try Self.write(root, "/lib/systemd/system/a.timer.d/20-lib.conf", "[Timer]\nAccuracySec=1h\n")
        try Self.write(root, "/lib/systemd/system/a.timer.d/10-both.conf", "[Timer]\nAccuracySec=2h\n")
        try Self.write(root, "/etc/systemd/system/a.timer.d/10-both.conf", "[Timer]\nRandomizedDelaySec=5m\n")
        try Self.write(root, "/run/systemd/system/timer.d/05-all.conf", "[Timer]\nPersistent=true\n")
        try Self.link(root, "/etc/systemd/system/timers.target.wants/a.timer", to: "/etc/systemd/system/a.timer")
        // Not enabled; and masked.
        try Self.write(root, "/lib/systemd/system/b.timer", "[Timer]\nOnCalendar=daily\n")
        try Self.write(root, "/lib/systemd/system/c.timer", "[Timer]\nOnCalendar=daily\n")
        try Self.link(root, "/etc/systemd/system/c.timer", to: "/dev/null")
        // An enabled instance of a template.
        try Self.write(root, "/lib/systemd/system/dump@.timer", "[Timer]\nOnCalendar=Sun 01:00\n")
        try Self.write(root, "/lib/systemd/system/dump@.service", "[Service]\n")
        try Self.link(root, "/lib/systemd/system/timers.target.wants/dump@main.timer", to: "../dump@.timer")
        try Self.write(root, "/etc/timezone", "Europe/Berlin\n")

        let input = DiscoveryReader(root: root).read(timers: true, crontabs: false)
        #expect(input.timezone.identifier == "Europe/Berlin")
        #expect(input.timers.map(\.name) == ["a.timer", "dump@main.timer", "b.timer", "c.timer"])
        let a = input.timers[0]
        #expect(a.enabled && !a.masked && a.unitExists == true)
        #expect(
            a.files.map(\.path) == [
                root + "/etc/systemd/system/a.timer", root + "/run/systemd/system/timer.d/05-all.conf",
                root + "/etc/systemd/system/a.timer.d/10-both.conf", root + "/lib/systemd/system/a.timer.d/20-lib.conf",
            ])
        let timer = TimerUnit(name: a.name, files: a.files)
        #expect(timer.triggers.map(\.trigger) == [.calendar("weekly")])
        #expect(timer.accuracy == 3_600_000_000 && timer.randomizedDelay == 300_000_000 && timer.persistent)
        #expect(input.timers[1].enabled && input.timers[1].unitExists == true)
        // timer.d/ applies to every timer, an instance's too.
        #expect(
            input.timers[1].files.map(\.path) == [
                root + "/lib/systemd/system/dump@.timer", root + "/run/systemd/system/timer.d/05-all.conf",
            ])
        #expect(!input.timers[2].enabled)
        #expect(input.timers[3].masked)
    }

    @Test func crontabsAreReadWhereCronReadsThem() throws {
        let tree = try TemporaryDirectory()
        let root = tree.path
        try Self.write(root, "/etc/crontab", "17 * * * * root run-parts /etc/cron.hourly\n")
        try Self.write(root, "/etc/cron.d/backup", "0 2 * * * root /usr/local/bin/backup\n")
        try Self.write(root, "/etc/cron.d/backup.dpkg-old", "0 3 * * * root /usr/local/bin/old\n")
        try Self.write(root, "/var/spool/cron/crontabs/alice", "0 7 * * * /home/alice/report\n")
        try Self.write(root, "/etc/anacrontab", "1 5 cron.daily run-parts /etc/cron.daily\n")
        try Self.link(root, "/etc/localtime", to: "/usr/share/zoneinfo/America/New_York")
        let input = DiscoveryReader(root: root).read(timers: false, crontabs: true)
        #expect(input.timers.isEmpty)
        #expect(input.timezone.identifier == "America/New_York")
        #expect(
            input.crontabs.map(\.path)
                == ["/etc/crontab", "/etc/cron.d/backup", "/var/spool/cron/crontabs/alice"].map { root + $0 })
        #expect(input.crontabs.map(\.kind) == [.system, .system, .user("alice")])
        #expect(input.anacrontab?.jobs.map(\.identifier) == ["cron.daily"])
        #expect(input.problems.count == 1)
        #expect(input.problems.first?.hasPrefix(root + "/etc/cron.d/backup.dpkg-old: ignored by cron") == true)
    }
}
