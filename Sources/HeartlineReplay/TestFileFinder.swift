import Foundation
package import HeartlineInput

/// Finds rule-test files on disk for `heartline test`.
package enum TestFileFinder {
    /// `path` itself when it is a file; every `*.test.yaml` below it, sorted, when it is a directory.
    package static func find(_ path: String) throws(InputError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(code: .notFound, path: path, message: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let found = FileManager.default.enumerator(atPath: path)?.compactMap { item -> String? in
            guard let relative = item as? String, relative.hasSuffix(".test.yaml") else { return nil }
            return base + "/" + relative
        }
        return (found ?? []).sorted()
    }
}
