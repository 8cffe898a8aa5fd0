import Testing

@testable import HeartlineCore

/// ``FieldDecoder/Limits`` and hostile input: bounded, counted, and no harm to the next line.
struct FieldDecoderLimitsTests {
    static let good = #"{"level":"INFO","rows":1200}"#

    static func expectGoodLineDecodes(_ decoder: inout FieldDecoder) {
        #expect(decoder.decode(good) == .decoded(.json))
        #expect(decoder.value(at: 0) == .string("INFO"))
        #expect(decoder.value(at: 1) == .number(1200, text: "1200"))
    }

    @Test func arraysNested10000DeepAreTooDeepAtTheLimit() {
        var decoder = FieldDecoder("level", "rows", "a")
        let line = #"{"a":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        // The object is depth 1, so the 64th bracket (at offset 5 + 63) is depth 65.
        #expect(decoder.decode(line) == .undecodable(FieldDecoder.Failure(.tooDeep, at: 68)))
        #expect(decoder.value(at: 2) == nil)
        Self.expectGoodLineDecodes(&decoder)
    }

    @Test func objectsNested10000DeepAlongAWantedPathAreTooDeep() {
        var decoder = FieldDecoder("level", "rows", "a.a.a")
        let line = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(decoder.decode(line).failureCode == .tooDeep)
        Self.expectGoodLineDecodes(&decoder)
        #expect(FieldDecoder(paths: []).allFields(line).outcome.failureCode == .tooDeep)
    }

    @Test func theDepthLimitCountsTheLineObjectAsOne() {
        var decoder = FieldDecoder("a.b", limits: .init(maxDepth: 3))
        #expect(decoder.decode(#"{"a":{"b":[1]}}"#) == .decoded(.json))
        #expect(decoder.value(at: 0) == .composite("[1]"))
        #expect(decoder.decode(#"{"a":{"b":[[1]]}}"#) == .undecodable(FieldDecoder.Failure(.tooDeep, at: 11)))
    }

    @Test(arguments: [LineFormat.json, .logfmt, .auto])
    func aFiveMegabyteLineIsTooLargeInEveryFormat(format: LineFormat) {
        var decoder = FieldDecoder("level", "rows")
        let line = #"{"level":"x","pad":""# + String(repeating: "x", count: 5_000_000) + #""}"#
        #expect(decoder.decode(line, format: format) == .undecodable(FieldDecoder.Failure(.tooLarge, at: 0)))
        #expect(decoder.decode(line, format: .text) == .noFields)
        Self.expectGoodLineDecodes(&decoder)
    }

    @Test func aLineOfExactlyTheSizeLimitIsDecoded() {
        var decoder = FieldDecoder("level", "rows")
        let head = #"{"level":"INFO","rows":1200,"pad":""#
        let line = head + String(repeating: "x", count: (1 << 20) - head.utf8.count - 2) + #""}"#
        #expect(line.utf8.count == FieldDecoder.Limits.default.maxLineBytes)
        #expect(decoder.decode(line) == .decoded(.json))
        #expect(decoder.number(at: 1) == 1200)
        #expect(decoder.decode(line + " ").failureCode == .tooLarge)
    }

    @Test func aCompositeIsCutAtItsLimitWithoutSplittingACharacter() {
        var decoder = FieldDecoder("a", limits: .init(maxCompositeBytes: 8))
        #expect(decoder.decode(#"{"a":[1,2,3,4,5,6]}"#) == .decoded(.json))
        #expect(decoder.value(at: 0) == .composite("[1,2,3,4"))
        var narrow = FieldDecoder("a", limits: .init(maxCompositeBytes: 5))
        #expect(narrow.decode(#"{"a":["ééé"]}"#) == .decoded(.json))
        #expect(narrow.value(at: 0) == .composite(#"["é"#))
    }

    @Test func allFieldsStopsAtItsLimitAndSaysSo() {
        let decoder = FieldDecoder(paths: [], limits: .init(maxListedFields: 3))
        let listing = decoder.allFields(#"{"a":1,"b":{"c":2,"d":3},"e":4,"f":5}"#)
        #expect(listing.outcome == .decoded(.json))
        #expect(listing.isTruncated)
        #expect(listing.fields.map(\.path.description) == ["a", "b.c", "b.d"])
    }

    @Test func aLineRepeatingOneKeyFiftyThousandTimesKeepsTheLast() {
        var decoder = FieldDecoder("level", "rows", "a")
        let line = "{" + (0..<50_000).map { #""a":{"n":\#($0)}"# }.joined(separator: ",") + "}"
        #expect(decoder.decode(line) == .decoded(.json))
        #expect(decoder.value(at: 2) == .composite(#"{"n":49999}"#))
        let listing = FieldDecoder(paths: []).allFields(line)
        #expect(listing.fields.map { "\($0.path)=\($0.value.text)" } == ["a.n=49999"])
        Self.expectGoodLineDecodes(&decoder)
    }

    @Test func everyTruncationOfAValidLineIsUndecodableAndHarmless() {
        var decoder = FieldDecoder("level", "rows", "msg", "error.code")
        let line = Array(JSONFieldDecodingTests.pythonLine.utf8)
        for length in 1..<line.count {
            #expect(decoder.decode(bytes: Array(line[..<length])).failureCode == .unexpectedEnd)
            #expect(decoder.values == [nil, nil, nil, nil])
        }
        Self.expectGoodLineDecodes(&decoder)
    }

    @Test func everySingleByteCorruptionDecodesOrFailsWithoutHarm() {
        var decoder = FieldDecoder("level", "rows", "msg", "error.code")
        let line = Array(JSONFieldDecodingTests.pythonLine.utf8)
        var undecodable = 0
        for index in line.indices {
            for byte: UInt8 in [0x00, 0x0A, 0x22, 0x2C, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0xFF] {
                var corrupt = line
                corrupt[index] = byte
                if case .undecodable = decoder.decode(bytes: corrupt, format: .auto) { undecodable += 1 }
                Self.expectGoodLineDecodes(&decoder)
            }
        }
        #expect(undecodable > 0)
    }

    @Test func aTooDeepLogfmtLookalikeIsJustLogfmt() {
        var decoder = FieldDecoder("level", "rows")
        let brackets = String(repeating: "[", count: 10_000)
        #expect(decoder.decode(brackets, format: .auto) == .decoded(.logfmt))
        #expect(decoder.decode(brackets, format: .json).failureCode == .notAnObject)
        Self.expectGoodLineDecodes(&decoder)
    }
}
