import HeartlineCore
import Testing

/// Crontabs as Debian's cron 3.0pl1-162 reads them (crontab(5), cron(8)) and anacrontab(5).
struct CrontabFileTests {
    @Test func systemCrontabEntriesHaveAUserAndKeepTheVariablesAboveThem() {
        // The first lines are Debian's /etc/crontab; the rest after crontab(5).
        let text = """
            SHELL=/bin/sh
            # m h dom mon dow user  command
            17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly
            CRON_TZ = "Europe/Berlin"
            @daily backup /usr/local/bin/nightly --all
              # a comment after blanks
            @every backup x
            61 * * * * root never
            0 0 30 2 * root leap
            5 4 * * sun root
            """
        let crontab = CrontabFile(text: text, path: "/etc/crontab", kind: .system)
        #expect(
            crontab.entries.map { "\($0.location.line) \($0.when)|\($0.user)|\($0.command)" } == [
                "3 17 * * * *|root|cd / && run-parts --report /etc/cron.hourly",
                "5 @daily|backup|/usr/local/bin/nightly --all",
            ])
        #expect(crontab.entries[1].variables == ["SHELL": "/bin/sh", "CRON_TZ": "Europe/Berlin"])
        #expect(
            crontab.problems.map { "\($0.location.line) \($0.ignoresFile) \($0.reason)" } == [
                "7 true '@every' is not one of @reboot @yearly @annually @monthly @weekly @daily @midnight @hourly",
                "8 true bad time fields '61 * * * *': minute field: 61 is out of range 0-59",
                "9 false cron '0 0 30 2 *' never fires: February has at most 29 days",
                "10 true no command",
            ])
    }

    @Test func aUserCrontabHasNoUserField() {
        let crontab = CrontabFile(
            text: "*/20 9-17 * * mon-fri /home/alice/bin/sync\n", path: "alice", kind: .user("alice"))
        #expect(crontab.entries.map(\.user) == ["alice"])
        #expect(crontab.entries.map(\.command) == ["/home/alice/bin/sync"])
    }

    @Test func anacrontabJobsAssignmentsAndContinuedLines() {
        // Debian's /etc/anacrontab (anacron 2.3-36), then a continued line and mistakes.
        let text = """
            SHELL=/bin/sh
            1\t5\tcron.daily\trun-parts --report /etc/cron.daily
            @monthly\t15\tcron.monthly\trun-parts --report /etc/cron.monthly
            3 10 backup /usr/local/bin/backup \\
            --all
            x 1 y z
            1 1 a/b c
            """
        let anacrontab = AnacrontabFile(text: text, path: "/etc/anacrontab")
        #expect(
            anacrontab.jobs.map { "\($0.periodDays) \($0.monthly) \($0.delayMinutes) \($0.identifier) \($0.command)" }
                == [
                    "1 false 5 cron.daily run-parts --report /etc/cron.daily",
                    "31 true 15 cron.monthly run-parts --report /etc/cron.monthly",
                    "3 false 10 backup /usr/local/bin/backup --all",
                ])
        #expect(
            anacrontab.problems.map { "\($0.location.line) \($0.reason)" } == [
                "6 period 'x' is neither a number of days nor @monthly", "7 job id 'a/b' contains '/'",
            ])
    }
}
