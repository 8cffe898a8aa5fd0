import HeartlineCore
import Testing

/// Unit files as systemd reads them (systemd.syntax(7)) and the `[Timer]` settings of
/// systemd.timer(5); the cases are the man pages' own rules and examples.
struct SystemdUnitFileTests {
    @Test func sectionsAssignmentsCommentsAndContinuationsReadAsSystemdReadsThem() {
        // systemd.syntax(7), Example 1, with CRLF line ends on one line. The backslash becomes a space
        // and the next line is joined as it is, its indentation (7 spaces here) included.
        let text = """
            [Section A]
            KeyOne=value 1
            KeyTwo = value 2\r
            # a comment
            [Section B]
            Setting="something" "some thing" "..."
            KeyTwo=value 2 \\
                   value 2 continued
            [Section C]
            KeyThree=value 3\\
            # this line is ignored
            ; this line is ignored too
                   value 3 continued
            """
        let file = SystemdUnitFile(text: text, path: "a.conf")
        #expect(
            file.assignments.map { "\($0.section)|\($0.key)|\($0.value)|\($0.location.line)" } == [
                "Section A|KeyOne|value 1|2", "Section A|KeyTwo|value 2|3",
                #"Section B|Setting|"something" "some thing" "..."|6"#,
                "Section B|KeyTwo|value 2         value 2 continued|7",
                "Section C|KeyThree|value 3        value 3 continued|10",
            ])
        #expect(file.problems.isEmpty)
    }

    @Test func linesSystemdSkipsAreKeptAsProblems() {
        let file = SystemdUnitFile(text: "Orphan=1\n[Timer]\nno equals here\n[Broken\n", path: "x.timer")
        #expect(file.assignments.isEmpty)
        #expect(
            file.problems.map(\.description) == [
                "x.timer:1:1: assignment outside of a section, ignoring line",
                "x.timer:3:1: missing '=', ignoring line", "x.timer:4:1: invalid section header '[Broken'",
            ])
    }

    @Test(arguments: [
        ("50", Int64(50_000_000)), ("2min 200ms", 120_200_000), ("5h 30min", 19_800_000_000),
        ("1.5h", 5_400_000_000), ("6000", 6_000_000_000), ("1min", 60_000_000), ("60m", 3_600_000_000),
        ("1M", 2_629_800_000_000), ("1us", 1), ("2 weeks", 1_209_600_000_000), ("1y", 31_557_600_000_000),
    ])
    func timeSpansAddUpTheirParts(text: String, microseconds: Int64) {
        #expect(SystemdTimeSpan(text)?.microseconds == microseconds)
    }

    @Test(arguments: ["", "abc", "5 parsecs", "-1s", "1minutesx"])
    func textThatIsNoTimeSpanIsRefused(text: String) {
        #expect(SystemdTimeSpan(text) == nil)
    }

    @Test func dropInsAddCalendarsAnEmptyAssignmentResetsThemAllAndScalarsTakeTheLastValue() {
        let unit = SystemdUnitFile(
            text: "[Timer]\nOnCalendar=daily\nOnBootSec=15min\nAccuracySec=1h\nPersistent=true\n", path: "x.timer")
        let reset = SystemdUnitFile(text: "[Timer]\nOnCalendar=\nOnCalendar=Mon 02:00\n", path: "x.timer.d/a.conf")
        let more = SystemdUnitFile(
            text: "[Timer]\nOnCalendar=Thu 02:00\nRandomizedDelaySec=30m\nAccuracySec=\nUnit=other.service\n",
            path: "x.timer.d/b.conf")
        let timer = TimerUnit(name: "x.timer", files: [unit, reset, more])
        #expect(timer.triggers.map(\.trigger) == [.calendar("Mon 02:00"), .calendar("Thu 02:00")])
        #expect(timer.accuracy == TimerUnit.defaultAccuracy)
        #expect(timer.randomizedDelay == 1_800_000_000)
        #expect(timer.persistent)
        #expect(timer.unitName == "other.service")
        #expect(TimerUnit(name: "x.timer", files: [unit]).unitName == "x.service")
    }

    @Test func aValueSystemdRefusesIsAProblemAndLeavesTheDefault() {
        let file = SystemdUnitFile(text: "[Timer]\nAccuracySec=soon\nPersistent=maybe\n", path: "x.timer")
        let timer = TimerUnit(name: "x.timer", files: [file])
        #expect(timer.accuracy == TimerUnit.defaultAccuracy)
        #expect(!timer.persistent)
        #expect(
            timer.problems.map(\.description) == [
                "x.timer:2:1: AccuracySec=soon is not a time span such as '1min'",
                "x.timer:3:1: Persistent=maybe is not a boolean (yes, no, true, false, on, off, 1, 0)",
            ])
    }
}
