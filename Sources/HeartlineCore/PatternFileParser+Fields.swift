import Yams

extension YAMLReader {
    /// A pattern written as a mapping: `regex` (a regex over the text), `fields` (conditions on the
    /// line's fields) and, for `measure`, `value` (the field with the number); `regex` or `fields`
    /// is required.
    ///
    /// - Parameters:
    ///   - node: The mapping.
    ///   - key: The job key it stands under (`success`, `measure`, ...), for messages.
    ///   - allowValue: Whether `value` may be given (only under `measure`).
    mutating func fieldPattern(_ node: Node, for key: String, allowValue: Bool = false) -> PatternSpec? {
        guard case .mapping(let mapping) = node else { return nil }
        let allowed = allowValue ? ["regex", "fields", "value"] : ["regex", "fields"]
        let entries = entries(of: mapping, in: "in a pattern of '\(key)'", allowed: allowed)
        var regex: PatternSpec?
        var conditions: [FieldCondition] = []
        var valueField: String?
        if let entry = entries["regex"] {
            if case .scalar = entry.value, !entry.isNull {
                regex = pattern(entry.value, for: key)
            } else {
                report("expected a regex string for 'regex'", at: valueLocation(entry))
            }
        }
        if let entry = entries["fields"] { conditions = fieldConditions(entry) }
        if let entry = entries["value"] { valueField = fieldName(entry) }
        guard entries["regex"] != nil || entries["fields"] != nil || (allowValue && valueField != nil) else {
            if !entries.isEmpty || mapping.isEmpty {
                report(
                    "a pattern written as a mapping needs 'regex' or 'fields', such as"
                        + " { fields: { msg: \"export done\" } }",
                    at: node)
            }
            return nil
        }
        if entries["regex"] != nil && regex == nil { return nil }
        return PatternSpec(
            regex: regex?.regex, fields: conditions, valueField: valueField, location: location(of: node))
    }

    /// `fields:` — field path to a value it must equal, a list of values (any), or a mapping of
    /// tests (`equals`, `regex`, `above`, `below`, `present`).
    private mutating func fieldConditions(_ entry: Entry) -> [FieldCondition] {
        guard let mapping = mapping(entry, example: "{ level: info, rows: { above: 0 } }") else { return [] }
        guard !mapping.isEmpty else {
            report("'fields' is empty; name at least one field, such as { level: info }", at: entry.value)
            return []
        }
        var conditions: [FieldCondition] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key, let name = checkedFieldName(scalar.string, at: key) else {
                if case .scalar = key {} else { report("expected a field name as the key", at: key) }
                continue
            }
            let field = Entry(name: name, key: key, value: value)
            if let tests = fieldTests(field) {
                conditions.append(FieldCondition(field: name, tests: tests, location: location(of: key)))
            }
        }
        return conditions
    }

    /// The tests of one field condition.
    private mutating func fieldTests(_ entry: Entry) -> [FieldCondition.Test]? {
        let example = "\(entry.name): { equals: done }, { regex: '^ok' }, { above: 0 } or { present: true }"
        switch entry.value {
        case .scalar where entry.isNull:
            report("no value for field '\(entry.name)'; write the value it must have, or \(example)", at: entry.key)
            return nil
        case .scalar(let scalar):
            return [.equals([scalar.string])]
        case .sequence:
            let values = strings(entry)
            guard !values.isEmpty else {
                report("'\(entry.name)' is an empty list; give the values the field may have", at: entry.value)
                return nil
            }
            return [.equals(values)]
        case .mapping(let mapping):
            let entries = entries(
                of: mapping, in: "in the tests of field '\(entry.name)'",
                allowed: ["equals", "regex", "above", "below", "present"])
            guard !entries.isEmpty else {
                if mapping.isEmpty { report("no test for field '\(entry.name)'; write \(example)", at: entry.value) }
                return nil
            }
            var tests: [FieldCondition.Test] = []
            var sound = true
            if let present = entries["present"] {
                if case .scalar(let scalar) = present.value, let flag = Bool(scalar.string) {
                    tests.append(.present(flag))
                    if !flag && entries.count > 1 {
                        report("'present: false' with other tests can never hold; keep one or the other", at: present.key)
                        sound = false
                    }
                } else {
                    report("expected true or false for 'present'\(written(present))", at: valueLocation(present))
                    sound = false
                }
            }
            if let equals = entries["equals"] {
                let values = strings(equals)
                if values.isEmpty { sound = false } else { tests.append(.equals(values)) }
            }
            if let regex = entries["regex"] {
                if case .scalar = regex.value, !regex.isNull, let compiled = pattern(regex.value, for: "regex")?.regex {
                    tests.append(.regex(compiled))
                } else {
                    if case .scalar = regex.value, !regex.isNull {} else {
                        report("expected a regex string for 'regex'", at: valueLocation(regex))
                    }
                    sound = false
                }
            }
            for (key, make) in [("above", FieldCondition.Test.above), ("below", FieldCondition.Test.below)] {
                guard let bound = entries[key] else { continue }
                if let number = number(bound) { tests.append(make(number)) } else { sound = false }
            }
            return sound ? tests : nil
        default:
            report("expected a value or a mapping of tests for field '\(entry.name)', such as \(example)", at: entry.value)
            return nil
        }
    }

    /// `value:` or `run_key:` — a field path, or a capture group's name.
    mutating func fieldName(_ entry: Entry) -> String? {
        guard let text = nonEmptyString(entry, fix: "name a field, such as 'rows'") else { return nil }
        return checkedFieldName(text, at: entry.value)
    }

    /// A field path as written, after reporting one that cannot name a field: empty parts such as
    /// `a..b`, or a leading or trailing dot.
    private mutating func checkedFieldName(_ text: String, at node: Node) -> String? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, !parts.contains(where: \.isEmpty) else {
            report(
                "'\(text)' is not a field path; name a field ('msg', 'JOB_RESULT') or a path into nested"
                    + " JSON objects with dots ('error.code')",
                at: node)
            return nil
        }
        return text
    }
}
