/// Reads field text that is wholly a decimal number, for numeric field matchers.
///
/// The accepted form is an optional sign, digits with an optional fraction (`12`, `12.`, `12.5`,
/// `.5`), and an optional exponent (`1e3`, `2.5E-4`): every JSON number, and the usual ways logs
/// write one. Anything else, including surrounding spaces, units (`5s`), hexadecimal, `inf` and
/// `NaN`, is not a number. Values beyond `Double`'s range read as ±infinity.
enum DecimalNumber {
    /// The number that `text` wholly is, or nil.
    static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// The number that `bytes` wholly are, or nil; allocates nothing for literals of up to 15 bytes.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var index = 0
        let count = bytes.count
        let negative = count > 0 && bytes[0] == UInt8(ascii: "-")
        if count > 0 && (negative || bytes[0] == UInt8(ascii: "+")) { index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        while index < count, let digit = digit(bytes[index]) {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            digits += 1
            index += 1
        }
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, let digit = digit(bytes[index]) {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                digits += 1
                fractionDigits += 1
                index += 1
            }
        }
        guard digits > 0 else { return nil }
        if index == count && digits <= 15 {
            // Clinger's fast path: both operands are exact doubles (below 2^53 and 10^22), and IEEE
            // division rounds correctly, so this is the correctly rounded value.
            let value = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -value : value
        }
        if index < count && (bytes[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            if index < count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) { index += 1 }
            let exponentStart = index
            while index < count && digit(bytes[index]) != nil { index += 1 }
            guard index > exponentStart else { return nil }
        }
        guard index == count else { return nil }
        // The form is checked, and Swift's reader (strtod's, correctly rounded) accepts all of it.
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    private static let powersOfTen: [Double] = (0...15).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> UInt8? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? value : nil
    }
}
