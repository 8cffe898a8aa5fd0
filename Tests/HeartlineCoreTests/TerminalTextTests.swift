import HeartlineCore
import Testing

/// ``TerminalText``: what human-facing output shows of text it did not write.
struct TerminalTextTests {
    @Test(arguments: [
        ("nightly", "nightly"),
        ("host-db1.example.org", "host-db1.example.org"),
        ("café ☃ \u{A0}\u{FFFD}", "café ☃ \u{A0}\u{FFFD}"),
        ("\u{1B}[2J", "\\x1b[2J"),
        ("\u{1B}]0;pwned\u{07}", "\\x1b]0;pwned\\x07"),
        ("one\ntwo\r\tthree", "one\\ntwo\\r\\tthree"),
        ("\u{0}\u{1F}\u{7F}\u{80}\u{9B}\u{9F}", "\\x00\\x1f\\x7f\\x80\\x9b\\x9f"),
        ("App\\Jobs\\SendInvoice", "App\\Jobs\\SendInvoice"),
        ("a\\x1b \\n \\\\ \\", "a\\\\x1b \\\\n \\\\\\ \\"),
        ("\\\u{1B}", "\\\\\\x1b"),
    ])
    func controlCharactersAndBackslashesAreShownEscaped(text: String, shown: String) {
        #expect(TerminalText.escaped(text) == shown)
    }

    @Test func escapedTextHasNoControlCharacterLeft() {
        let all = String(String.UnicodeScalarView((0...0xA0).compactMap(Unicode.Scalar.init)))
        let shown = TerminalText.escaped(all)
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    @Test func aRegexKeepsItsBackslashesAndEscapesItsControlCharacters() {
        #expect(TerminalText.escaped(regex: "done on (?<host>\\w+)") == "done on (?<host>\\w+)")
        #expect(TerminalText.escaped(regex: "\u{1B}]0;x\u{07}\n") == "\\x1b]0;x\\x07\\n")
    }

    @Test func aConfigErrorShowsTheQuotedKeyAndThePathEscaped() {
        let error = ConfigError(
            location: SourceLocation(file: "patterns/\u{1B}[2Jsvc.yaml", line: 4, column: 5),
            message: "unknown key 'suc\u{1B}]0;pwned\u{07}cess' in job")
        #expect(error.description == "patterns/\\x1b[2Jsvc.yaml:4:5: unknown key 'suc\\x1b]0;pwned\\x07cess' in job")
    }

    @Test func aParsedKeyWithAnEscapeIsQuotedEscaped() {
        let yaml = "service: svc\njobs:\n  - name: a\n    \"succ\\e[2Jess\": 'done'\n    success: 'ok'\n"
        do {
            _ = try PatternFileParser.parse(yaml, path: "s\u{9B}vc.yaml")
            Issue.record("the key was accepted")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "s\\x9bvc.yaml:4:5: unknown key 'succ\\x1b[2Jess' in job; valid keys are 'name', 'success', "
                        + "'failure', 'start', 'ignore', 'measure', 'threshold', 'schedule', 'max_runtime', "
                        + "'min_runtime', 'run_key', 'failure_burst', 'min_count', 'ping_url', 'forget_after', "
                        + "'quiet_until_first_line', 'instances' and 'disable'"
                ])
        }
    }
}
