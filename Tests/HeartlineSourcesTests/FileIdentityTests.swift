import Testing

@testable import HeartlineSources

struct FileIdentityTests {
    /// Reference values of 64-bit FNV-1a from its authors' test suite.
    @Test(arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64),
        ("a", 0xaf63_dc4c_8601_ec8c),
        ("foobar", 0x8594_4171_f739_67e8),
    ])
    func fingerprintIsSixtyFourBitFNV1a(text: String, expected: UInt64) {
        let hash = Array(text.utf8).withUnsafeBytes {
            FileIdentity.fingerprint(continuing: FileIdentity.emptyFingerprint, over: $0)
        }
        #expect(hash == expected)
    }

    @Test func fingerprintOfAPrefixContinuesToTheFingerprintOfTheWhole() {
        let bytes = Array("2025-06-01 backup started\n".utf8)
        let whole = bytes.withUnsafeBytes {
            FileIdentity.fingerprint(continuing: FileIdentity.emptyFingerprint, over: $0)
        }
        let head = bytes[..<7].withUnsafeBytes {
            FileIdentity.fingerprint(continuing: FileIdentity.emptyFingerprint, over: $0)
        }
        let continued = bytes[7...].withUnsafeBytes { FileIdentity.fingerprint(continuing: head, over: $0) }
        #expect(continued == whole)
    }
}
