public import HeartlineCore
import HeartlineInput

/// Loads services from pattern files and directories on disk.
public enum ServiceLoader {
    /// Reads every `*.yaml` in each directory (or each named file) and parses them all.
    ///
    /// - Parameter paths: Pattern directories or single pattern files.
    /// - Returns: The services in path order, files sorted by name within a directory.
    /// - Throws: `InputError` when a path cannot be read; ``ConfigErrors`` with every error of
    ///   every file (`FILE:LINE:COLUMN: message`), including service names defined twice.
    public static func load(_ paths: [String]) throws -> [ServiceSpec] {
        var files: [(path: String, text: String)] = []
        for path in paths {
            files += try PatternDirectory.load(path)
        }
        return try PatternFileParser.parseAll(files)
    }
}
