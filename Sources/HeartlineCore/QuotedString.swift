/// The double-quoted strings of JSON (RFC 8259 §7) and logfmt: finding their end, checking their
/// escapes, and decoding them.
///
/// Escapes are JSON's: `\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t` and `\uXXXX`, where a high and a low
/// surrogate escape in a row make one character and a lone surrogate reads as U+FFFD (as Go's
/// `encoding/json` and go-logfmt do). Logfmt also takes `\'` (go-logfmt) and raw control bytes.
/// Bytes that are not valid UTF-8 are kept as they are.
enum QuotedString {
    /// Which quoted strings are read.
    enum Dialect {
        /// RFC 8259: control bytes below 0x20 must be escaped.
        case json
        /// go-logfmt: `\'` is an escape too, and control bytes may appear raw.
        case logfmt
    }

    /// Moves `index` from just after an opening quote to just after the closing one.
    ///
    /// - Parameters:
    ///   - bytes: The line.
    ///   - index: Just after the opening quote; after the closing quote on success, at the offending
    ///     byte (or `count`) on failure.
    ///   - escaped: Set when the string holds an escape, so that it needs ``unescape(_:dialect:into:)``.
    ///   - dialect: Whose strings these are.
    /// - Returns: Nil on success, else why the string is invalid.
    @inline(__always)
    static func scan(
        _ bytes: UnsafeRawBufferPointer, index: inout Int, escaped: inout Bool, dialect: Dialect
    ) -> FieldDecoder.Failure.Code? {
        let count = bytes.count
        // A local copy stays in a register; `index` is written back on every exit.
        var position = index
        defer { index = position }
        while true {
            guard position < count else { return .unexpectedEnd }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return nil
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 1
                guard position < count else { return .unexpectedEnd }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "'") where dialect == .logfmt:
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    for _ in 0..<4 {
                        guard position < count else { return .unexpectedEnd }
                        guard hexValue(bytes[position]) != nil else { return .invalidEscape }
                        position += 1
                    }
                default:
                    return .invalidEscape
                }
            } else if byte < 0x20 && dialect == .json {
                return .controlCharacter
            } else {
                position += 1
            }
        }
    }

    /// Appends the decoded content of a string that ``scan(_:index:escaped:dialect:)`` accepted.
    ///
    /// - Parameters:
    ///   - raw: The bytes between the quotes, escapes as written.
    ///   - dialect: Whose string it is.
    ///   - output: Where the decoded bytes go.
    static func unescape(_ raw: UnsafeRawBufferPointer, dialect: Dialect, into output: inout [UInt8]) {
        var index = 0
        let count = raw.count
        while index < count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                var end = index + 1
                while end < count && raw[end] != UInt8(ascii: "\\") { end += 1 }
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[index..<end]))
                index = end
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                let unit = codeUnit(raw, at: index)
                index += 4
                var scalar = Unicode.Scalar(unit)
                if (0xD800..<0xDC00).contains(unit), index + 6 <= count, raw[index] == UInt8(ascii: "\\"),
                    raw[index + 1] == UInt8(ascii: "u")
                {
                    let low = codeUnit(raw, at: index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
                        index += 6
                    }
                }
                output.append(contentsOf: (scalar ?? "\u{FFFD}").utf8)
            default: output.append(escape)
            }
        }
    }

    /// The four hex digits at `index` as a UTF-16 code unit.
    private static func codeUnit(_ raw: UnsafeRawBufferPointer, at index: Int) -> UInt16 {
        var unit: UInt16 = 0
        for offset in 0..<4 { unit = unit << 4 | UInt16(hexValue(raw[index + offset])!) }
        return unit
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
