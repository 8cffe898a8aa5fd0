import Yams

/// `extends: NAME` — a pattern file built on a file of the pattern library (README, "Extending a
/// shipped pattern file").
///
/// The result is the base with the file's keys applied:
/// - `service` is the file's own (`service:`, else its file name); the base's is never used.
/// - `source`, when written, replaces the base's as a whole.
/// - `timestamp` is applied key by key: a file that sets only `timezone` keeps the base's `format`.
/// - Under `jobs:`, an entry whose `name` is a base job's name overrides that job key by key: each
///   key written replaces the base's value (a pattern list as a whole), a key written empty (`~`,
///   `null` or nothing) removes it, and `disable: true` drops the job. Any other entry is a new job,
///   added after the base's jobs. Without `jobs:`, the base's jobs are kept as they are.
/// - A base may itself extend another file; a chain that comes back to a file is an error.
extension PatternFileParser {
    /// What a file's `extends:` gave it to build on.
    enum Base {
        /// The file has no `extends:`.
        case none
        /// The resolved base, and the name it was extended by, for messages.
        case service(ServiceSpec, name: String)
        /// `extends:` could not be resolved; the reason is already reported. The file's jobs are
        /// still read for errors of their own, but not checked for completeness.
        case unresolved

        /// The base service, when there is one.
        var service: ServiceSpec? {
            guard case .service(let service, _) = self else { return nil }
            return service
        }

        /// Whether the file has an `extends:` that could not be resolved.
        var isUnresolved: Bool {
            guard case .unresolved = self else { return false }
            return true
        }
    }

    /// Resolves library names to services for one parse, reading and checking each base once.
    struct Bases {
        /// The outcome of extending one name.
        enum Lookup {
            /// The base resolved to this service.
            case found(ServiceSpec)
            /// It did not, and the message says why (for the file that extends it), or is nil when
            /// the base file's own errors, already kept in ``errors``, are the reason.
            case failed(String?)
        }

        let library: PatternLibrary
        /// Errors found inside base files; reported once per parse, however many files extend them.
        private(set) var errors: [ConfigError] = []
        private var resolved: [String: Lookup] = [:]
        /// The names being resolved, outermost first, with their paths: a chain of `extends`.
        private var chain: [(name: String, path: String)] = []

        init(library: PatternLibrary) {
            self.library = library
        }

        /// The service `extends: name` gives.
        mutating func service(named name: String) -> Lookup {
            if let done = resolved[name] { return done }
            if let start = chain.firstIndex(where: { $0.name == name }) {
                let names = chain[start...].map(\.name) + [name]
                let paths = chain[start...].map(\.path)
                return .failed(
                    "'extends' makes a cycle: \(names.joined(separator: " -> ")) (\(paths.joined(separator: ", ")));"
                        + " a file cannot extend itself, even through others, so remove one of these 'extends'"
                )
            }
            let file: PatternLibrary.File
            do {
                guard let found = try library.file(named: name) else { return .failed(notFound(name)) }
                file = found
            } catch {
                return .failed("cannot read '\(name)' from the pattern library: \(error)")
            }
            chain.append((name, file.path))
            let outcome = PatternFileParser.read(file.text, path: file.path, bases: &self)
            chain.removeLast()
            errors += outcome.errors
            let lookup = outcome.service.map(Lookup.found) ?? .failed(nil)
            resolved[name] = lookup
            return lookup
        }

        /// Why `name` is not in the library: where it was looked for, and the names nearest to it.
        private func notFound(_ name: String) -> String {
            guard !library.directories.isEmpty else {
                return "no pattern library to find '\(name)' in; name a directory of pattern files with"
                    + " --library DIR (or 'library:' in a rule test), or set HEARTLINE_LIBRARY"
            }
            let searched = library.directories.map { $0.exists ? $0.path : "\($0.path) (does not exist)" }
            var message =
                "no pattern file '\(name).yaml' in the pattern library (searched "
                + searched.joined(separator: ", ") + ")"
            let close = EditDistance.suggestions(for: name, among: library.names)
            if !close.isEmpty {
                message += "; did you mean \(EditDistance.quotedList(close))?"
            } else if library.names.isEmpty {
                message += "; the library has no pattern files"
            } else if library.names.count <= 12 {
                message += "; it has \(EditDistance.quotedList(library.names, conjunction: "and"))"
            } else {
                message +=
                    "; it has \(library.names.count) files, such as "
                    + EditDistance.quotedList(Array(library.names.prefix(5)), conjunction: "and")
            }
            return message
        }
    }
}

extension YAMLReader {
    /// Resolves the `extends:` entry, reporting at its value why it cannot be.
    mutating func base(_ entry: Entry, bases: inout PatternFileParser.Bases) -> PatternFileParser.Base {
        guard case .scalar(let scalar) = entry.value, !entry.isNull, !scalar.string.isEmpty else {
            report(
                "expected the name of a pattern file of the library for 'extends', such as 'extends: restic'",
                at: valueLocation(entry)
            )
            return .unresolved
        }
        let name = scalar.string
        if name.contains("/") {
            report(
                "'extends' takes the name of a file in the pattern library, not a path; add its directory"
                    + " with --library DIR and write the file name without '.yaml'",
                at: entry.value
            )
            return .unresolved
        }
        if name.hasSuffix(".yaml") {
            report(
                "write the library name without '.yaml': 'extends: \(name.dropLast(".yaml".count))'",
                at: entry.value
            )
            return .unresolved
        }
        switch bases.service(named: name) {
        case .found(let service):
            return .service(service, name: name)
        case .failed(let message):
            if let message { report(message, at: entry.value) }
            return .unresolved
        }
    }

    /// `disable:` — `true` or `false`, as YAML 1.2's core schema writes them.
    mutating func disableFlag(_ entry: Entry) -> Bool? {
        flag(entry)
    }

    /// A YAML boolean (`true`, `false`, and their capitalised forms), or nil after reporting another
    /// value at it.
    mutating func flag(_ entry: Entry) -> Bool? {
        if case .scalar(let scalar) = entry.value {
            if ["true", "True", "TRUE"].contains(scalar.string) { return true }
            if ["false", "False", "FALSE"].contains(scalar.string) { return false }
        }
        report("expected true or false for '\(entry.name)'", at: valueLocation(entry))
        return nil
    }
}
