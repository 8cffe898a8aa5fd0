/// UTF-8 validation on raw bytes (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF),
/// with a fast path for ASCII, which is what nearly every log line is.
package enum UTF8Check {
    /// Whether all of `bytes` is valid UTF-8.
    package static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        let high: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index < count {
            // ASCII runs 32 bytes, then 8, at a time; back to this after every multi-byte sequence.
            while index + 32 <= count {
                let a = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let b = bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                let c = bytes.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                let d = bytes.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
                if (a | b | c | d) & high != 0 { break }
                index += 32
            }
            while index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & high == 0 {
                index += 8
            }
            guard index < count else { break }
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            let length = sequenceLength(bytes, at: index)
            guard length > 0, index + length <= count else { return false }
            index += length
        }
        return true
    }

    /// The length in bytes of the valid UTF-8 sequence starting at `index`, or 0 when the bytes
    /// there do not start one. A sequence cut off by the end of `bytes` counts as its full length
    /// when what is there is valid, so callers that see a window of a longer text can accept it.
    package static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: return 0
        }
        let available = min(length, bytes.count - index)
        for offset in 1..<available {
            let byte = bytes[index + offset]
            let allowed = offset == 1 ? lower...upper : 0x80...0xBF
            guard allowed.contains(byte) else { return 0 }
        }
        return length
    }
}
