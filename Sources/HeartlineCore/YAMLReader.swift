package import Yams

/// Walks one YAML file's nodes, building model values and collecting errors as it goes.
///
/// Every file Heartline reads (pattern files, the main configuration, rule tests) is read with
/// one reader, so that each reports its problems alike: as `FILE:LINE:COLUMN: message` at the key
/// or value at fault, YAML syntax errors at the place libyaml names, unknown keys with the valid
/// key they are closest to (``EditDistance``). Values are read as the scalar text written in the
/// file, never as YAML's guess at a type: `success: yes` is the string `yes`.
///
/// Each read method returns nil (or an empty value) after reporting an error, and the callers
/// carry on with the rest of the file; errors that would only follow from an earlier one are not
/// reported a second time.
package struct YAMLReader {
    /// The path given by the caller, for locations.
    package let path: String
    /// The file's text, to find where inside a value an error is.
    package let text: String
    /// What the file is, for messages about the file as a whole: "a pattern file".
    package let kind: String
    /// The errors found so far, in the order found.
    package private(set) var errors: [ConfigError] = []

    /// One mapping entry of the file: its key as written, the key node and the value node.
    package struct Entry {
        /// The key's text.
        package var name: String
        /// The key node, where errors about the entry as a whole point.
        package var key: Node
        /// The value node.
        package var value: Node

        /// Creates an entry.
        package init(name: String, key: Node, value: Node) {
            self.name = name
            self.key = key
            self.value = value
        }

        /// Whether the value is YAML null: nothing written after the colon, `~` or `null`.
        package var isNull: Bool { YAMLReader.isNull(value) }
    }

    /// Creates a reader of one file.
    ///
    /// - Parameters:
    ///   - text: The file's YAML.
    ///   - path: The file's path, for locations.
    ///   - kind: What the file is, with its article, for messages: "a pattern file".
    package init(text: String, path: String, kind: String) {
        self.text = text
        self.path = path
        self.kind = kind
    }

    /// Whether a node is YAML null (an unquoted empty value, `~` or `null`).
    package static func isNull(_ node: Node) -> Bool {
        guard case .scalar = node else { return false }
        return node.tag.description == Tag.Name.null.rawValue
    }

    /// The location of a 1-based line and column of the file.
    package func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: path, line: line, column: column)
    }

    /// Where a node starts; the file's start for nodes without a mark.
    package func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return location(line: 1, column: 1) }
        return location(line: mark.line, column: mark.column)
    }

    /// Where an error about an entry's value points: the value, or the key when the value is
    /// null and so has no place of its own.
    package func valueLocation(_ entry: Entry) -> SourceLocation {
        location(of: entry.isNull ? entry.key : entry.value)
    }

    /// Records an error at a location.
    package mutating func report(_ message: String, at location: SourceLocation) {
        errors.append(ConfigError(location: location, message: message))
    }

    /// Records an error at the start of a node.
    package mutating func report(_ message: String, at node: Node) {
        report(message, at: location(of: node))
    }

    /// The file's one YAML document, or nil after reporting why the text is not one.
    ///
    /// - Returns: The document's root node; a null scalar for a file with no document, so that an
    ///   empty file and one holding only `~` read alike.
    package mutating func compose() -> Node? {
        do {
            return try Yams.compose(yaml: text) ?? Node("", Tag(.null))
        } catch {
            reportYAML(error)
            return nil
        }
    }

    /// A mapping's entries by key, after reporting every key that is not in `allowed`.
    ///
    /// - Parameters:
    ///   - mapping: The mapping.
    ///   - context: Where the mapping is, for messages: "in job", "in 'schedule'".
    ///   - allowed: The valid keys, in the order to suggest them.
    package mutating func entries(of mapping: Node.Mapping, in context: String, allowed: [String]) -> [String: Entry] {
        var entries: [String: Entry] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report("expected a plain key \(context), such as \(EditDistance.quotedList(allowed))", at: key)
                continue
            }
            guard allowed.contains(scalar.string) else {
                report(unknownKeyMessage(scalar.string, context: context, allowed: allowed), at: key)
                continue
            }
            entries[scalar.string] = Entry(name: scalar.string, key: key, value: value)
        }
        return entries
    }

    /// The entry for `key`, or nil after reporting `message` at `node` when there is none.
    ///
    /// - Parameters:
    ///   - key: The key the mapping needs.
    ///   - entries: The mapping's entries, from ``entries(of:in:allowed:)``.
    ///   - message: What is missing and how to add it.
    ///   - node: Where the error points: the mapping, or the key that needs this one.
    package mutating func required(
        _ key: String, in entries: [String: Entry], _ message: @autoclosure () -> String, at node: Node
    ) -> Entry? {
        if let entry = entries[key] { return entry }
        report(message(), at: node)
        return nil
    }

    /// An entry's value as a mapping, or nil after reporting that it is not one.
    ///
    /// - Parameter example: A sample value for the message, such as `{ count: 3, within: 10m }`.
    package mutating func mapping(_ entry: Entry, example: String) -> Node.Mapping? {
        guard case .mapping(let mapping) = entry.value else {
            report("expected a mapping for '\(entry.name)', such as \(example)", at: valueLocation(entry))
            return nil
        }
        return mapping
    }

    /// An entry's value as the scalar text written, or nil after reporting that it is not a string.
    package mutating func string(_ entry: Entry) -> String? {
        guard case .scalar(let scalar) = entry.value, !entry.isNull else {
            report("expected a string for '\(entry.name)'", at: valueLocation(entry))
            return nil
        }
        return scalar.string
    }

    /// An entry's string value, reporting an empty one.
    ///
    /// - Parameter fix: What to do about an empty value, for the message.
    package mutating func nonEmptyString(_ entry: Entry, fix: String = "give a value or remove the key") -> String? {
        guard let text = string(entry) else { return nil }
        guard !text.isEmpty else {
            report("'\(entry.name)' is empty; \(fix)", at: entry.value)
            return nil
        }
        return text
    }

    /// An entry's value as a list of strings: one string, or a list of them (perhaps empty).
    ///
    /// A value that is neither is reported at the value, an item that is not a string at the item;
    /// the strings read are returned all the same.
    package mutating func strings(_ entry: Entry) -> [String] {
        if case .scalar(let scalar) = entry.value, !entry.isNull { return [scalar.string] }
        guard case .sequence(let items) = entry.value else {
            report("expected a string or a list of strings for '\(entry.name)'", at: valueLocation(entry))
            return []
        }
        return items.compactMap { item in
            guard case .scalar(let scalar) = item, !Self.isNull(item) else {
                report("expected a string in '\(entry.name)'", at: item)
                return nil
            }
            return scalar.string
        }
    }

    /// An entry's value as a decimal integer in `range`, or nil after reporting that it is not one.
    ///
    /// - Parameter expected: What the value must be, for the message: "a whole number of at least 1".
    package mutating func integer(_ entry: Entry, in range: ClosedRange<Int>, expected: String) -> Int? {
        if case .scalar(let scalar) = entry.value, let value = Int(scalar.string), range.contains(value) {
            return value
        }
        report("expected \(expected) for '\(entry.name)'\(written(entry))", at: valueLocation(entry))
        return nil
    }

    /// A duration value in seconds (``DurationParser``), or nil after reporting why it is not one.
    ///
    /// - Parameter hint: Text appended to the message, to say how to write "none" for this key.
    package mutating func duration(_ entry: Entry, hint: String = "") -> Int64? {
        guard case .scalar(let scalar) = entry.value, !entry.isNull else {
            report("expected a duration for '\(entry.name)', such as 90s, 24h or 1h30m", at: valueLocation(entry))
            return nil
        }
        do {
            return try DurationParser.seconds(scalar.string)
        } catch {
            report(error.message + hint, at: entry.value)
            return nil
        }
    }

    /// An RFC 3339 time (``RFC3339``: UTC when it has no offset), or nil after reporting that it is not one.
    package mutating func instant(_ entry: Entry) -> Instant? {
        if case .scalar(let scalar) = entry.value {
            switch RFC3339.read(scalar.string) {
            case .instant(let instant):
                return instant
            case .afterLatest:
                let message = "'\(entry.name)' is out of range: Heartline's times end at \(Instant.latest)"
                report(message, at: valueLocation(entry))
                return nil
            case .beforeEarliest:
                let message = "'\(entry.name)' is out of range: Heartline's times begin at \(Instant.earliest)"
                report(message, at: valueLocation(entry))
                return nil
            case .notATime:
                break
            }
        }
        report(
            "expected an RFC 3339 time for '\(entry.name)', such as 2005-06-16T04:10:24Z\(written(entry))",
            at: valueLocation(entry)
        )
        return nil
    }

    /// `, not 'VALUE'` for a scalar value, to end a message about it; empty for other values.
    func written(_ entry: Entry) -> String {
        entry.isNull ? "" : entry.value.scalar.map { ", not '\($0.string)'" } ?? ""
    }

    /// The Unicode scalars of a 1-based line of the file, without its line break.
    func sourceLine(_ number: Int) -> [Unicode.Scalar]? {
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        guard number >= 1, number <= lines.count else { return nil }
        var line = Array(lines[number - 1])
        if line.last == "\r" { line.removeLast() }
        return line
    }

    /// Records a YAML syntax error from Yams at the place it names.
    private mutating func reportYAML(_ error: any Error) {
        guard let yamlError = error as? YamlError else {
            report("invalid YAML: \(error)", at: location(line: 1, column: 1))
            return
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context {
                let start = context.mark
                message += " \(context.text) that starts at line \(start.line), column \(start.column)"
            }
            if isTab(line: mark.line, column: mark.column) {
                message += "; indent with spaces, YAML does not allow tabs"
            }
            report(message, at: location(line: mark.line, column: mark.column))
        case .composer(_, let problem, let mark, _) where problem == "but found another document":
            report(
                "\(kind) holds one YAML document; remove the '---' here or split the file",
                at: location(line: mark.line, column: mark.column)
            )
        case .composer(_, let problem, let mark, _):
            report("invalid YAML: \(problem)", at: location(line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            report(
                "duplicate key \(EditDistance.quotedList(duplicates, conjunction: "and")) in one mapping;"
                    + " each key may appear only once, so keep one and remove the others",
                at: location(line: context.mark.line, column: context.mark.column)
            )
        case .reader(let problem, let offset, _, _):
            let (line, column) = offset.map(lineAndColumn(ofCharacterOffset:)) ?? (1, 1)
            report("invalid YAML: \(problem)", at: location(line: line, column: column))
        default:
            report("invalid YAML: \(yamlError)", at: location(line: 1, column: 1))
        }
    }

    private func isTab(line: Int, column: Int) -> Bool {
        guard let scalars = sourceLine(line), column >= 1, column <= scalars.count else { return false }
        return scalars[column - 1] == "\t"
    }

    /// Line and column (both 1-based) of the character `offset` characters into the text.
    private func lineAndColumn(ofCharacterOffset offset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    private func unknownKeyMessage(_ key: String, context: String, allowed: [String]) -> String {
        let close = EditDistance.suggestions(for: key, among: allowed)
        if close.isEmpty {
            return "unknown key '\(key)' \(context); valid keys are "
                + EditDistance.quotedList(allowed, conjunction: "and")
        }
        return "unknown key '\(key)' \(context); did you mean \(EditDistance.quotedList(close))?"
    }
}
