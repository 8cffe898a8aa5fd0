import Testing

@testable import HeartlineCore

/// ``FieldDecoder`` on logfmt lines, by go-logfmt's decoder rules.
struct LogfmtFieldDecodingTests {
    @Test func pairsOfBareAndQuotedValuesAreStringsAndNumericOnesReadAsNumbers() {
        var decoder = FieldDecoder("level", "msg", "rows", "missing")
        #expect(decoder.decode(#"level=info msg="export done" rows=1200"#, format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.values == [.string("info"), .string("export done"), .string("1200"), nil])
        #expect(decoder.number(at: 2) == 1200)
        #expect(decoder.value(at: 2)?.number == 1200)
        #expect(decoder.number(at: 0) == nil)
        #expect(decoder.kind(at: 1) == .string)
    }

    @Test func aBareKeyAndAKeyWithAnEmptyValueBothHaveTheEmptyString() {
        var decoder = FieldDecoder("flag", "empty", "after", "quoted")
        #expect(decoder.decode(#"a=1 flag empty= after=2 quoted="""#, format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.values == [.string(""), .string(""), .string("2"), .string("")])
    }

    @Test(arguments: [
        (#"m="say \"hi\"""#, "say \"hi\""),
        (#"m="back\\slash""#, "back\\slash"),
        (#"m="a\nb\tc\rd""#, "a\nb\tc\rd"),
        (#"m="it\'s""#, "it's"),
        (#"m="caf\u00e9 \ud83d\ude00""#, "café 😀"),
        (#"m="a=b c""#, "a=b c"),
        ("m=\"raw\ttab\"", "raw\ttab"),
        ("m=ƒ→x", "ƒ→x"),
    ])
    func quotedValuesHaveTheirEscapesDecoded(line: String, text: String) {
        var decoder = FieldDecoder("m")
        #expect(decoder.decode(line, format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.value(at: 0) == .string(text))
    }

    @Test func theLastPairWithAKeyWins() {
        var decoder = FieldDecoder("level")
        #expect(decoder.decode("level=info x=1 level=error", format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.value(at: 0) == .string("error"))
    }

    @Test func keysAreFlatSoADottedPathIsTheWholeKey() {
        var decoder = FieldDecoder("error.code", "error")
        #expect(decoder.decode("error.code=E42 error=x", format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.values == [.string("E42"), .string("x")])
    }

    @Test func anySpaceOrControlByteSeparatesPairsAndAQuotedValueMayTouchTheNextKey() {
        var decoder = FieldDecoder("a", "b", "c", "d")
        #expect(decoder.decode("  a=1\t\tb=\"two\"c=3 \u{1E} d=4  ", format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.values == [.string("1"), .string("two"), .string("3"), .string("4")])
    }

    @Test(arguments: [
        ("=bar", FieldDecoder.Failure.Code.logfmtUnexpectedByte, 0),
        (#""k"=bar"#, .logfmtUnexpectedByte, 0),
        (#"k"ey=bar"#, .logfmtUnexpectedByte, 1),
        (#"k=b"ar"#, .logfmtUnexpectedByte, 3),
        ("k=b =ar", .logfmtUnexpectedByte, 4),
        ("a==", .logfmtUnexpectedByte, 2),
        ("k=b=ar", .logfmtUnexpectedByte, 3),
        (#"a="1"#, .unterminatedQuote, 4),
        (#"a="1\"#, .unterminatedQuote, 5),
        (#"a="\t1"#, .unterminatedQuote, 6),
        (#"level=info msg="export done"#, .unterminatedQuote, 27),
        (#"a="\u1""#, .invalidEscape, 6),
        (#"a="\q""#, .invalidEscape, 4),
    ])
    func goLogfmtSyntaxErrorsAreUndecodableAndTheNextLineDecodesAfresh(
        line: String, code: FieldDecoder.Failure.Code, offset: Int
    ) {
        var decoder = FieldDecoder("level", "a")
        #expect(decoder.decode("level=info a=1", format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.decode(line, format: .logfmt) == .undecodable(FieldDecoder.Failure(code, at: offset)))
        #expect(decoder.values == [nil, nil])
        #expect(decoder.decode("level=warn", format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.values == [.string("warn"), nil])
    }

    @Test func anEmptyLineDecodesWithNoFields() {
        var decoder = FieldDecoder("a")
        #expect(decoder.decode("", format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.decode("   ", format: .auto) == .decoded(.logfmt))
        #expect(decoder.value(at: 0) == nil)
    }

    @Test func aPlainTextLineUnderAutoIsLogfmtOfBareKeys() {
        // Linux_2k.log of Loghub (https://github.com/logpai/loghub), a syslog line as it is there.
        let line =
            "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 "
            + "tty=NODEVssh ruser= rhost=218.188.2.4 "
        var decoder = FieldDecoder("uid", "logname", "combo", "rhost")
        #expect(decoder.decode(line, format: .auto) == .decoded(.logfmt))
        #expect(decoder.values == [.string("0"), .string(""), .string(""), .string("218.188.2.4")])
    }

    /// Hand-written in the form of Go's `log/slog` TextHandler (pkg.go.dev/log/slog, "The default
    /// handler… TextHandler"): `time=… level=INFO msg=hello count=3`, values quoted only when needed.
    @Test func aLineInGoSlogTextHandlerFormDecodes() {
        let line = #"time=2026-12-05T10:00:00.123Z level=INFO msg="export done" job=export rows=1200 duration=5.321s"#
        var decoder = FieldDecoder("level", "msg", "rows", "duration")
        #expect(decoder.decode(line, format: .auto) == .decoded(.logfmt))
        #expect(decoder.values == [.string("INFO"), .string("export done"), .string("1200"), .string("5.321s")])
        #expect(decoder.number(at: 2) == 1200)
        #expect(decoder.number(at: 3) == nil)
    }

    /// Hand-written in the form of Heroku's router log lines (devcenter.heroku.com/articles/http-routing,
    /// brandur.org/logfmt).
    @Test func aLineInHerokuRouterFormDecodes() {
        let line =
            #"at=info method=GET path="/export" host=app.example.com fwd="203.0.113.7" dyno=web.1 connect=1ms "#
            + "service=18ms status=200 bytes=13"
        var decoder = FieldDecoder("at", "path", "status", "service")
        #expect(decoder.decode(line, format: .logfmt) == .decoded(.logfmt))
        #expect(decoder.values == [.string("info"), .string("/export"), .string("200"), .string("18ms")])
        #expect(decoder.number(at: 2) == 200)
    }

    @Test func allFieldsListsEveryPairOnceWithItsLastValue() {
        let listing = FieldDecoder(paths: []).allFields(#"a=1 b="x y" flag a=2"#, format: .logfmt)
        #expect(listing.outcome == .decoded(.logfmt))
        #expect(listing.fields.map { "\($0.path)=\($0.value.text)" } == ["b=x y", "flag=", "a=2"])
    }
}
