/// The directories `extends: NAME` searches for `NAME.yaml`, in order (README, "Extending a shipped
/// pattern file").
///
/// First the directories the user named (`--library DIR`, a rule test's `library:`), which must
/// exist; then the defaults, each skipped when missing: the directories of `HEARTLINE_LIBRARY`
/// (colon-separated, as `PATH`), the `Patterns/` directory of the source tree when the binary runs
/// from one (a development build sees the patterns it was built with before older installed ones),
/// and the system directory ``systemDirectory``.
public struct LibrarySearchPath: Sendable, Hashable {
    /// Where packages install the shipped pattern files.
    public static let systemDirectory = "/usr/share/heartline/patterns"

    /// Directories the user named; each must exist.
    public var named: [String]
    /// Directories searched when they exist.
    public var defaults: [String]

    /// Every directory, in search order.
    public var directories: [String] { named + defaults }

    /// Creates a search path.
    ///
    /// - Parameters:
    ///   - named: Directories the user named, searched first; each must exist.
    ///   - defaults: Directories searched after them when they exist.
    public init(named: [String] = [], defaults: [String] = []) {
        self.named = named
        self.defaults = defaults
    }

    /// The search path of the command-line tool.
    ///
    /// - Parameters:
    ///   - named: The `--library` directories, in the order given.
    ///   - environment: The process environment, for `HEARTLINE_LIBRARY`.
    ///   - executablePath: The running binary's path, to find a source tree it was built in.
    /// - Returns: `named`, then `HEARTLINE_LIBRARY`'s directories (empty ones skipped), the source
    ///   tree's `Patterns/`, and ``systemDirectory``.
    public static func standard(
        named: [String], environment: [String: String], executablePath: String?
    ) -> LibrarySearchPath {
        var defaults = (environment["HEARTLINE_LIBRARY"] ?? "").split(separator: ":").map(String.init)
        if let executablePath, let tree = sourceTreePatterns(executablePath: executablePath) {
            defaults.append(tree)
        }
        defaults.append(systemDirectory)
        return LibrarySearchPath(named: named, defaults: defaults)
    }

    /// This path with `directories` searched before the rest, as directories the user named.
    ///
    /// - Parameter directories: The directories to search first.
    /// - Returns: The longer path.
    public func prepending(_ directories: [String]) -> LibrarySearchPath {
        LibrarySearchPath(named: directories + named, defaults: defaults)
    }

    /// `ROOT/Patterns` for a binary that SwiftPM built in `ROOT/.build/`, or nil for any other path.
    ///
    /// - Parameter executablePath: An absolute path, such as `/src/heartline/.build/debug/heartline`.
    package static func sourceTreePatterns(executablePath: String) -> String? {
        guard executablePath.hasPrefix("/"), let build = executablePath.range(of: "/.build/") else { return nil }
        let root = executablePath[..<build.lowerBound]
        return (root.isEmpty ? "" : String(root)) + "/Patterns"
    }
}
