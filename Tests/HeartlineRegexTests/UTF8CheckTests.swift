import Testing

@testable import HeartlineRegex

struct UTF8CheckTests {
    @Test(arguments: [
        ([UInt8](), true),
        (Array("plain ASCII line, long enough for the 8-byte path".utf8), true),
        (Array("Grüße, 日本, 🎉".utf8), true),
        ([0xC3], false),  // truncated
        ([0xC0, 0xAF], false),  // overlong
        ([0xED, 0xA0, 0x80], false),  // surrogate
        ([0xF4, 0x90, 0x80, 0x80], false),  // above U+10FFFF
        ([0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0xFF], false),  // after the fast path
    ])
    func validatesUTF8PerRFC3629(bytes: [UInt8], valid: Bool) {
        #expect(bytes.withUnsafeBytes { UTF8Check.isValid($0) } == valid)
    }
}
