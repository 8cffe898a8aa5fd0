import Testing

@testable import HeartlineCore

/// ``FieldDecoder`` on JSON lines (RFC 8259): paths, values, escapes, repeated keys, strictness.
struct JSONFieldDecodingTests {
    static let good = #"{"level":"INFO","rows":1200}"#

    /// Decodes ``good`` with a decoder that has just seen a bad line, to show nothing carried over.
    static func expectFreshAfterwards(_ decoder: inout FieldDecoder, level: Int, rows: Int) {
        #expect(decoder.decode(good) == .decoded(.json))
        #expect(decoder.value(at: level) == .string("INFO"))
        #expect(decoder.number(at: rows) == 1200)
    }

    @Test func nestedPathsWalkObjectsAndAnObjectIsAlsoAComposite() {
        var decoder = FieldDecoder("error.code", "error.detail.line", "error", "error.missing", "msg")
        let line = #"{"msg":"boom","error":{"code":"E42","detail":{"line":7,"file":"a.c"}}}"#
        #expect(decoder.decode(line) == .decoded(.json))
        #expect(
            decoder.values == [
                .string("E42"), .number(7, text: "7"),
                .composite(#"{"code":"E42","detail":{"line":7,"file":"a.c"}}"#), nil, .string("boom"),
            ])
    }

    @Test func aTopLevelKeyHoldingTheWholeDottedPathWinsOverTheWalkInEitherOrder() {
        var decoder = FieldDecoder("a.b")
        #expect(decoder.decode(#"{"a":{"b":1},"a.b":2}"#) == .decoded(.json))
        #expect(decoder.value(at: 0) == .number(2, text: "2"))
        #expect(decoder.decode(#"{"a.b":2,"a":{"b":1}}"#) == .decoded(.json))
        #expect(decoder.value(at: 0) == .number(2, text: "2"))
        #expect(decoder.decode(#"{"a":{"b":1}}"#) == .decoded(.json))
        #expect(decoder.value(at: 0) == .number(1, text: "1"))
    }

    @Test func pathsStartAtTheTopLevelAndADottedKeyBelowItIsNotAddressed() {
        var decoder = FieldDecoder("code", "x.a.b")
        #expect(decoder.decode(#"{"error":{"code":5},"x":{"a.b":1}}"#) == .decoded(.json))
        #expect(decoder.values == [nil, nil])
    }

    @Test func arraysAreCompositesAndPathsDoNotIndexThem() {
        var decoder = FieldDecoder("tags", "items.id", "items", "empty")
        let line = #"{"tags":["a", "b"],"items":[{"id":1},{"id":2}],"empty":{}}"#
        #expect(decoder.decode(line) == .decoded(.json))
        #expect(
            decoder.values == [
                .composite(#"["a", "b"]"#), nil, .composite(#"[{"id":1},{"id":2}]"#), .composite("{}"),
            ])
        #expect(decoder.kind(at: 0) == .composite)
        #expect(decoder.number(at: 0) == nil)
    }

    @Test(arguments: [
        ("1200", 1200.0),
        ("0", 0),
        ("-0", -0.0),
        ("-42", -42),
        ("3.25", 3.25),
        ("-0.5", -0.5),
        ("1e3", 1000),
        ("2.5E-4", 0.00025),
        ("-1.5e+3", -1500),
        ("12345678901234567890", 12_345_678_901_234_567_168),
        ("0.1", 0.1),
        ("1e400", .infinity),
    ])
    func aNumberKeepsItsLiteralAndItsValue(literal: String, value: Double) {
        var decoder = FieldDecoder("n")
        #expect(decoder.decode(#"{"n":\#(literal)}"#) == .decoded(.json))
        #expect(decoder.value(at: 0) == .number(value, text: literal))
        #expect(decoder.value(at: 0)?.text == literal)
        #expect(decoder.number(at: 0) == value)
        #expect(decoder.textBytes(at: 0) == Array(literal.utf8))
    }

    @Test func literalsAndNumericStrings() {
        var decoder = FieldDecoder("t", "f", "z", "s", "u")
        #expect(decoder.decode(#"{"t":true,"f":false,"z":null,"s":"1200","u":"5s"}"#) == .decoded(.json))
        #expect(decoder.values == [.bool(true), .bool(false), .null, .string("1200"), .string("5s")])
        #expect(decoder.values.map { $0?.text } == ["true", "false", "null", "1200", "5s"])
        #expect(decoder.number(at: 3) == 1200)
        #expect(decoder.number(at: 4) == nil)
        #expect(decoder.number(at: 0) == nil)
        #expect(decoder.kind(at: 2) == .null)
    }

