import Foundation

/// A crontab as Debian's cron (Vixie cron 3.0pl1-162) reads it: crontab(5), and cron(8) for
/// what it does with the time zone.
///
/// Blank lines and lines whose first non-blank character is `#` are ignored. A line
/// `NAME = VALUE` sets a variable (blanks around `=` are eaten; a value in matching single or
/// double quotes keeps its blanks). Any other line is an entry: five time fields, or one of
/// `@reboot`, `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`; then,
/// in the system crontab and `/etc/cron.d` files, a user name; then the command, the rest of the
/// line. Each entry keeps the variables set above it (`CRON_TZ`, `TZ`, `MAILTO`).
public struct CrontabFile: Sendable, Hashable {
    /// Whose crontab this is.
    public enum Kind: Sendable, Hashable {
        /// `/etc/crontab` or a file in `/etc/cron.d`: each entry names its user.
        case system
        /// A user's crontab (`/var/spool/cron/crontabs/USER`): every entry runs as that user.
        case user(String)
    }

    /// One entry.
    public struct Entry: Sendable, Hashable {
        /// The line as written, without its line end.
        public var line: String
        /// Where it is.
        public var location: SourceLocation
        /// The five time fields joined by single spaces, or the `@` keyword (`@reboot`, `@daily`).
        public var when: String
        /// The user it runs as.
        public var user: String
        /// The command, as written after the time fields (and the user).
        public var command: String
        /// The variables set above the entry, by name (the last assignment wins).
        public var variables: [String: String]
    }

    /// A line that is neither a comment, a variable nor a valid entry.
    public struct Problem: Sendable, Hashable {
        /// The line as written.
        public var line: String
        /// Where it is.
        public var location: SourceLocation
        /// Why it is not an entry, as cron would refuse it.
        public var reason: String
        /// Whether cron ignores the whole file for it, as Debian's cron does for a syntax error
        /// ("Syntax error, this crontab file will be ignored"); false for an entry that parses but
        /// can never run, such as February 30th.
        public var ignoresFile: Bool = true
    }

    /// The crontab's path.
    public let path: String
    /// Whose crontab it is.
    public let kind: Kind
    /// Its entries, in file order.
    public let entries: [Entry]
    /// Its lines that cron would refuse, in file order.
    public let problems: [Problem]

    /// The `@` keywords cron takes in place of the five time fields (entry.c).
    public static let keywords = [
        "@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    ]

    /// Reads a crontab.
    ///
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - path: Its path, for locations.
    ///   - kind: Whether entries carry a user field.
    public init(text: String, path: String, kind: Kind) {
        self.path = path
        self.kind = kind
        var entries: [Entry] = []
        var problems: [Problem] = []
        var variables: [String: String] = [:]
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if text.hasSuffix("\n") || text.hasSuffix("\r\n") { lines.removeLast() }
        for (index, raw) in lines.enumerated() {
            let line = String(raw)
            let location = SourceLocation(file: path, line: index + 1, column: 1)
            let body = line.drop(while: Self.isBlank)
            guard let first = body.first, first != "#" else { continue }
            if let (name, value) = Self.variable(body) {
                variables[name] = value
                continue
            }
            switch Self.entry(body, kind: kind) {
            case .success(let parts):
                entries.append(
                    Entry(
                        line: line, location: location, when: parts.when, user: parts.user, command: parts.command,
                        variables: variables))
            case .failure(let failure):
                problems.append(
                    Problem(line: line, location: location, reason: failure.reason, ignoresFile: !failure.neverRuns))
            }
        }
        self.entries = entries
        self.problems = problems
    }

    private static func isBlank(_ character: Character) -> Bool {
        character == " " || character == "\t"
    }

    /// `NAME = VALUE` (env.c's `load_env`): a name without blanks or `=`, then `=` after optional
    /// blanks. The value loses its surrounding blanks, and its quotes when they match.
    private static func variable(_ line: Substring) -> (String, String)? {
        let name = line.prefix { !isBlank($0) && $0 != "=" }
        guard !name.isEmpty else { return nil }
        let afterName = line.dropFirst(name.count).drop(while: isBlank)
        guard afterName.first == "=" else { return nil }
        var value = String(afterName.dropFirst()).trimmingCharacters(in: .whitespaces)
        if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
            value = String(value.dropFirst().dropLast())
        }
        return (String(name), value)
    }

    private struct Parts {
        var when: String
        var user: String
        var command: String
    }

    private struct Refusal: Error {
        var reason: String
        var neverRuns = false
    }

    /// Splits an entry line into its time fields, user and command.
    private static func entry(_ line: Substring, kind: Kind) -> Result<Parts, Refusal> {
        var rest = line
        func word() -> Substring {
            rest = rest.drop(while: isBlank)
            let taken = rest.prefix { !isBlank($0) }
            rest = rest.dropFirst(taken.count)
            return taken
        }
        let when: String
        if line.hasPrefix("@") {
            let keyword = String(word())
            guard keywords.contains(keyword) else {
                return .failure(
                    Refusal(reason: "'\(keyword)' is not one of \(keywords.joined(separator: " "))"))
            }
            when = keyword
        } else {
            let fields = (0..<5).map { _ in word() }
            if let missing = fields.firstIndex(where: \.isEmpty) {
                return .failure(Refusal(reason: "only \(missing) of the 5 time fields, and no command"))
            }
            when = fields.joined(separator: " ")
            do {
                _ = try CronExpression(parsing: when)
            } catch  where error.code == .neverFires {
                return .failure(Refusal(reason: error.message, neverRuns: true))
            } catch {
                return .failure(Refusal(reason: "bad time fields '\(when)': \(error.message)"))
            }
        }
        let user: String
        switch kind {
        case .system:
            user = String(word())
            guard !user.isEmpty else { return .failure(Refusal(reason: "no user name and no command")) }
        case .user(let owner):
            user = owner
        }
        let command = String(rest.drop(while: isBlank))
        guard !command.isEmpty else { return .failure(Refusal(reason: "no command")) }
        return .success(Parts(when: when, user: user, command: command))
    }
}
