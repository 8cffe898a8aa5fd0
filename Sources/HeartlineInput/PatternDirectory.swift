internal import Glibc

/// Reads the pattern files of a patterns directory (SPEC §1): every `*.yaml` file in it.
///
/// Only files directly in the directory count, not those in subdirectories; names starting with
/// `.` are skipped, as the shell's `*.yaml` skips them; only regular files (or links to them) count.
/// Files come sorted by the bytes of their names, so every run sees the same order. A path to a
/// single file is accepted too, whatever its name, since the user named it on purpose. Parsing the
/// YAML is left to the caller.
public enum PatternDirectory {
    /// The largest pattern file read, in bytes: 4 MiB. A larger one is surely a wrong path.
    public static let maxFileBytes = 4 * 1024 * 1024

    /// Loads the pattern files at `path`.
    ///
    /// - Parameter path: A directory of `*.yaml` files, or one file.
    /// - Returns: Each file's path (the directory joined with the file name) and its text, sorted by
    ///   name; empty if the directory holds no `*.yaml` file.
    /// - Throws: ``InputError``: `notFound` for a missing path or a dangling link, `permissionDenied`,
    ///   `io`, `invalidText` for a file that is not UTF-8, `tooLarge` over ``maxFileBytes``.
    public static func load(_ path: String) throws(InputError) -> [(path: String, text: String)] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = Glibc.errno
            if code == ENOENT {
                throw InputError(code: .notFound, path: path, message: "no such file or directory", errno: code)
            }
            throw InputError(errno: code, path: path, operation: "cannot read")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            return [(path, try readText(path))]
        }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        return try yamlFileNames(in: path).map { (name) throws(InputError) in
            (prefix + name, try readText(prefix + name))
        }
    }

    /// The names of the `*.yaml` regular files (or links to them) in a directory, sorted.
    static func yamlFileNames(in directory: String) throws(InputError) -> [String] {
        guard let stream = opendir(directory) else {
            throw InputError(errno: Glibc.errno, path: directory, operation: "cannot list directory")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while true {
            Glibc.errno = 0
            guard let entry = readdir(stream) else {
                if Glibc.errno != 0 {
                    throw InputError(errno: Glibc.errno, path: directory, operation: "cannot list directory")
                }
                break
            }
            let rawName = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                Array(bytes.prefix(while: { $0 != 0 }))
            }
            guard rawName.first != UInt8(ascii: "."), rawName.count > 5, rawName.suffix(5).elementsEqual(".yaml".utf8)
            else { continue }
            guard let name = String(validating: rawName, as: UTF8.self) else {
                let shown = String(decoding: rawName, as: UTF8.self)
                throw InputError(
                    code: .invalidText, path: directory, message: "file name '\(shown)' is not valid UTF-8")
            }
            var status = stat()
            let full = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard stat(full, &status) == 0 else {
                throw InputError(errno: Glibc.errno, path: full, operation: "cannot read")
            }
            if status.st_mode & S_IFMT == S_IFREG {
                names.append(name)
            }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A pattern file's text: at most ``maxFileBytes``, UTF-8.
    static func readText(_ path: String) throws(InputError) -> String {
        let file = try FileByteSource(path: path)
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try file.read(into: chunk)
            if count == 0 { break }
            guard bytes.count + count <= maxFileBytes else {
                throw InputError(
                    code: .tooLarge, path: path,
                    message: "larger than \(maxFileBytes / 1024 / 1024) MiB; is this really a pattern file?")
            }
            bytes += chunk[..<count]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(
                code: .invalidText, path: path, message: "not valid UTF-8 text; pattern files must be UTF-8")
        }
        return text
    }
}
