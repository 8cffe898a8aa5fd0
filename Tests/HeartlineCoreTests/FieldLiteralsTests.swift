import Testing

@testable import HeartlineCore

/// The texts the prefilter scans for on behalf of patterns of fields alone (``FieldLiterals``), and
/// that passing over lines without them never changes what matches. Lines are hand-written after
/// RFC 8259 (JSON escapes) and go-logfmt (quoted values with backslash escapes).
struct FieldLiteralsTests {
    static func pattern(_ fields: String) throws -> PatternSpec {
        let yaml = "source: { format: auto }\njobs:\n  - name: a\n    success: { fields: \(fields) }\n"
        return try PatternFileParser.parse(yaml, path: "svc.yaml").jobs[0].success[0]
    }

    @Test(
        arguments: [
            ("{ msg: export done }", ["export done"]),
            ("{ msg: [export done, export skipped] }", ["export done", "export skipped"]),
            // A number equals other spellings of itself (1200.0), so its key is what must be there.
            ("{ rows: 1200 }", ["rows"]),
            ("{ rows: { above: 0 } }", ["rows"]),
            ("{ error.code: { regex: '^5' } }", ["code"]),
            ("{ error: { present: true } }", ["error"]),
            // The most selective condition: the one whose shortest text is longest.
            ("{ level: error, msg: export done }", ["export done"]),
            ("{ job: [a, invoice], msg: done }", ["done"]),
            // An empty value has no text of its own, but its key is there.
            ("{ msg: '' }", ["msg"]),
        ] as [(String, [String])])
    func aPatternRequiresTheTextsOfItsMostSelectiveCondition(fields: String, expected: [String]) throws {
        #expect(FieldLiterals.required(by: try Self.pattern(fields)) == expected)
    }

    @Test(arguments: ["{ error: { present: false } }", "{ JOB_RESULT: done }"])
    func aPatternWithoutATextToScanForIsTriedOnEveryLine(fields: String) throws {
        #expect(FieldLiterals.required(by: try Self.pattern(fields)) == nil)
    }

    @Test func literalsMatchExactlyTheirTextAsPatterns() throws {
        #expect(FieldLiterals.pattern("job done") == #"job\x{20}done"#)
        #expect(FieldLiterals.pattern("a.b[1]") == #"a\x{2e}b\x{5b}1\x{5d}"#)
        #expect(FieldLiterals.pattern("résumé") == #"résumé"#)
    }

    /// Lines whose fields hold the values only through an escape, which the text scan cannot see:
    /// every line with a backslash is tried, so the prefilter changes nothing
    /// (``FieldPatternTests/events(_:_:)`` matches with it and without it and compares).
    @Test func escapesInValuesOrKeysStillMatchWithThePrefilter() throws {
        let yaml = """
            source: { format: auto }
            jobs:
              - name: export
                success: { fields: { msg: export done, rows: { above: 0 } } }
                failure: { fields: { msg: export failed } }
              - name: other
                success: 'unrelated text'
            """
        let lines = [
            #"{"msg":"export\u0020done","rows":3}"#,
            #"{"m\u0073g":"export done","rows":3}"#,
            #"{"msg":"export done","r\u006fws":3}"#,
            #"msg="export\u0020done" rows=3"#,
            #"msg="export failed" path="C:\\tmp""#,
            #"msg=export rows=3"#,
            #"{"msg":"export done","rows":3}"#,
            #"{"msg":"export done"}"#,
            "unrelated text",
        ]
        let kinds = try FieldPatternTests.kinds(yaml, lines)
        #expect(kinds == [[.success], [.success], [.success], [.success], [.failure], [], [.success], [], [.success]])
    }

    @Test func theMatcherScansForFieldTextAndSaysSo() throws {
        let spec = try PatternFileParser.parse(
            """
            jobs:
              - name: export
                success: { fields: { msg: export done } }
                failure: { fields: { error: { present: false }, level: error } }
              - name: any
                start: { fields: { msg: { present: false } } }
            """, path: "svc.yaml")
        let matcher = LineMatcher(services: [spec])
        #expect(matcher.prefilterTake(ofPattern: 0) == .fieldText(["error"]))
        #expect(matcher.prefilterTake(ofPattern: 1) == .fieldText(["export done"]))
        #expect(matcher.prefilterTake(ofPattern: 2) == .everyLine)
        #expect(matcher.triesEveryLine(of: [0]))
        let filtered = LineMatcher(services: [
            try PatternFileParser.parse(
                "jobs:\n  - name: export\n    success: { fields: { msg: export done } }\n", path: "svc.yaml")
        ])
        #expect(!filtered.triesEveryLine(of: [0]))
    }
}
