/// One validating pass over a line holding a JSON object (RFC 8259), telling a sink about the
/// members it follows.
///
/// The whole line is checked strictly, whether or not anyone wants its values: RFC 8259's grammar
/// for every value, whitespace only around tokens and after the object. Nesting is tracked without
/// recursion, in a caller-owned stack of container start offsets, and stops at the depth limit, so
/// a line nested 10,000 deep fails after reading `maxDepth` brackets.
///
/// The sink sees the keys of the top-level object, and of each object value it asked to follow; it
/// sees the values of the keys it wanted. Arrays are never followed: a wanted array, like a wanted
/// object that is not followed, is reported whole through ``Sink/composite(_:)``.
struct JSONScanner {
    /// Receives the members the scanner follows; a sink's methods are called only as described.
    protocol Sink {
        /// A key of a followed object, its raw bytes between the quotes; returns whether its value is
        /// wanted. `escaped` says whether the bytes hold escapes.
        mutating func key(_ raw: UnsafeRawBufferPointer, escaped: Bool) -> Bool
        /// The scalar value of a wanted key: a string's raw bytes between the quotes, or the literal
        /// of a number, `true`, `false` or `null`.
        mutating func scalar(_ kind: FieldValue.Kind, _ raw: UnsafeRawBufferPointer, escaped: Bool)
        /// An object value of a wanted key begins; returns whether to follow its keys. A followed
        /// object ends with ``endObject(_:)``, one that is not followed with ``composite(_:)``.
        mutating func beginObject() -> Bool
        /// A followed object (not the top-level one) ends; `raw` is its whole text.
        mutating func endObject(_ raw: UnsafeRawBufferPointer)
        /// A wanted array, or a wanted object that was not followed, ends; `raw` is its whole text.
        mutating func composite(_ raw: UnsafeRawBufferPointer)
    }

    private let line: UnsafeRawBufferPointer
    private let count: Int
    private var index = 0

    private init(_ line: UnsafeRawBufferPointer) {
        self.line = line
        self.count = line.count
    }

    /// Checks `line` and reports its followed members to `sink`.
    ///
    /// - Parameters:
    ///   - line: The whole line.
    ///   - maxDepth: The deepest nesting allowed, the top-level object being depth 1.
    ///   - starts: Room for `maxDepth + 1` offsets, the start of each open container.
    ///   - sink: Receives the members.
    /// - Returns: Nil when the line is one valid JSON object, else why not. The sink may have seen
    ///   members before a failure.
    static func scan<S: Sink>(
        _ line: UnsafeRawBufferPointer, maxDepth: Int, starts: UnsafeMutablePointer<Int>, into sink: inout S
    ) -> FieldDecoder.Failure? {
        var scanner = JSONScanner(line)
        return scanner.scan(maxDepth: maxDepth, starts: starts, into: &sink)
    }

