import Yams

/// Reads pattern files (SPEC §1: one YAML file per service) into ``ServiceSpec``s.
///
/// Parsing is pure: text in, model out, no file access. A file is read to the end even after an
/// error, so that one run reports every problem, each as `FILE:LINE:COLUMN: message` pointing at
/// the key or value at fault. Values are read as the scalar text written in the file, never as
/// YAML's guess at a type: `success: yes` is the regex `yes`, `success: 3` the regex `3`.
///
/// A file with `extends: NAME` builds on the file `NAME.yaml` of a ``PatternLibrary``: the base's
/// jobs and settings, with the file's own keys applied over them (see `PatternFileParser+Extends`
/// for the rules). Errors in a base point into the base file, and each is reported once however
/// many files extend it.
public enum PatternFileParser {
    /// The keys of a pattern file's top-level mapping.
    static let topLevelKeys = ["extends", "service", "source", "timestamp", "jobs"]
    /// The keys of one job's mapping, besides `disable` (which only a file with `extends` uses).
    static let jobKeys = [
        "name", "success", "failure", "start", "ignore", "measure", "threshold", "schedule", "max_runtime",
        "min_runtime", "run_key", "failure_burst", "min_count", "ping_url", "forget_after", "quiet_until_first_line",
        "instances",
    ]

    /// Parses one pattern file.
    ///
    /// - Parameters:
    ///   - text: The file's YAML.
    ///   - path: The file's path, used in error locations and, without its directory and its
    ///     `.yaml` extension, as the service name when the file has no `service:` key.
    ///   - library: Where `extends:` finds its base; without one, `extends:` is an error.
    /// - Returns: The service the file describes.
    /// - Throws: ``ConfigErrors`` holding every error found, not only the first, in this file and
    ///   in the files it extends.
    public static func parse(
        _ text: String, path: String, library: PatternLibrary = .empty
    ) throws(ConfigErrors) -> ServiceSpec {
        var bases = Bases(library: library)
        let outcome = read(text, path: path, bases: &bases)
        let errors = unique(outcome.errors + bases.errors)
        guard let service = outcome.service, errors.isEmpty else { throw ConfigErrors(errors: errors) }
        return service
    }

    /// Parses several pattern files, one service each, and checks that their service names differ.
    ///
    /// A service name used by an earlier file is an error at the later file's `service:` value (or
    /// at its start when the name comes from the file name).
    ///
    /// - Parameters:
    ///   - files: Each file's path (as for ``parse(_:path:library:)``) and text, in the order to report.
    ///   - library: Where `extends:` finds its bases; a base is read and checked once for all files.
    /// - Returns: The services, in the order of `files`.
    /// - Throws: ``ConfigErrors`` holding every error of every file and of the bases they extend.
    public static func parseAll(
        _ files: [(path: String, text: String)], library: PatternLibrary = .empty
    ) throws(ConfigErrors) -> [ServiceSpec] {
        var errors: [ConfigError] = []
        var services: [ServiceSpec] = []
        var firstUse: [String: SourceLocation] = [:]
        var bases = Bases(library: library)
        for file in files {
            let outcome = read(file.text, path: file.path, bases: &bases)
            errors += outcome.errors
            if let service = outcome.service { services.append(service) }
            guard let name = outcome.name else { continue }
            if let first = firstUse[name.text] {
                errors.append(
                    ConfigError(
                        location: name.location,
                        message: "service '\(name.text)' is already defined at \(first); service names must be"
                            + " unique, so set a different 'service:' in one of the files"
                    )
                )
            } else {
                firstUse[name.text] = name.location
            }
        }
        // A directory that is both checked and used as the library reads some files twice.
        errors = unique(errors + bases.errors)
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
        return services
    }

    /// The errors without repeats, in their first order.
    private static func unique(_ errors: [ConfigError]) -> [ConfigError] {
        var seen: Set<ConfigError> = []
        return errors.filter { seen.insert($0).inserted }
    }

    /// Reads one file as far as it can: the service when the file is sound, and the service name
    /// whenever it is known, so that ``parseAll(_:library:)`` can check names even in a file with
    /// errors.
    ///
    /// - Parameter bases: Resolves `extends:`, keeping each base's errors (not this file's) to
    ///   itself.
    static func read(_ text: String, path: String, bases: inout Bases) -> Outcome {
        var reader = YAMLReader(text: text, path: path, kind: "a pattern file")
        let start = reader.location(line: 1, column: 1)
        guard let root = reader.compose() else { return Outcome(service: nil, name: nil, errors: reader.errors) }
        guard !YAMLReader.isNull(root) else {
            reader.report(
                "the file is empty; a pattern file needs 'jobs:' with at least one job, such as"
                    + " '- name: nightly' and 'success: \"backup done\"'",
                at: start
            )
            return Outcome(service: nil, name: nil, errors: reader.errors)
        }
        guard case .mapping(let mapping) = root else {
            reader.report(
                "expected a mapping at the top level of a pattern file, with the keys "
                    + EditDistance.quotedList(topLevelKeys, conjunction: "and"),
                at: root
            )
            return Outcome(service: nil, name: nil, errors: reader.errors)
        }
        let entries = reader.entries(of: mapping, in: "at the top level", allowed: topLevelKeys)
        let base = entries["extends"].map { reader.base($0, bases: &bases) } ?? .none
        var name = (text: defaultServiceName(path: path), location: start)
        if let entry = entries["service"], let written = reader.nonEmptyString(entry) {
            name = (written, reader.location(of: entry.value))
        }
        let inherited = base.service
        let source = entries["source"].map { reader.source($0) } ?? inherited?.source ?? SourceSpec()
        let baseTimestamp = inherited?.timestamp ?? TimestampSpec()
        var timestamp = entries["timestamp"].map { reader.timestamp($0, over: baseTimestamp) } ?? baseTimestamp
        timestamp.fieldFormat = source.format
        let jobs = reader.jobs(entries["jobs"], root: root, base: base)
        let service = ServiceSpec(name: name.text, source: source, timestamp: timestamp, jobs: jobs, location: start)
        // An unresolved base has its errors elsewhere (in the base file, or already reported).
        let sound = reader.errors.isEmpty && !base.isUnresolved
        return Outcome(service: sound ? service : nil, name: name, errors: reader.errors)
    }

    /// The file name without its directory and without a `.yaml` extension.
    static func defaultServiceName(path: String) -> String {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        return fileName.hasSuffix(".yaml") ? String(fileName.dropLast(".yaml".count)) : fileName
    }

    /// What reading one file produced.
    struct Outcome {
        /// The service, when the file had no error.
        var service: ServiceSpec?
        /// The service name and where it was given, when known.
        var name: (text: String, location: SourceLocation)?
        /// Every error found, in the order found.
        var errors: [ConfigError]
    }
}
