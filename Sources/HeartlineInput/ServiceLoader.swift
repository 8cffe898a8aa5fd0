public import HeartlineCore

/// Loads services from pattern files and directories on disk.
public enum ServiceLoader {
    /// Reads every `*.yaml` in each directory (or each named file) and parses them all.
    ///
    /// - Parameters:
    ///   - paths: Pattern directories or single pattern files.
    ///   - library: Where `extends:` looks for the files it names.
    /// - Returns: The services in path order, files sorted by name within a directory.
    /// - Throws: `InputError` when a path or a named library directory cannot be read;
    ///   ``ConfigErrors`` with every error of every file and of the library files they extend
    ///   (`FILE:LINE:COLUMN: message`), including service names defined twice.
    public static func load(
        _ paths: [String], library: LibrarySearchPath = LibrarySearchPath()
    ) throws -> [ServiceSpec] {
        var files: [(path: String, text: String)] = []
        for path in paths {
            files += try PatternDirectory.load(path)
        }
        let patternLibrary = try PatternDirectory.library(library.directories, required: Set(library.named))
        return try PatternFileParser.parseAll(files, library: patternLibrary)
    }
}
