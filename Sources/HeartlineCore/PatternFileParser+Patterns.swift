import HeartlineRegex
import Yams

extension YAMLReader {
    /// `success`, `failure`, `start` or `ignore`: one pattern or a non-empty list of them, each a
    /// regex string or a mapping of `regex` and `fields` (``fieldPattern(_:for:)``).
    mutating func patterns(_ entry: Entry) -> [PatternSpec] {
        let expected = "expected a regex, a mapping such as { fields: { level: info } }, or a list of them for '\(entry.name)'"
        switch entry.value {
        case .scalar where !entry.isNull:
            return pattern(entry.value, for: entry.name).map { [$0] } ?? []
        case .mapping:
            return fieldPattern(entry.value, for: entry.name).map { [$0] } ?? []
        case .sequence(let sequence) where sequence.isEmpty:
            report("'\(entry.name)' is an empty list; give at least one pattern or remove the key", at: entry.value)
            return []
        case .sequence(let sequence):
            return sequence.compactMap { node in
                switch node {
                case .scalar where !Self.isNull(node): return pattern(node, for: entry.name)
                case .mapping: return fieldPattern(node, for: entry.name)
                default:
                    report(expected, at: node)
                    return nil
                }
            }
        default:
            report(expected, at: valueLocation(entry))
            return []
        }
    }

    /// `measure`: exactly one pattern: a regex with a named group `value`, or a mapping whose
    /// `value:` names the field holding the number (or whose `regex` has the group).
    mutating func measure(_ entry: Entry) -> PatternSpec? {
        let pattern: PatternSpec?
        switch entry.value {
        case .scalar where !entry.isNull: pattern = self.pattern(entry.value, for: entry.name)
        case .mapping: pattern = fieldPattern(entry.value, for: entry.name, allowValue: true)
        default:
            report(
                "expected a regex or a mapping for 'measure'; a job has one measure pattern", at: valueLocation(entry))
            return nil
        }
        guard let pattern else { return nil }
        guard pattern.valueField != nil || pattern.regex?.namedGroups["value"] != nil else {
            report(
                pattern.usesFields
                    ? "the 'measure' pattern needs 'value: FIELD' naming the field with the number, such as"
                        + " 'value: rows', or a 'regex' with a named group 'value'"
                    : "the 'measure' pattern needs a named group 'value' to read the number from,"
                        + " such as 'age=(?<value>\\d+)'",
                at: entry.value
            )
            return nil
        }
        return pattern
    }

    /// Compiles one pattern scalar, reporting PCRE2's message at the character it names.
    mutating func pattern(_ node: Node, for key: String) -> PatternSpec? {
        guard case .scalar(let scalar) = node else { return nil }
        guard !scalar.string.isEmpty else {
            report(
                "empty pattern for '\(key)' matches every line; write a regex for the lines you mean",
                at: node
            )
            return nil
        }
        do {
            let regex = try CompiledRegex(scalar.string)
            return PatternSpec(regex: regex, location: location(of: node))
        } catch {
            let at = error.offset.map { location(ofByte: $0, in: scalar) } ?? location(of: node)
            report("invalid regular expression for '\(key)': \(error.message)", at: at)
            return nil
        }
    }

    /// Where byte `offset` of a pattern scalar's text is in the file.
    ///
    /// For a plain, single- or double-quoted scalar written on one line, the column of the very
    /// character (past the opening quote, and counting a quoted `''` or an escape such as `\\` as the
    /// one character it stands for); otherwise, such as for block scalars, the scalar's start.
    private func location(ofByte offset: Int, in scalar: Node.Scalar) -> SourceLocation {
        let start = location(of: .scalar(scalar))
        guard let mark = scalar.mark, let line = sourceLine(mark.line),
            let columns = Self.sourceColumns(of: scalar, in: line, from: mark.column - 1)
        else { return start }
        // PCRE2 reports code-unit (byte) offsets; columns count Unicode scalars, as libyaml's marks do.
        let index = String(decoding: scalar.string.utf8.prefix(offset), as: UTF8.self).unicodeScalars.count
        guard index < columns.count else { return start }
        return location(line: mark.line, column: columns[index] + 1)
    }

    /// The 0-based line index of each character of the scalar's value, plus one for the position
    /// just past the last, or nil when the value is not exactly readable from this one line.
    private static func sourceColumns(of scalar: Node.Scalar, in line: [Unicode.Scalar], from start: Int) -> [Int]? {
        let value = Array(scalar.string.unicodeScalars)
        var decoded: [Unicode.Scalar] = []
        var columns: [Int] = []
        switch scalar.style {
        case .plain:
            guard start + value.count <= line.count, Array(line[start..<start + value.count]) == value else {
                return nil
            }
            return Array(start...start + value.count)
        case .singleQuoted:
            var index = start + 1
            while true {
                guard index < line.count else { return nil }
                if line[index] == "'" {
                    guard index + 1 < line.count, line[index + 1] == "'" else { break }
                    columns.append(index)
                    decoded.append("'")
                    index += 2
                } else {
                    columns.append(index)
                    decoded.append(line[index])
                    index += 1
                }
            }
            columns.append(index)
        case .doubleQuoted:
            var index = start + 1
            while true {
                guard index < line.count else { return nil }
                if line[index] == "\"" { break }
                columns.append(index)
                if line[index] == "\\" {
                    guard let (character, length) = escape(in: line, at: index) else { return nil }
                    decoded.append(character)
                    index += length
                } else {
                    decoded.append(line[index])
                    index += 1
                }
            }
            columns.append(index)
        default:
            return nil
        }
        return decoded == value ? columns : nil
    }

    /// The character a double-quoted escape at `index` (the backslash) stands for and its length in
    /// the source (YAML 1.2 §5.7), or nil for an escape this does not follow (a line continuation).
    private static func escape(in line: [Unicode.Scalar], at index: Int) -> (Unicode.Scalar, Int)? {
        guard index + 1 < line.count else { return nil }
        let letter = line[index + 1]
        if let value = simpleEscapes[letter] { return Unicode.Scalar(value).map { ($0, 2) } }
        let digits: Int
        switch letter {
        case "x": digits = 2
        case "u": digits = 4
        case "U": digits = 8
        default: return nil
        }
        guard index + 2 + digits <= line.count else { return nil }
        let hex = String(String.UnicodeScalarView(line[index + 2..<index + 2 + digits]))
        guard let value = UInt32(hex, radix: 16), let character = Unicode.Scalar(value) else { return nil }
        return (character, 2 + digits)
    }

    /// YAML's one-letter escapes and the code points they stand for (YAML 1.2 §5.7).
    private static let simpleEscapes: [Unicode.Scalar: UInt32] = [
        "0": 0, "a": 7, "b": 8, "t": 9, "\t": 9, "n": 10, "v": 11, "f": 12, "r": 13, "e": 27, " ": 32,
        "\"": 34, "/": 47, "\\": 92, "N": 0x85, "_": 0xA0, "L": 0x2028, "P": 0x2029,
    ]
}
