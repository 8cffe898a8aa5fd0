/// The shipped pattern files that `extends: NAME` can build on (README, "Extending a shipped
/// pattern file").
///
/// A library is a list of directories searched in order; `NAME` is the file `NAME.yaml` in the
/// first directory that has one. The parser does no file access, so a library is given to it as
/// values: the directories (for messages), the names available (for "did you mean"), and a
/// function that returns one file's text. ``init(files:directories:)`` builds one from texts in
/// memory; `PatternDirectory` in HeartlineInput builds one from directories on disk, reading a file
/// only when a pattern file extends it.
public struct PatternLibrary: Sendable {
    /// One file of the library.
    public struct File: Sendable, Hashable {
        /// The name `extends:` uses: the file name without its directory and `.yaml`.
        public var name: String
        /// The file's path, used in error locations.
        public var path: String
        /// The file's YAML.
        public var text: String

        /// Creates a file.
        ///
        /// - Parameters:
        ///   - name: The name `extends:` uses.
        ///   - path: The path for error locations.
        ///   - text: The YAML.
        public init(name: String, path: String, text: String) {
            self.name = name
            self.path = path
            self.text = text
        }
    }

    /// One directory of the search path, as messages show it.
    public struct Directory: Sendable, Hashable {
        /// The directory's path as given.
        public var path: String
        /// Whether it exists; a directory that does not is skipped, and messages say so.
        public var exists: Bool

        /// Creates a directory entry.
        ///
        /// - Parameters:
        ///   - path: The path as given.
        ///   - exists: Whether it exists.
        public init(path: String, exists: Bool = true) {
            self.path = path
            self.exists = exists
        }
    }

    /// The directories searched, in order.
    public let directories: [Directory]
    /// Every name available, sorted and without repeats.
    public let names: [String]
    private let read: @Sendable (String) throws -> File?

    /// A library with nothing in it: `extends:` then always fails, saying no directory was searched.
    public static let empty = PatternLibrary(files: [])

    /// Creates a library whose files are read on demand.
    ///
    /// - Parameters:
    ///   - directories: The directories searched, in order, for messages.
    ///   - names: Every name available, for suggestions.
    ///   - read: Returns the file for a name, nil when there is none, or throws when it cannot be
    ///     read; the error's description goes into the message.
    public init(directories: [Directory], names: [String], read: @escaping @Sendable (String) throws -> File?) {
        self.directories = directories
        self.names = Array(Set(names)).sorted()
        self.read = read
    }

    /// Creates a library of files held in memory. When two files have one name, the first wins, as
    /// the first directory of a search path does.
    ///
    /// - Parameters:
    ///   - files: The files.
    ///   - directories: The directories to name in messages.
    public init(files: [File], directories: [Directory] = []) {
        var byName: [String: File] = [:]
        for file in files where byName[file.name] == nil {
            byName[file.name] = file
        }
        self.init(directories: directories, names: Array(byName.keys)) { [byName] name in byName[name] }
    }

    /// The file `extends: name` means.
    ///
    /// - Parameter name: The name, without `.yaml`.
    /// - Returns: The file, or nil when no directory has it.
    /// - Throws: Whatever the library's reader throws for a file it has but cannot read.
    public func file(named name: String) throws -> File? {
        try read(name)
    }
}
