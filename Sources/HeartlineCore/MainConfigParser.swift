import Yams

/// Reads the daemon's main configuration file (SPEC §4) into a ``MainConfig``.
///
/// Pure, like ``PatternFileParser``: text and environment in, model out. `${VAR}` in a value is
/// replaced with the environment variable `VAR` (a missing one is an error, so that a secret never
/// silently becomes empty). Every error is reported as `FILE:LINE:COLUMN: message`.
public enum MainConfigParser {
    static let topLevelKeys = ["patterns", "state", "http", "sinks", "heartbeat"]
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
        guard !YAMLReader.isNull(root) else {
            return Outcome(config: config, errors: [], patternsKnown: true)
        }
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
        if let entry = entries["http"], let http = reader.mapping(entry, example: "{ listen: \"127.0.0.1:9464\" }") {
            let keys = reader.entries(of: http, in: "in 'http'", allowed: ["listen"])
            if let listen = keys["listen"], let value = reader.string(listen) {
                if isListenAddress(value) {
                    config.listen = value
                    config.valueLocations["http.listen"] = reader.valueLocation(listen)
                } else {
                    reader.report("expected HOST:PORT for 'listen', such as \"127.0.0.1:9464\"", at: listen.value)
                }
            }
        }
        if let entry = entries["heartbeat"],
            let map = reader.mapping(entry, example: "{ url: https://hc-ping.com/UUID, every: 1m }")
        {
            let keys = reader.entries(of: map, in: "in 'heartbeat'", allowed: ["url", "every"])
            if keys["url"] == nil || keys["every"] == nil {
                reader.report("'heartbeat' needs both 'url' and 'every'", at: entry.key)
            } else if let url = reader.string(keys["url"]!), let every = reader.duration(keys["every"]!) {
                if let expanded = expandVariables(url, entry: keys["url"]!, reader: &reader, environment: environment) {
                    config.heartbeat = SelfHeartbeat(url: expanded, every: every)
                    config.valueLocations["heartbeat.url"] = reader.valueLocation(keys["url"]!)
                }
            }
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

    private static func sink(
        _ node: Node, reader: inout YAMLReader, environment: [String: String]
    ) -> SinkConfig? {
        guard case .mapping(let mapping) = node else {
            reader.report("expected a sink: a mapping with 'type', such as '- type: stdout'", at: node)
            return nil
        }
        let entries = reader.entries(of: mapping, in: "in a sink", allowed: sinkKeys)
        guard let typeEntry = entries["type"], let type = reader.string(typeEntry) else {
            if entries["type"] == nil {
                reader.report("a sink needs 'type': one of \(sinkTypes.joined(separator: ", "))", at: node)
            }
            return nil
        }
        func expand(_ entry: YAMLReader.Entry) -> String? {
            guard let raw = reader.string(entry) else { return nil }
            return expandVariables(raw, entry: entry, reader: &reader, environment: environment)
        }
        func require(_ key: String, example: String) -> YAMLReader.Entry? {
            if let entry = entries[key] { return entry }
            reader.report("a '\(type)' sink needs '\(key)', such as \(example)", at: typeEntry.key)
            return nil
        }
        var timeout: Int64 = 10
        if let entry = entries["timeout"], let seconds = reader.duration(entry) { timeout = seconds }
        let kind: SinkConfig.Kind
        switch type {
        case "stdout":
            kind = .stdout
        case "healthchecks":
            kind = .healthchecks
        case "webhook":
            guard let entry = require("url", example: "url: https://hooks.example.org/heartline"),
                let url = expand(entry)
            else { return nil }
            var headers: [String: String] = [:]
            if let entry = entries["headers"],
                let map = reader.mapping(entry, example: "{ Authorization: \"Bearer ${TOKEN}\" }")
            {
                for (key, value) in map {
                    guard let name = key.scalar?.string else { continue }
                    let header = YAMLReader.Entry(name: name, key: key, value: value)
                    if let text = expand(header) { headers[name] = text }
                }
            }
            kind = .webhook(url: url, headers: headers, timeout: timeout)
        case "exec":
            guard let entry = require("command", example: "command: [/usr/local/bin/page-oncall, --severity, high]")
            else { return nil }
            guard case .sequence(let items) = entry.value, !items.isEmpty else {
                reader.report(
                    "expected 'command' as a non-empty list: the program and its arguments (never run through a shell)",
                    at: reader.valueLocation(entry))
                return nil
            }
            let argv = items.compactMap { item -> String? in
                guard let text = item.scalar?.string else {
                    reader.report("expected a string in 'command'", at: item)
                    return nil
                }
                return text
            }
            kind = .exec(command: argv, timeout: timeout)
        case "alertmanager":
            guard let entry = require("url", example: "url: http://127.0.0.1:9093"), let url = expand(entry) else {
                return nil
            }
            kind = .alertmanager(url: url)
        default:
            let close = EditDistance.suggestions(for: type, among: sinkTypes)
            let hint = close.isEmpty ? "" : "did you mean \(EditDistance.quotedList(close))? "
            reader.report(
                "unknown sink type '\(type)'; \(hint)use one of \(sinkTypes.joined(separator: ", "))",
                at: typeEntry.value)
            return nil
        }
        var services: [String] = []
        if let entry = entries["services"] { services = stringList(entry, reader: &reader) }
        var conditions: [Condition] = []
        if let entry = entries["conditions"] {
            for name in stringList(entry, reader: &reader) {
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

    private static func stringList(_ entry: YAMLReader.Entry, reader: inout YAMLReader)
        -> [String]
    {
        if let single = entry.value.scalar?.string, !entry.isNull { return [single] }
        guard case .sequence(let items) = entry.value else {
            reader.report("expected a string or a list of strings for '\(entry.name)'", at: reader.valueLocation(entry))
            return []
        }
        return items.compactMap { $0.scalar?.string }
    }

    /// Replaces `${NAME}` with the environment variable NAME.
    private static func expandVariables(
        _ text: String, entry: YAMLReader.Entry, reader: inout YAMLReader,
        environment: [String: String]
    ) -> String? {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                reader.report("unterminated '${' in '\(entry.name)'; write ${NAME}", at: entry.value)
                return nil
            }
            let name = String(rest[open.upperBound..<close])
            guard let value = environment[name] else {
                reader.report("environment variable \(name) is not set (used in '\(entry.name)')", at: entry.value)
                return nil
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private static func isListenAddress(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            return false
        }
        return (1...65535).contains(port) && colon != text.startIndex
    }
}
