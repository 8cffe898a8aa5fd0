internal import Glibc
public import HeartlineCore

extension PatternDirectory {
    /// Opens the pattern library that `extends:` searches: the `*.yaml` files of `directories`.
    ///
    /// `extends: NAME` means `NAME.yaml` in the first directory that has it. The directories are
    /// listed now; a file is read only when a pattern file extends it, so a library file that is
    /// broken or unreadable troubles only the files that use it. A directory given twice is searched
    /// once.
    ///
    /// - Parameters:
    ///   - directories: The directories, in search order.
    ///   - required: Which of them must exist: those the user named (`--library`, a rule test's
    ///     `library:`). The others (`HEARTLINE_LIBRARY`, the system directory) are skipped when
    ///     missing, and messages say so.
    /// - Returns: The library.
    /// - Throws: ``InputError``: `notFound` for a missing required directory or for any path that is
    ///   not a directory; the failure to list one (`permissionDenied`, `io`, `invalidText`).
    public static func library(_ directories: [String], required: Set<String>) throws(InputError) -> PatternLibrary {
        var searched: [PatternLibrary.Directory] = []
        var paths: [String: String] = [:]
        for directory in directories where !searched.contains(where: { $0.path == directory }) {
            var status = stat()
            guard stat(directory, &status) == 0 else {
                let code = Glibc.errno
                guard code == ENOENT || code == ENOTDIR else {
                    throw InputError(errno: code, path: directory, operation: "cannot read")
                }
                if required.contains(directory) {
                    throw InputError(
                        code: .notFound, path: directory, message: "no such pattern library directory", errno: code)
                }
                searched.append(PatternLibrary.Directory(path: directory, exists: false))
                continue
            }
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw InputError(
                    code: .notFound, path: directory,
                    message: "not a directory; a pattern library is a directory of NAME.yaml files", errno: ENOTDIR)
            }
            searched.append(PatternLibrary.Directory(path: directory))
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            for fileName in try yamlFileNames(in: directory) {
                let name = String(fileName.dropLast(".yaml".count))
                if paths[name] == nil { paths[name] = prefix + fileName }
            }
        }
        return PatternLibrary(directories: searched, names: Array(paths.keys)) { [paths] name in
            guard let path = paths[name] else { return nil }
            return PatternLibrary.File(name: name, path: path, text: try readText(path))
        }
    }
}
