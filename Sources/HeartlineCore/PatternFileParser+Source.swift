import Foundation
import Yams

extension YAMLReader {
    /// `source:` — `journal`, `files` and `format`, all optional.
    mutating func source(_ entry: Entry) -> SourceSpec {
        let example = "{ journal: { unit: backup.service }, files: [/var/log/backup.log] }"
        guard let mapping = mapping(entry, example: example) else { return SourceSpec() }
        let entries = entries(of: mapping, in: "in 'source'", allowed: ["journal", "files", "format"])
        var source = SourceSpec()
        if let journal = entries["journal"] { source.journal = self.journal(journal) }
        if let files = entries["files"] { source.files = self.files(files) }
        if let format = entries["format"], let parsed = lineFormat(format) { source.format = parsed }
        return source
    }

    /// `source.format:` — `auto`, `json`, `logfmt` or `text` (``LineFormat``).
    private mutating func lineFormat(_ entry: Entry) -> LineFormat? {
        guard let written = string(entry) else { return nil }
        if let format = LineFormat(rawValue: written) { return format }
        let names = LineFormat.allCases.map(\.rawValue)
        let close = EditDistance.suggestions(for: written, among: names)
        let hint = close.isEmpty ? "" : "did you mean \(EditDistance.quotedList(close))? "
        report(
            "unknown line format '\(written)'; \(hint)use \(EditDistance.quotedList(names))", at: entry.value)
        return nil
    }

    /// `source.journal:` — `unit`, `identifier` and `fields`; at least one of them.
    private mutating func journal(_ entry: Entry) -> JournalMatch? {
        guard let mapping = mapping(entry, example: "{ unit: restic-backup.service }") else { return nil }
        let entries = entries(of: mapping, in: "in 'journal'", allowed: ["unit", "identifier", "fields"])
        guard !entries.isEmpty else {
            if mapping.isEmpty {
                report(
                    "'journal' matches nothing; give 'unit', 'identifier' or 'fields', such as 'unit: backup.service'",
                    at: entry.key
                )
            }
            return nil
        }
        var match = JournalMatch()
        if let unit = entries["unit"], let name = nonEmptyString(unit) {
            match.unit = JournalMatch.unitName(completing: name)
        }
        if let identifier = entries["identifier"] { match.identifier = nonEmptyString(identifier) }
        if let fields = entries["fields"] { match.fields = journalFields(fields) }
        return match
    }

    /// `source.journal.fields:` — journal field name to exact value.
    private mutating func journalFields(_ entry: Entry) -> [String: String] {
        guard let mapping = mapping(entry, example: "{ PRIORITY: \"6\" }") else { return [:] }
        var fields: [String: String] = [:]
        for (key, value) in mapping {
            guard case .scalar(let keyScalar) = key, JournalFieldName.kind(of: keyScalar.string) == .field else {
                report(Self.notAFieldName(key.scalar?.string ?? ""), at: key)
                continue
            }
            let field = Entry(name: keyScalar.string, key: key, value: value)
            if let text = string(field) { fields[keyScalar.string] = text }
        }
        return fields
    }

    /// Why a key of `source.journal.fields` cannot be matched on (``JournalFieldName``'s rule).
    private static func notAFieldName(_ written: String) -> String {
        if JournalFieldName.kind(of: written) == .address {
            return "'\(written)' is an address of the journal export format, not a field that entries store;"
                + " sd-journal cannot match on it, so remove it"
        }
        let example = written.isEmpty ? "PRIORITY" : written.uppercased()
        return "'\(written)' is not a journal field name; use upper-case letters, digits and '_' (at most"
            + " \(JournalFieldName.longest), not starting with a digit), as in '\(example)'"
    }

