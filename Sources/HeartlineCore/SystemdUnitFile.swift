/// A systemd unit file or drop-in, read the way systemd reads it (systemd.syntax(7); systemd 252's
/// `config_parse`).
///
/// The file is a list of `[Section]` headers and `Key=Value` assignments. Whitespace around the
/// `=` and at both ends of a line is ignored. Empty lines and lines whose first non-blank character
/// is `#` or `;` are ignored, also between the parts of a continued line. A line ending in an
/// unescaped backslash goes on on the next line, the backslash read as a space. Assignments keep
/// their order, so that later ones can reset or override earlier ones (an empty value resets a
/// list: systemd.syntax(7)); what each key means is up to the unit type (``TimerUnit``). Lines that
/// are neither are kept as ``problems``, as systemd logs and skips them.
public struct SystemdUnitFile: Sendable, Hashable {
    /// One `Key=Value` line.
    public struct Assignment: Sendable, Hashable {
        /// The section it is in, without brackets (`Timer`).
        public var section: String
        /// The key, trimmed.
        public var key: String
        /// The value, trimmed; empty for `Key=`.
        public var value: String
        /// Where the assignment starts (its first line, for a continued one).
        public var location: SourceLocation

        /// Creates an assignment.
        public init(section: String, key: String, value: String, location: SourceLocation) {
            self.section = section
            self.key = key
            self.value = value
            self.location = location
        }
    }

    /// The file's path, as given.
    public let path: String
    /// The assignments, in file order.
    public let assignments: [Assignment]
    /// Lines systemd would skip with a warning (no `=`, an assignment before any section, a
    /// section header without `]`), each with the reason.
    public let problems: [ConfigError]

    /// Reads a unit file.
    ///
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - path: Its path, for locations.
    public init(text: String, path: String) {
        self.path = path
        var assignments: [Assignment] = []
        var problems: [ConfigError] = []
        var section: String?
        var continued: (text: String, line: Int)?
        var lineNumber = 0
        // "\r\n" is one Character in Swift: split on both.
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if text.hasSuffix("\n") || text.hasSuffix("\r\n") { lines.removeLast() }
        for raw in lines {
            lineNumber += 1
            var line = Substring(raw)
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            let trimmedStart = line.drop(while: Self.isBlank)
            if let first = trimmedStart.first, first == "#" || first == ";" { continue }
            var joined = (continued?.text ?? "") + line
            let startLine = continued?.line ?? lineNumber
            if Self.endsInContinuation(joined) {
                joined.removeLast()
                continued = (joined + " ", startLine)
                continue
            }
            continued = nil
            let location = SourceLocation(file: path, line: startLine, column: 1)
            Self.take(joined, at: location, section: &section, into: &assignments, problems: &problems)
        }
        // A backslash on the last line continues into nothing: systemd takes what it has.
        if let continued {
            let location = SourceLocation(file: path, line: continued.line, column: 1)
            Self.take(continued.text, at: location, section: &section, into: &assignments, problems: &problems)
        }
        self.assignments = assignments
        self.problems = problems
    }

    /// The assignments of one section, in order.
    ///
    /// - Parameter section: The section name without brackets.
    /// - Returns: Its assignments.
    public func assignments(in section: String) -> [Assignment] {
        assignments.filter { $0.section == section }
    }

    private static func isBlank(_ character: Character) -> Bool {
        character == " " || character == "\t"
    }

    /// Whether a line ends in a backslash that is not itself escaped.
    private static func endsInContinuation(_ line: String) -> Bool {
        var escaped = false
        for character in line {
            escaped = escaped ? false : character == "\\"
        }
        return escaped
    }

    private static func take(
        _ line: String, at location: SourceLocation, section: inout String?, into assignments: inout [Assignment],
        problems: inout [ConfigError]
    ) {
        let text = line.trimmingBlanks()
        guard !text.isEmpty else { return }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]"), text.count > 2 else {
                problems.append(ConfigError(location: location, message: "invalid section header '\(text)'"))
                section = nil
                return
            }
            section = String(text.dropFirst().dropLast())
            return
        }
        guard let equals = text.firstIndex(of: "=") else {
            problems.append(ConfigError(location: location, message: "missing '=', ignoring line"))
            return
        }
        guard let section else {
            problems.append(ConfigError(location: location, message: "assignment outside of a section, ignoring line"))
            return
        }
        let key = String(text[..<equals]).trimmingBlanks()
        let value = String(text[text.index(after: equals)...]).trimmingBlanks()
        assignments.append(Assignment(section: section, key: key, value: value, location: location))
    }
}

extension String {
    /// The text without spaces, tabs and line ends at either end (systemd's `WHITESPACE`).
    fileprivate func trimmingBlanks() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
