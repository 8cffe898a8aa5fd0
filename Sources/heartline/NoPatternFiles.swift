import HeartlineCore

/// The error of a patterns directory that holds no pattern file: `check`, `replay` and `match`
/// refuse it, since a run with no service says nothing (SPEC §6: bad input gets a clear error).
struct NoPatternFiles: Error, CustomStringConvertible {
    /// The directory as given.
    var directory: String

    var description: String {
        let example = directory.hasSuffix("/") ? directory + "backup.yaml" : directory + "/backup.yaml"
        return "\(TerminalText.escaped(directory)): no pattern files (*.yaml); each service is one YAML file "
            + "in it, such as \(TerminalText.escaped(example))"
    }

    /// Throws when `services` is empty.
    static func check(_ services: [ServiceSpec], in directory: String) throws {
        if services.isEmpty { throw NoPatternFiles(directory: directory) }
    }
}