    @Test(arguments: [
        (#""\n\"\\\/\b\f\r\t""#, "\n\"\\/\u{8}\u{C}\r\t"),
        (#""caf\u00e9 \u00E9""#, "café é"),
        (#""\ud83d\ude00 grin""#, "😀 grin"),
        (#""\uD83D\uDE00""#, "😀"),
        (#""lone \ud800 high""#, "lone \u{FFFD} high"),
        (#""lone \udc00 low""#, "lone \u{FFFD} low"),
        (#""\ud800\u0041""#, "\u{FFFD}A"),
        (#""nul\u0000byte""#, "nul\u{0}byte"),
        (#""plain ☃ text""#, "plain ☃ text"),
    ])
    func stringEscapesAreDecoded(json: String, text: String) {
        var decoder = FieldDecoder("s")
        #expect(decoder.decode(#"{"s":\#(json)}"#) == .decoded(.json))
        #expect(decoder.value(at: 0) == .string(text))
        #expect(decoder.textBytes(at: 0) == Array(text.utf8))
    }

    @Test func anEscapedKeyMatchesItsDecodedName() {
        var decoder = FieldDecoder("msg", "a.b")
        #expect(decoder.decode(#"{"m\u0073g":"hi","a\u002eb":1}"#) == .decoded(.json))
        #expect(decoder.values == [.string("hi"), .number(1, text: "1")])
    }

    @Test func invalidUTF8InAStringIsKeptAsBytesAndReadsAsReplacement() {
        var decoder = FieldDecoder("s")
        let line = Array(#"{"s":"a"#.utf8) + [0xFF, 0xC3] + Array(#"b"}"#.utf8)
        #expect(decoder.decode(bytes: line) == .decoded(.json))
        #expect(decoder.textBytes(at: 0) == [0x61, 0xFF, 0xC3, 0x62])
        #expect(decoder.value(at: 0) == .string("a\u{FFFD}\u{FFFD}b"))
    }

    @Test func aRepeatedKeyKeepsItsLastValue() {
        var decoder = FieldDecoder("level", "a", "a.b", "a.c")
        #expect(decoder.decode(#"{"level":"info","level":"error"}"#) == .decoded(.json))
        #expect(decoder.value(at: 0) == .string("error"))
        #expect(decoder.decode(#"{"a":{"b":1},"a":2}"#) == .decoded(.json))
        #expect(decoder.values == [nil, .number(2, text: "2"), nil, nil])
        #expect(decoder.decode(#"{"a":{"b":1},"a":{"c":2}}"#) == .decoded(.json))
        #expect(decoder.values == [nil, .composite(#"{"c":2}"#), nil, .number(2, text: "2")])
        #expect(decoder.decode(#"{"a":{"b":1,"b":3}}"#) == .decoded(.json))
        #expect(decoder.value(at: 2) == .number(3, text: "3"))
    }

    @Test func theSamePathTwiceFillsBothSlots() {
        var decoder = FieldDecoder("rows", "rows")
        #expect(decoder.decode(Self.good) == .decoded(.json))
        #expect(decoder.values == [.number(1200, text: "1200"), .number(1200, text: "1200")])
    }

    @Test func whitespaceAroundTokensAndTheObjectIsAllowed() {
        var decoder = FieldDecoder("a", "b")
        let line = " \t{ \"a\" :\n1 , \"b\" :[ 1 , 2 ] , \"c\" : { } }\r\n  "
        #expect(decoder.decode(line) == .decoded(.json))
        #expect(decoder.values == [.number(1, text: "1"), .composite("[ 1 , 2 ]")])
    }

    @Test func unwantedValuesOfEveryKindAreSkipped() {
        var decoder = FieldDecoder("last")
        let line = #"{"s":"x\"\u00e9","n":-1.5e3,"t":true,"f":false,"z":null,"o":{"p":[1,{"q":[]}]},"last":"ok"}"#
        #expect(decoder.decode(line) == .decoded(.json))
        #expect(decoder.value(at: 0) == .string("ok"))
    }

    @Test(arguments: [
        (#"{"a":1,}"#, FieldDecoder.Failure.Code.unexpectedByte, 7),
        (#"{"a":[1,2,]}"#, .unexpectedByte, 10),
        (#"{'a':1}"#, .unexpectedByte, 1),
        (#"{"a":'x'}"#, .unexpectedByte, 5),
        (#"{a:1}"#, .unexpectedByte, 1),
        (#"{"a" 1}"#, .unexpectedByte, 5),
        (#"{"a":1 "b":2}"#, .unexpectedByte, 7),
        (#"{"a":1]"#, .unexpectedByte, 6),
        (#"{"a":[1}"#, .unexpectedByte, 7),
        (#"{"a":NaN}"#, .unexpectedByte, 5),
        (#"{"a":Infinity}"#, .unexpectedByte, 5),
        (#"{"a":-Infinity}"#, .invalidNumber, 6),
        (#"{"a":tru}"#, .unexpectedByte, 5),
        (#"{"a":nul"#, .unexpectedEnd, 5),
        (#"{"a":nulx}"#, .unexpectedByte, 5),
        (#"{"a":-"#, .unexpectedEnd, 6),
        (#"{"a":1.5e"#, .unexpectedEnd, 9),
        (#"{"a":01}"#, .unexpectedByte, 6),
        (#"{"a":1.}"#, .invalidNumber, 7),
        (#"{"a":.5}"#, .unexpectedByte, 5),
        (#"{"a":+1}"#, .unexpectedByte, 5),
        (#"{"a":1e}"#, .invalidNumber, 7),
        (#"{"a":-}"#, .invalidNumber, 6),
        (#"{"a":"x\q"}"#, .invalidEscape, 8),
        (#"{"a":"\u12"}"#, .invalidEscape, 10),
        (#"{"a":"\x41"}"#, .invalidEscape, 7),
        ("{\"a\":\"tab\there\"}", .controlCharacter, 9),
        ("{\"a\":\"nul\u{0}\"}", .controlCharacter, 9),
        (#"{"a":1"#, .unexpectedEnd, 6),
        (#"{"a":"#, .unexpectedEnd, 5),
        (#"{"a"#, .unexpectedEnd, 3),
        (#"{"a":"x"#, .unexpectedEnd, 7),
        (#"{"a":"x\"#, .unexpectedEnd, 8),
        (#"{"a":{"b":[1,2"#, .unexpectedEnd, 14),
        ("{", .unexpectedEnd, 1),
        (#"{"a":1}x"#, .trailingData, 7),
        (#"{"a":1}{"b":2}"#, .trailingData, 7),
        (#"{"a":1},"#, .trailingData, 7),
        (#"["a",1]"#, .notAnObject, 0),
        (#""just a string""#, .notAnObject, 0),
        ("42", .notAnObject, 0),
        ("", .notAnObject, 0),
        ("   ", .notAnObject, 3),
        ("\u{FEFF}{\"a\":1}", .notAnObject, 0),
        ("level=info msg=done", .notAnObject, 0),
    ])
    func invalidJSONIsUndecodableWithItsReasonAndTheNextLineDecodesAfresh(
        line: String, code: FieldDecoder.Failure.Code, offset: Int
    ) {
        var decoder = FieldDecoder("level", "rows", "a")
        #expect(decoder.decode(Self.good) == .decoded(.json))
        #expect(decoder.decode(line) == .undecodable(FieldDecoder.Failure(code, at: offset)))
        #expect(decoder.values == [nil, nil, nil])
        Self.expectFreshAfterwards(&decoder, level: 0, rows: 1)
    }

    @Test func valuesSeenBeforeAnErrorAreDropped() {
        var decoder = FieldDecoder("level")
        #expect(decoder.decode(#"{"level":"error","x":}"#).failureCode == .unexpectedByte)
        #expect(decoder.value(at: 0) == nil)
        #expect(decoder.kind(at: 0) == nil)
        #expect(decoder.textBytes(at: 0) == nil)
    }

    @Test func autoReadsABraceLineAsJSONAndNeverFallsBackToLogfmt() {
        var decoder = FieldDecoder("level", "{level")
        #expect(decoder.decode(#"  {"level":"info"}"#, format: .auto) == .decoded(.json))
        #expect(decoder.value(at: 0) == .string("info"))
        #expect(decoder.decode("{level=info}", format: .auto).failureCode == .unexpectedByte)
        #expect(decoder.values == [nil, nil])
        #expect(decoder.decode("level=warn", format: .auto) == .decoded(.logfmt))
        #expect(decoder.value(at: 0) == .string("warn"))
        #expect(decoder.decode(#"["level"]"#, format: .auto).failureCode == .logfmtUnexpectedByte)
    }

    @Test func textFormatDecodesNothing() {
        var decoder = FieldDecoder("level")
        #expect(decoder.decode(Self.good) == .decoded(.json))
        #expect(decoder.decode(Self.good, format: .text) == .noFields)
        #expect(decoder.value(at: 0) == nil)
    }

    @Test func aDecoderWithNoPathsStillValidates() {
        var decoder = FieldDecoder(paths: [])
        #expect(decoder.decode(Self.good) == .decoded(.json))
        #expect(decoder.decode(#"{"a":}"#).failureCode == .unexpectedByte)
    }

    /// Recorded by running, with Python 3.11.7's standard library only:
    ///
    ///     import json, logging, sys
    ///     class JSONFormatter(logging.Formatter):
    ///         def format(self, record):
    ///             return json.dumps({"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
    ///                 "level": record.levelname, "logger": record.name, "msg": record.getMessage(),
    ///                 "rows": record.rows, "duration_ms": record.duration_ms,
    ///                 "error": {"code": record.code, "detail": record.detail}, "tags": ["nightly", "export"]})
    ///     handler = logging.StreamHandler(sys.stdout); handler.setFormatter(JSONFormatter())
    ///     log = logging.getLogger("export"); log.addHandler(handler); log.setLevel(logging.INFO)
    ///     log.warning("export done: \u00e9t\u00e9 \"quoted\"\ttab \U0001F600",
    ///         extra={"rows": 1200, "duration_ms": 5321.5, "code": None, "detail": False})
    static let pythonLine =
        #"{"time": "2026-12-05T16:24:47", "level": "WARNING", "logger": "export", "msg": "export done: "#
        + #"\u00e9t\u00e9 \"quoted\"\ttab \ud83d\ude00", "rows": 1200, "duration_ms": 5321.5, "error": "#
        + #"{"code": null, "detail": false}, "tags": ["nightly", "export"]}"#

    @Test func aLineWrittenByPythonsLoggingWithJSONDumpsDecodes() {
        var decoder = FieldDecoder("level", "msg", "rows", "duration_ms", "error.code", "error.detail", "tags")
        #expect(decoder.decode(Self.pythonLine) == .decoded(.json))
        #expect(
            decoder.values == [
                .string("WARNING"), .string("export done: été \"quoted\"\ttab 😀"), .number(1200, text: "1200"),
                .number(5321.5, text: "5321.5"), .null, .bool(false), .composite(#"["nightly", "export"]"#),
            ])
    }

    @Test func allFieldsListsEveryLeafAsADottedPath() {
        let listing = FieldDecoder(paths: []).allFields(Self.pythonLine)
        #expect(listing.outcome == .decoded(.json))
        #expect(!listing.isTruncated)
        #expect(
            listing.fields.map { "\($0.path)=\($0.value.text)" } == [
                "time=2026-12-05T16:24:47", "level=WARNING", "logger=export",
                "msg=export done: été \"quoted\"\ttab 😀", "rows=1200", "duration_ms=5321.5", "error.code=null",
                "error.detail=false", #"tags=["nightly", "export"]"#,
            ])
    }

    @Test func allFieldsListsARepeatedKeyOnceWithItsLastValue() {
        let listing = FieldDecoder(paths: []).allFields(#"{"a":{"b":1,"c":{}},"x":[],"a":{"d":2},"x":3,"a.b":4}"#)
        #expect(
            listing.fields.map { "\($0.path.components)=\($0.value)" } == [
                #"["a", "d"]=number(2.0, text: "2")"#, #"["x"]=number(3.0, text: "3")"#,
                #"["a.b"]=number(4.0, text: "4")"#,
            ])
    }

    @Test func allFieldsOfABadLineHasItsReasonAndNoFields() {
        let listing = FieldDecoder(paths: []).allFields(#"{"a":1,"b":tru}"#)
        #expect(listing.outcome.failureCode == .unexpectedByte)
        #expect(listing.fields.isEmpty)
    }
}
