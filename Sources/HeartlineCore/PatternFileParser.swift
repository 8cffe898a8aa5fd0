import Yams

/// Reads pattern files (SPEC §1: one YAML file per service) into ``ServiceSpec``s.
///
/// Parsing is pure: text in, model out, no file access. A file is read to the end even after an
/// error, so that one run reports every problem, each as `FILE:LINE:COLUMN: message` pointing at
/// the key or value at fault. Values are read as the scalar text written in the file, never as
/// YAML's guess at a type: `success: yes` is the regex `yes`, `success: 3` the regex `3`.
///
/// A file with `extends: NAME` builds on the file `NAME.yaml` of a ``PatternLibrary``: the base's
/// jobs and settings, with the file's own keys applied over them (see `PatternFileParser+Extends`
/// for the rules). Errors in a base point into the base file, and each is reported once however
/// many files extend it.
public enum PatternFileParser {
    /// The keys of a pattern file's top-level mapping.
    static let topLevelKeys = ["extends", "service", "source", "timestamp", "jobs"]

    /// Parses one pattern file.
    ///
    /// - Parameters:
    ///   - text: The file's YAML.
    ///   - path: The file's path, used in error locations and, without its directory and its
    ///     `.yaml` extension, as the service name when the file has no `service:` key.
    ///   - library: Where `extends:` finds its base; without one, `extends:` is an error.
    /// - Returns: The service the file describes.
    /// - Throws: ``ConfigErrors`` holding every error found, not only the first, in this file and
    ///   in the files it extends.
    public static func parse(
        _ text: String, path: String, library: PatternLibrary = .empty
    ) throws(ConfigErrors) -> ServiceSpec {
        var bases = Bases(library: library)
        let outcome = read(text, path: path, bases: &bases)
        let errors = unique(outcome.errors + bases.errors)
        guard let service = outcome.service, errors.isEmpty else { throw ConfigErrors(errors: errors) }
        return service
    }

    /// Parses several pattern files, one service each, and checks that their service names differ.
    ///
    /// A service name used by an earlier file is an error at the later file's `service:` value (or
    /// at its start when the name comes from the file name).
    ///
    /// - Parameters:
    ///   - files: Each file's path (as for ``parse(_:path:library:)``) and text, in the order to report.
    ///   - library: Where `extends:` finds its bases; a base is read and checked once for all files.
    /// - Returns: The services, in the order of `files`.
    /// - Throws: ``ConfigErrors`` holding every error of every file and of the bases they extend.
    public static func parseAll(
        _ files: [(path: String, text: String)], library: PatternLibrary = .empty
    ) throws(ConfigErrors) -> [ServiceSpec] {
        var errors: [ConfigError] = []
        var services: [ServiceSpec] = []
        var firstUse: [String: SourceLocation] = [:]
        var bases = Bases(library: library)
        for file in files {
            let outcome = read(file.text, path: file.path, bases: &bases)
            errors += outcome.errors
            if let service = outcome.service { services.append(service) }
            guard let name = outcome.name else { continue }
            if let first = firstUse[name.text] {
                errors.append(
                    ConfigError(
                        location: name.location,
                        message: "service '\(name.text)' is already defined at \(first); service names must be"
                            + " unique, so set a different 'service:' in one of the files"
                    )
                )
            } else {
                firstUse[name.text] = name.location
            }
        }
        // A directory that is both checked and used as the library reads some files twice.
        errors = unique(errors + bases.errors)
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
        return services
    }

    /// The errors without repeats, in their first order.
    private static func unique(_ errors: [ConfigError]) -> [ConfigError] {
        var seen: Set<ConfigError> = []
        return errors.filter { seen.insert($0).inserted }
    }

