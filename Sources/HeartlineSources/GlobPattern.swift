internal import Glibc

/// One `files:` entry: a shell glob (`*`, `?`, `[...]`, `{a,b}`) naming log files.
///
/// Expansion uses the C library's `glob(3)` with braces; matching a single path, `fnmatch(3)` with
/// `FNM_PATHNAME` on each brace alternative, so `*` never crosses a `/`, as in the shell.
struct GlobPattern {
    /// The pattern as configured.
    let pattern: String
    /// The pattern with its braces expanded, for `fnmatch(3)`, which knows no braces.
    private let alternatives: [String]
    /// Whether the pattern has no wildcard: it names one file.
    let isLiteral: Bool
    /// The deepest directory of the pattern without a wildcard: where new matches appear.
    let baseDirectory: String

    /// Parses a pattern.
    ///
    /// - Parameter pattern: A path, absolute or relative to the working directory, with wildcards.
    init(_ pattern: String) {
        self.pattern = pattern
        self.alternatives = Self.expandBraces(pattern)
        let wildcards: Set<Character> = ["*", "?", "[", "{"]
        let components = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let fixed = components.prefix { !$0.contains(where: wildcards.contains) }
        isLiteral = fixed.count == components.count
        let directory = fixed.prefix(isLiteral ? fixed.count - 1 : fixed.count).joined(separator: "/")
        if directory.isEmpty {
            baseDirectory = pattern.hasPrefix("/") ? "/" : "."
        } else {
            baseDirectory = directory
        }
    }

    /// The paths that match now, sorted; directories and special files are left out later.
    ///
    /// - Returns: The matching paths (none when nothing matches or a directory is unreadable).
    func expand() -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, GLOB_BRACE, nil, &result) == 0, let paths = result.gl_pathv else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            paths[index].map { String(cString: $0) }
        }
    }

    /// Whether a path is one this pattern would match.
    ///
    /// - Parameter path: A path, spelled as the pattern spells its directories.
    /// - Returns: `true` if it matches.
    func matches(_ path: String) -> Bool {
        alternatives.contains { fnmatch($0, path, FNM_PATHNAME) == 0 }
    }

    /// The patterns a brace expression stands for: `a{b,c{d,e}}` gives `ab`, `acd`, `ace`.
    ///
    /// An unbalanced brace stays as it is, as `glob(3)` leaves it.
    private static func expandBraces(_ pattern: String) -> [String] {
        let characters = Array(pattern)
        guard let open = characters.firstIndex(of: "{") else { return [pattern] }
        var depth = 0
        var cuts: [Int] = []
        for index in open..<characters.count {
            switch characters[index] {
            case "{":
                depth += 1
            case "," where depth == 1:
                cuts.append(index)
            case "}":
                depth -= 1
                if depth == 0 {
                    let bounds = [open] + cuts + [index]
                    let head = String(characters[..<open])
                    let tail = String(characters[(index + 1)...])
                    return zip(bounds, bounds.dropFirst()).flatMap { start, end in
                        expandBraces(head + String(characters[(start + 1)..<end]) + tail)
                    }
                }
            default:
                break
            }
        }
        return [pattern]
    }

    /// Whether ``baseDirectory`` can be listed, and if not, why.
    ///
    /// - Returns: `nil` when it is a readable directory, else a message for an operator.
    func baseDirectoryProblem() -> String? {
        var status = stat()
        guard stat(baseDirectory, &status) == 0 else {
            return "directory \(baseDirectory): \(SystemCallError("cannot stat").message)"
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            return "\(baseDirectory) is not a directory"
        }
        guard access(baseDirectory, R_OK | X_OK) == 0 else {
            return "directory \(baseDirectory): \(SystemCallError("cannot read").message)"
        }
        return nil
    }
}
