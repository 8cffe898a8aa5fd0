public import HeartlineCore
import HeartlineSinks
import Yams

/// Reads the daemon's main configuration file (SPEC §4) into a ``MainConfig``.
///
/// Pure, like ``PatternFileParser``: text and environment in, model out. `${VAR}` in a value is
/// replaced with the environment variable `VAR` (a missing one is an error, so that a secret never
/// silently becomes empty). Every error is reported as `FILE:LINE:COLUMN: message`.
public enum MainConfigParser {
    static let topLevelKeys = ["patterns", "state", "http", "sinks", "heartbeat", "discover"]
    static let sinkKeys = ["type", "url", "headers", "timeout", "command", "services", "conditions", "repost"]
    static let sinkTypes = ["stdout", "webhook", "exec", "alertmanager", "healthchecks"]

    /// Parses a main configuration file.
    ///
    /// - Parameters:
    ///   - text: The YAML.
    ///   - path: The file's path, for error locations; a relative `patterns` or `state` is taken
    ///     relative to the file's directory.
    ///   - environment: Variables for `${VAR}` expansion.
    /// - Throws: ``ConfigErrors`` with every error found.
    public static func parse(
        _ text: String, path: String, environment: [String: String]
    ) throws(ConfigErrors) -> MainConfig {
        let outcome = parsePartially(text, path: path, environment: environment)
        guard outcome.errors.isEmpty else { throw ConfigErrors(errors: outcome.errors) }
        return outcome.config
    }

    /// What a main configuration file gives, read as far as its errors allow.
    ///
    /// ``DaemonConfiguration`` goes on from here to check the sinks and the pattern directory, so
    /// that one run of `heartline check --config` reports the errors of all three together.
    package struct Outcome: Sendable {
        /// Every setting that was read; the default for one that was missing or had an error, and no
        /// sink for a sink with an error.
        package var config: MainConfig
        /// Every error found, in the order found.
        package var errors: [ConfigError]
        /// Whether `config.patterns` is the directory the file means: false when `patterns` or the
        /// whole file had an error, and checking the default directory would mislead.
        package var patternsKnown: Bool

        /// Creates an outcome.
        package init(config: MainConfig, errors: [ConfigError], patternsKnown: Bool) {
            self.config = config
            self.errors = errors
            self.patternsKnown = patternsKnown
        }
    }

