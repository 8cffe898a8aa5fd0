/// One pass over a logfmt line, by the rules of github.com/go-logfmt/logfmt's decoder
/// (`ScanKeyval`), the reading of brandur.org/logfmt that Go, Heroku and Grafana Loki share.
///
/// - Pairs are separated by bytes up to and including space (so tabs and control bytes too).
/// - A key is a run of bytes above space other than `=` and `"`; a `"` in it is an error, and so is
///   an `=` where a key should start.
/// - `key=value` takes a bare value, the bytes up to the next separator, in which `=` and `"` are
///   errors; or a double-quoted value with ``QuotedString`` escapes (`\'` included). A quoted value
///   may be followed directly by the next key, as go-logfmt allows.
/// - `key=` has an empty value, and so has a bare `key` with no `=` (go-logfmt's nil value).
///
/// Unlike go-logfmt, keys are not checked for valid UTF-8 and a quoted value may hold raw control
/// bytes; both are kept as bytes, like the contents of JSON strings.
struct LogfmtScanner {
    /// Receives every pair, in line order.
    protocol Sink {
        /// One pair: the key's bytes, and the value's (between the quotes when quoted; empty for a
        /// bare key or `key=`). `escaped` says whether the value holds escapes.
        mutating func pair(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, escaped: Bool)
    }

    /// Reads `line` and reports its pairs to `sink`.
    ///
    /// - Parameters:
    ///   - line: The whole line.
    ///   - sink: Receives the pairs.
    /// - Returns: Nil when the whole line is valid logfmt, else why not. The sink may have seen pairs
    ///   before a failure.
    static func scan<S: Sink>(_ line: UnsafeRawBufferPointer, into sink: inout S) -> FieldDecoder.Failure? {
        let count = line.count
        var index = 0
        while true {
            while index < count && line[index] <= UInt8(ascii: " ") { index += 1 }
            guard index < count else { return nil }
            let keyStart = index
            while index < count {
                let byte = line[index]
                if byte <= UInt8(ascii: " ") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"") { break }
                index += 1
            }
            let key = slice(line, keyStart, index)
            guard index < count && line[index] > UInt8(ascii: " ") else {
                sink.pair(key: key, value: slice(line, index, index), escaped: false)
                continue
            }
            guard line[index] == UInt8(ascii: "="), index > keyStart else {
                return .init(.logfmtUnexpectedByte, at: index)
            }
            index += 1
            if index < count && line[index] == UInt8(ascii: "\"") {
                index += 1
                let valueStart = index
                var escaped = false
                switch QuotedString.scan(line, index: &index, escaped: &escaped, dialect: .logfmt) {
                case nil: sink.pair(key: key, value: slice(line, valueStart, index - 1), escaped: escaped)
                case .unexpectedEnd?: return .init(.unterminatedQuote, at: index)
                case let code?: return .init(code, at: index)
                }
                continue
            }
            let valueStart = index
            while index < count && line[index] > UInt8(ascii: " ") {
                if line[index] == UInt8(ascii: "=") || line[index] == UInt8(ascii: "\"") {
                    return .init(.logfmtUnexpectedByte, at: index)
                }
                index += 1
            }
            sink.pair(key: key, value: slice(line, valueStart, index), escaped: false)
        }
    }

    @inline(__always)
    private static func slice(_ line: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: line[start..<end])
    }
}