    /// `source.files:` — one glob or a list of globs.
    private mutating func files(_ entry: Entry) -> [String] {
        let expected = "expected a path or a list of paths for 'files', such as /var/log/backup/*.log"
        let nodes: [Node]
        switch entry.value {
        case .scalar where !entry.isNull: nodes = [entry.value]
        case .sequence(let sequence) where !sequence.isEmpty: nodes = Array(sequence)
        case .sequence:
            report("'files' is an empty list; give at least one path or glob, or remove the key", at: entry.value)
            return []
        default:
            report(expected, at: valueLocation(entry))
            return []
        }
        var globs: [String] = []
        for node in nodes {
            guard case .scalar(let scalar) = node, !Self.isNull(node), !scalar.string.isEmpty else {
                report(expected, at: node)
                continue
            }
            globs.append(scalar.string)
        }
        return globs
    }

    /// `timestamp:` — `format`, `timezone` and `field` (the stamp's field in a JSON or logfmt line), all optional.
    ///
    /// - Parameter base: The settings a key that is not written keeps: the defaults, or those of the
    ///   file named by `extends:`.
    mutating func timestamp(_ entry: Entry, over base: TimestampSpec = TimestampSpec()) -> TimestampSpec {
        var spec = base
        guard let mapping = mapping(entry, example: "{ format: rfc3339, timezone: UTC }") else { return spec }
        let entries = entries(of: mapping, in: "in 'timestamp'", allowed: ["format", "timezone", "field"])
        if let format = entries["format"], let parsed = timestampFormat(format) { spec.format = parsed }
        if let zone = entries["timezone"], let parsed = timezone(zone) { spec.timezone = parsed }
        if let field = entries["field"] { spec.field = fieldName(field) }
        return spec
    }

    private static let formatNames: [(String, TimestampFormat)] = [
        ("auto", .auto), ("rfc3339", .rfc3339), ("syslog", .syslog), ("apache", .apache), ("epoch", .epoch),
    ]

    /// A format name, or a strftime pattern: any text with a `%` in it.
    private mutating func timestampFormat(_ entry: Entry) -> TimestampFormat? {
        guard let written = string(entry) else { return nil }
        if let known = Self.formatNames.first(where: { $0.0 == written }) { return known.1 }
        if written.contains("%") {
            if let problem = Self.validateStrftime(written) {
                report("invalid strftime format '\(written)': \(problem)", at: entry.value)
                return nil
            }
            return .strftime(written)
        }
        let names = Self.formatNames.map(\.0)
        let close = EditDistance.suggestions(for: written, among: names)
        let hint = close.isEmpty ? "" : "did you mean \(EditDistance.quotedList(close))? "
        report(
            "unknown timestamp format '\(written)'; \(hint)use \(EditDistance.quotedList(names))"
                + " or a strftime pattern such as '%Y-%m-%d %H:%M:%S'",
            at: entry.value
        )
        return nil
    }

    /// Why a strftime pattern cannot be read, or nil when it can (``TimestampParser/validate(strftime:)``).
    private static func validateStrftime(_ format: String) -> String? {
        do {
            try TimestampParser.validate(strftime: format)
            return nil
        } catch {
            return error.message
        }
    }

    /// An IANA time zone name, as `TimeZone(identifier:)` knows it.
    mutating func timezone(_ entry: Entry) -> TimeZone? {
        guard let name = string(entry) else { return nil }
        if let zone = TimeZone(identifier: name) { return zone }
        let known = TimeZone.knownTimeZoneIdentifiers
        var close = EditDistance.suggestions(for: name, among: known)
        if close.isEmpty {
            // A city alone ("Berlin", "new york") names the zone whose last component it is.
            let city = name.lowercased().replacingOccurrences(of: " ", with: "_")
            close = known.filter { $0.split(separator: "/").last.map { $0.lowercased() == city } ?? false }
        }
        let hint =
            close.isEmpty
            ? "use an IANA name such as 'UTC' or 'Europe/Berlin'"
            : "did you mean \(EditDistance.quotedList(close))?"
        report("unknown timezone '\(name)'; \(hint)", at: entry.value)
        return nil
    }
}