    /// Parses a main configuration file and keeps going after errors.
    ///
    /// - Parameters:
    ///   - text: The YAML.
    ///   - path: The file's path, as for ``parse(_:path:environment:)``.
    ///   - environment: Variables for `${VAR}` expansion.
    /// - Returns: The settings read and every error found.
    package static func parsePartially(_ text: String, path: String, environment: [String: String]) -> Outcome {
        var reader = YAMLReader(text: text, path: path, kind: "the main configuration")
        guard let root = reader.compose() else {
            return Outcome(config: MainConfig(), errors: reader.errors, patternsKnown: false)
        }
        var config = MainConfig()
        guard !YAMLReader.isNull(root) else { return Outcome(config: config, errors: [], patternsKnown: true) }
        guard case .mapping(let mapping) = root else {
            reader.report("expected a mapping with keys such as 'patterns', 'state' and 'sinks'", at: root)
            return Outcome(config: config, errors: reader.errors, patternsKnown: false)
        }
        // A file named without a directory is in the working directory, where a relative value
        // already points; `./` would only clutter every message about the files found there.
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        func resolved(_ value: String) -> String { value.hasPrefix("/") ? value : directory + value }

        let entries = reader.entries(of: mapping, in: "in the main configuration", allowed: topLevelKeys)
        var patternsKnown = true
        if let entry = entries["patterns"] {
            config.valueLocations["patterns"] = reader.valueLocation(entry)
            if let value = reader.string(entry) { config.patterns = resolved(value) } else { patternsKnown = false }
        }
        if let entry = entries["state"], let value = reader.string(entry) {
            config.valueLocations["state"] = reader.valueLocation(entry)
            config.state = resolved(value)
        }
        if let entry = entries["http"], let http = reader.mapping(entry, example: "{ listen: \"127.0.0.1:9464\" }"),
            let listen = reader.entries(of: http, in: "in 'http'", allowed: ["listen"])["listen"],
            let value = reader.string(listen)
        {
            if isListenAddress(value) {
                config.listen = value
                config.valueLocations["http.listen"] = reader.valueLocation(listen)
            } else {
                reader.report("expected HOST:PORT for 'listen', such as \"127.0.0.1:9464\"", at: listen.value)
            }
        }
        if let entry = entries["heartbeat"],
            let map = reader.mapping(entry, example: "{ url: https://hc-ping.com/UUID, every: 1m }")
        {
            let keys = reader.entries(of: map, in: "in 'heartbeat'", allowed: ["url", "every"])
            if let urlEntry = keys["url"], let everyEntry = keys["every"] {
                if let url = reader.string(urlEntry), let every = reader.duration(everyEntry),
                    let expanded = reader.expanded(url, of: urlEntry, environment: environment)
                {
                    config.heartbeat = SelfHeartbeat(url: expanded, every: every)
                    config.valueLocations["heartbeat.url"] = reader.valueLocation(urlEntry)
                }
            } else {
                reader.report("'heartbeat' needs both 'url' and 'every'", at: entry.key)
            }
        }
        if let entry = entries["discover"],
            let map = reader.mapping(entry, example: "{ timers: true, crontabs: true }")
        {
            let keys = reader.entries(of: map, in: "in 'discover'", allowed: ["timers", "crontabs", "root"])
            var settings = DiscoverSettings()
            if let flag = keys["timers"] { settings.timers = flagValue(flag, reader: &reader) }
            if let flag = keys["crontabs"] { settings.crontabs = flagValue(flag, reader: &reader) }
            if let root = keys["root"], let value = reader.nonEmptyString(root) { settings.root = resolved(value) }
            config.discover = settings
        }
        if let entry = entries["sinks"] {
            if case .sequence(let list) = entry.value {
                config.sinks = list.compactMap { sink($0, reader: &reader, environment: environment) }
            } else {
                reader.report("expected a list of sinks, such as '- type: stdout'", at: reader.valueLocation(entry))
            }
        }
        return Outcome(config: config, errors: reader.errors, patternsKnown: patternsKnown)
    }

    /// One entry of `sinks:`, or nil after reporting why it gives no sink.
    private static func sink(_ node: Node, reader: inout YAMLReader, environment: [String: String]) -> SinkConfig? {
        guard case .mapping(let mapping) = node else {
            reader.report("expected a sink: a mapping with 'type', such as '- type: stdout'", at: node)
            return nil
        }
        let entries = reader.entries(of: mapping, in: "in a sink", allowed: sinkKeys)
        let needsType = "a sink needs 'type': one of \(sinkTypes.joined(separator: ", "))"
        guard let typeEntry = reader.required("type", in: entries, needsType, at: node),
            let type = reader.string(typeEntry)
        else { return nil }
        let fields = SinkFields(entries: entries, type: type, typeEntry: typeEntry, environment: environment)
        let timeout = entries["timeout"].flatMap { reader.duration($0) } ?? 10
        let kind: SinkConfig.Kind?
        switch type {
        case "stdout": kind = .stdout
        case "healthchecks": kind = .healthchecks
        case "webhook": kind = webhook(fields, timeout: timeout, reader: &reader)
        case "exec": kind = exec(fields, timeout: timeout, reader: &reader)
        case "alertmanager":
            kind = fields.url(example: "http://127.0.0.1:9093", reader: &reader).map { .alertmanager(url: $0) }
        default:
            let close = EditDistance.suggestions(for: type, among: sinkTypes)
            let hint = close.isEmpty ? "" : "did you mean \(EditDistance.quotedList(close))? "
            reader.report(
                "unknown sink type '\(type)'; \(hint)use one of \(sinkTypes.joined(separator: ", "))",
                at: typeEntry.value)
            return nil
        }
        guard let kind else { return nil }
        let services = entries["services"].map { reader.strings($0) } ?? []
        var conditions: [Condition] = []
        if let entry = entries["conditions"] {
            for name in reader.strings(entry) {
                if let condition = Condition(rawValue: name) {
                    conditions.append(condition)
                } else {
                    let names = Condition.allCases.map(\.rawValue)
                    reader.report("unknown condition '\(name)'; use \(names.joined(separator: ", "))", at: entry.value)
                }
            }
        }
        var sink = SinkConfig(
            kind: kind, services: services, conditions: conditions, location: reader.location(of: node))
        sink.valueLocations = entries.mapValues { reader.valueLocation($0) }
        if let entry = entries["repost"] {
            if case .alertmanager = kind {
                sink.repostInterval = reader.duration(entry)
            } else {
                reader.report("'repost' is for 'alertmanager' sinks", at: entry.key)
            }
        }
        return sink
    }