    private mutating func scan<S: Sink>(
        maxDepth: Int, starts: UnsafeMutablePointer<Int>, into sink: inout S
    ) -> FieldDecoder.Failure? {
        skipWhitespace()
        guard index < count && line[index] == UInt8(ascii: "{") else { return .init(.notAnObject, at: index) }
        var depth = 1
        starts[1] = index
        // Objects at depths 1...followed report their keys; deeper containers are only checked.
        var followed = 1
        // The depth of a wanted container that is not followed (0 for none), to report when it closes.
        var captured = 0
        index += 1
        skipWhitespace()
        var wanted = false
        var closing = index < count && line[index] == UInt8(ascii: "}")
        member: while true {
            if !closing {
                // At a member's key.
                guard index < count else { return .init(.unexpectedEnd, at: index) }
                guard line[index] == UInt8(ascii: "\"") else { return .init(.unexpectedByte, at: index) }
                index += 1
                let keyStart = index
                var escaped = false
                if let code = QuotedString.scan(line, index: &index, escaped: &escaped, dialect: .json) {
                    return .init(code, at: index)
                }
                wanted = depth == followed && sink.key(slice(keyStart, index - 1), escaped: escaped)
                skipWhitespace()
                guard index < count else { return .init(.unexpectedEnd, at: index) }
                guard line[index] == UInt8(ascii: ":") else { return .init(.unexpectedByte, at: index) }
                index += 1
                skipWhitespace()
            }
            value: while true {
                if !closing {
                    guard index < count else { return .init(.unexpectedEnd, at: index) }
                    let start = index
                    switch line[index] {
                    case UInt8(ascii: "\""):
                        index += 1
                        var escaped = false
                        if let code = QuotedString.scan(line, index: &index, escaped: &escaped, dialect: .json) {
                            return .init(code, at: index)
                        }
                        if wanted { sink.scalar(.string, slice(start + 1, index - 1), escaped: escaped) }
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                        guard depth <= maxDepth else { return .init(.tooDeep, at: index) }
                        starts[depth] = index
                        let isObject = line[index] == UInt8(ascii: "{")
                        if wanted {
                            if isObject && sink.beginObject() { followed = depth } else { captured = depth }
                        }
                        index += 1
                        skipWhitespace()
                        if index < count && line[index] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                            closing = true
                        } else if isObject {
                            continue member
                        } else {
                            wanted = false
                            continue value
                        }
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                        if let code = scanNumber() { return .init(code, at: index) }
                        if wanted { sink.scalar(.number, slice(start, index), escaped: false) }
                    case UInt8(ascii: "t"):
                        if let code = skipLiteral("true") { return .init(code, at: start) }
                        if wanted { sink.scalar(.bool, slice(start, index), escaped: false) }
                    case UInt8(ascii: "f"):
                        if let code = skipLiteral("false") { return .init(code, at: start) }
                        if wanted { sink.scalar(.bool, slice(start, index), escaped: false) }
                    case UInt8(ascii: "n"):
                        if let code = skipLiteral("null") { return .init(code, at: start) }
                        if wanted { sink.scalar(.null, slice(start, index), escaped: false) }
                    default:
                        return .init(.unexpectedByte, at: index)
                    }
                    skipWhitespace()
                }
                // After a value: a comma, or the closing bracket of one or more containers.
                while true {
                    guard index < count else { return .init(.unexpectedEnd, at: index) }
                    let isObject = line[starts[depth]] == UInt8(ascii: "{")
                    let byte = line[index]
                    if byte == UInt8(ascii: ",") && !closing {
                        index += 1
                        skipWhitespace()
                        if isObject { continue member }
                        wanted = false
                        continue value
                    }
                    guard byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                        return .init(.unexpectedByte, at: index)
                    }
                    closing = false
                    index += 1
                    if depth == captured {
                        sink.composite(slice(starts[depth], index))
                        captured = 0
                    } else if depth == followed && depth > 1 {
                        sink.endObject(slice(starts[depth], index))
                        followed -= 1
                    }
                    depth -= 1
                    skipWhitespace()
                    if depth == 0 { break member }
                }
            }
        }
        return index == count ? nil : .init(.trailingData, at: index)
    }

    /// The line's bytes from `start` up to `end`.
    @inline(__always)
    private func slice(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: line[start..<end])
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < count {
            switch line[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// Moves past a number in RFC 8259's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    ///
    /// - Returns: Nil on success; ``FieldDecoder/Failure/Code/unexpectedEnd`` when the line ends where
    ///   a digit must come, ``FieldDecoder/Failure/Code/invalidNumber`` when another byte is there.
    @inline(__always)
    private mutating func scanNumber() -> FieldDecoder.Failure.Code? {
        if line[index] == UInt8(ascii: "-") { index += 1 }
        if index < count && line[index] == UInt8(ascii: "0") {
            index += 1
        } else if let code = skipDigits() {
            return code
        }
        if index < count && line[index] == UInt8(ascii: ".") {
            index += 1
            if let code = skipDigits() { return code }
        }
        if index < count && (line[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            if index < count && (line[index] == UInt8(ascii: "+") || line[index] == UInt8(ascii: "-")) { index += 1 }
            if let code = skipDigits() { return code }
        }
        return nil
    }

    /// Moves past one or more digits.
    @inline(__always)
    private mutating func skipDigits() -> FieldDecoder.Failure.Code? {
        let start = index
        while index < count && line[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        guard index == start else { return nil }
        return index == count ? .unexpectedEnd : .invalidNumber
    }

    /// Moves past `literal`, which the byte at `index` starts.
    ///
    /// - Returns: Nil on success; ``FieldDecoder/Failure/Code/unexpectedEnd`` when the line ends
    ///   inside it, ``FieldDecoder/Failure/Code/unexpectedByte`` when it is misspelled.
    @inline(__always)
    private mutating func skipLiteral(_ literal: StaticString) -> FieldDecoder.Failure.Code? {
        let length = literal.utf8CodeUnitCount
        let available = min(length, count - index)
        let bytes = literal.utf8Start
        for offset in 0..<available where line[index + offset] != bytes[offset] { return .unexpectedByte }
        guard available == length else { return .unexpectedEnd }
        index += length
        return nil
    }
}