    /// Reads one file as far as it can: the service when the file is sound, and the service name
    /// whenever it is known, so that ``parseAll(_:library:)`` can check names even in a file with
    /// errors.
    ///
    /// - Parameter bases: Resolves `extends:`, keeping each base's errors (not this file's) to
    ///   itself.
    static func read(_ text: String, path: String, bases: inout Bases) -> Outcome {
        var reader = Reader(text: text, path: path)
        let start = reader.location(line: 1, column: 1)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            reader.reportYAML(error)
            return Outcome(service: nil, name: nil, errors: reader.errors)
        }
        guard let root, !Reader.isNull(root) else {
            reader.report(
                "the file is empty; a pattern file needs 'jobs:' with at least one job, such as"
                    + " '- name: nightly' and 'success: \"backup done\"'",
                at: start
            )
            return Outcome(service: nil, name: nil, errors: reader.errors)
        }
        guard case .mapping(let mapping) = root else {
            reader.report(
                "expected a mapping at the top level of a pattern file, with the keys "
                    + EditDistance.quotedList(topLevelKeys, conjunction: "and"),
                at: root
            )
            return Outcome(service: nil, name: nil, errors: reader.errors)
        }
        let entries = reader.entries(of: mapping, in: "at the top level", allowed: topLevelKeys)
        let base = entries["extends"].map { reader.base($0, bases: &bases) } ?? .none
        var name = (text: defaultServiceName(path: path), location: start)
        if let entry = entries["service"], let written = reader.nonEmptyString(entry) {
            name = (written, reader.location(of: entry.value))
        }
        let inherited = base.service
        let source = entries["source"].map { reader.source($0) } ?? inherited?.source ?? SourceSpec()
        let baseTimestamp = inherited?.timestamp ?? TimestampSpec()
        let timestamp = entries["timestamp"].map { reader.timestamp($0, over: baseTimestamp) } ?? baseTimestamp
        let jobs = reader.jobs(entries["jobs"], root: root, base: base)
        let service = ServiceSpec(name: name.text, source: source, timestamp: timestamp, jobs: jobs, location: start)
        // An unresolved base has its errors elsewhere (in the base file, or already reported).
        let sound = reader.errors.isEmpty && !base.isUnresolved
        return Outcome(service: sound ? service : nil, name: name, errors: reader.errors)
    }

    /// The file name without its directory and without a `.yaml` extension.
    static func defaultServiceName(path: String) -> String {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        return fileName.hasSuffix(".yaml") ? String(fileName.dropLast(".yaml".count)) : fileName
    }

    /// What reading one file produced.
    struct Outcome {
        /// The service, when the file had no error.
        var service: ServiceSpec?
        /// The service name and where it was given, when known.
        var name: (text: String, location: SourceLocation)?
        /// Every error found, in the order found.
        var errors: [ConfigError]
    }

    /// Walks one file's YAML nodes, building model values and collecting errors as it goes.
    ///
    /// Each read method returns nil (or a default) after reporting an error, and the callers carry
    /// on with the rest of the file; errors that would only follow from an earlier one are not
    /// reported a second time.
    struct Reader {
        /// The path given by the caller, for locations.
        let path: String
        /// The file's text, to find where inside a pattern a regex error is.
        let text: String
        /// The errors found so far.
        private(set) var errors: [ConfigError] = []

        /// One mapping entry of the file: its key as written, the key node and the value node.
        struct Entry {
            /// The key's text.
            var name: String
            /// The key node, where errors about the entry as a whole point.
            var key: Node
            /// The value node.
            var value: Node

            /// Whether the value is YAML null: nothing written after the colon, `~` or `null`.
            var isNull: Bool { Reader.isNull(value) }
        }

        init(text: String, path: String) {
            self.text = text
            self.path = path
        }

        /// Whether a node is YAML null (an unquoted empty value, `~` or `null`).
        static func isNull(_ node: Node) -> Bool {
            guard case .scalar = node else { return false }
            return node.tag.description == Tag.Name.null.rawValue
        }

        func location(line: Int, column: Int) -> SourceLocation {
            SourceLocation(file: path, line: line, column: column)
        }

        /// Where a node starts; the file's start for nodes without a mark.
        func location(of node: Node) -> SourceLocation {
            guard let mark = node.mark else { return location(line: 1, column: 1) }
            return location(line: mark.line, column: mark.column)
        }

        /// Where an error about an entry's value points: the value, or the key when the value is
        /// null and so has no place of its own.
        func valueLocation(_ entry: Entry) -> SourceLocation {
            location(of: entry.isNull ? entry.key : entry.value)
        }

        mutating func report(_ message: String, at location: SourceLocation) {
            errors.append(ConfigError(location: location, message: message))
        }

        mutating func report(_ message: String, at node: Node) {
            report(message, at: location(of: node))
        }

        /// A mapping's entries by key, after reporting every key that is not in `allowed`.
        ///
        /// - Parameters:
        ///   - mapping: The mapping.
        ///   - context: Where the mapping is, for messages: "in job", "in 'schedule'".
        ///   - allowed: The valid keys, in the order to suggest them.
        mutating func entries(of mapping: Node.Mapping, in context: String, allowed: [String]) -> [String: Entry] {
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

        /// An entry's value as a mapping, or nil after reporting that it is not one.
        ///
        /// - Parameter example: A sample value for the message, such as `{ count: 3, within: 10m }`.
        mutating func mapping(_ entry: Entry, example: String) -> Node.Mapping? {
            guard case .mapping(let mapping) = entry.value else {
                report("expected a mapping for '\(entry.name)', such as \(example)", at: valueLocation(entry))
                return nil
            }
            return mapping
        }

        /// An entry's value as the scalar text written, or nil after reporting that it is not a string.
        mutating func string(_ entry: Entry) -> String? {
            guard case .scalar(let scalar) = entry.value, !entry.isNull else {
                report("expected a string for '\(entry.name)'", at: valueLocation(entry))
                return nil
            }
            return scalar.string
        }

        /// Records a YAML syntax error from Yams at the place it names.
        mutating func reportYAML(_ error: any Error) {
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
                    "a pattern file holds one YAML document; remove the '---' here or split the file",
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

        /// The Unicode scalars of a 1-based line of the file, without its line break.
        func sourceLine(_ number: Int) -> [Unicode.Scalar]? {
            let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            guard number >= 1, number <= lines.count else { return nil }
            var line = Array(lines[number - 1])
            if line.last == "\r" { line.removeLast() }
            return line
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
}