    /// A `webhook` sink: `url` and `headers`, both with `${VAR}` expanded.
    private static func webhook(_ fields: SinkFields, timeout: Int64, reader: inout YAMLReader) -> SinkConfig.Kind? {
        guard let url = fields.url(example: "https://hooks.example.org/heartline", reader: &reader) else { return nil }
        var headers: [String: String] = [:]
        if let entry = fields.entries["headers"],
            let map = reader.mapping(entry, example: "{ Authorization: \"Bearer ${TOKEN}\" }")
        {
            for (key, value) in map {
                guard let name = key.scalar?.string else { continue }
                if let text = fields.expanded(YAMLReader.Entry(name: name, key: key, value: value), reader: &reader) {
                    headers[name] = text
                }
            }
        }
        return .webhook(url: url, headers: headers, timeout: timeout)
    }

    /// An `exec` sink: `command`, the program and its arguments.
    private static func exec(_ fields: SinkFields, timeout: Int64, reader: inout YAMLReader) -> SinkConfig.Kind? {
        let example = "command: [/usr/local/bin/page-oncall, --severity, high]"
        guard let entry = fields.required("command", example: example, reader: &reader) else { return nil }
        guard case .sequence(let items) = entry.value, !items.isEmpty else {
            reader.report(
                "expected 'command' as a non-empty list: the program and its arguments (never run through a shell)",
                at: reader.valueLocation(entry))
            return nil
        }
        return .exec(command: reader.strings(entry), timeout: timeout)
    }

    /// What every sink type's reader needs of its sink.
    private struct SinkFields {
        /// The sink's entries by key.
        var entries: [String: YAMLReader.Entry]
        /// The sink's `type`, for messages.
        var type: String
        /// The `type` entry, where a missing key is reported.
        var typeEntry: YAMLReader.Entry
        /// Variables for `${VAR}` expansion.
        var environment: [String: String]

        /// The entry for `key`, or nil after reporting at `type` that this type of sink needs it.
        func required(_ key: String, example: String, reader: inout YAMLReader) -> YAMLReader.Entry? {
            reader.required(key, in: entries, "a '\(type)' sink needs '\(key)', such as \(example)", at: typeEntry.key)
        }

        /// An entry's string with `${VAR}` expanded, or nil after reporting why there is none.
        func expanded(_ entry: YAMLReader.Entry, reader: inout YAMLReader) -> String? {
            reader.string(entry).flatMap { reader.expanded($0, of: entry, environment: environment) }
        }

        /// The required `url`, expanded.
        func url(example: String, reader: inout YAMLReader) -> String? {
            required("url", example: "url: \(example)", reader: &reader).flatMap { expanded($0, reader: &reader) }
        }
    }

    /// `true` or `false`, as YAML 1.2's core schema writes them; false after reporting anything else.
    private static func flagValue(_ entry: YAMLReader.Entry, reader: inout YAMLReader) -> Bool {
        if case .scalar(let scalar) = entry.value {
            if ["true", "True", "TRUE"].contains(scalar.string) { return true }
            if ["false", "False", "FALSE"].contains(scalar.string) { return false }
        }
        reader.report("expected true or false for '\(entry.name)'", at: reader.valueLocation(entry))
        return false
    }

    private static func isListenAddress(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            return false
        }
        return (1...65535).contains(port) && colon != text.startIndex
    }
}

extension YAMLReader {
    /// `text` with each `${NAME}` replaced by the environment variable NAME, or nil after reporting
    /// at the entry's value a missing variable or an unterminated `${`.
    fileprivate mutating func expanded(_ text: String, of entry: Entry, environment: [String: String]) -> String? {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                report("unterminated '${' in '\(entry.name)'; write ${NAME}", at: entry.value)
                return nil
            }
            let name = String(rest[open.upperBound..<close])
            guard let value = environment[name] else {
                report("environment variable \(name) is not set (used in '\(entry.name)')", at: entry.value)
                return nil
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
