import Foundation
import Yams

extension YAMLReader {
    /// `schedule:` — exactly one of `every`, `cron` and `calendar`, with optional `timezone` and
    /// `grace`.
    mutating func schedule(_ entry: Entry) -> Schedule? {
        let example = "{ every: 24h }, { cron: \"30 2 * * *\" } or { calendar: \"Mon..Fri 02:30\" }"
        guard let mapping = mapping(entry, example: example) else { return nil }
        let kinds = ["every", "cron", "calendar"]
        let entries = entries(of: mapping, in: "in 'schedule'", allowed: kinds + ["timezone", "grace"])
        let given = kinds.compactMap { entries[$0] }
        var kind: Schedule.Kind?
        switch given.count {
        case 0:
            report("'schedule' needs 'every', 'cron' or 'calendar', such as \(example)", at: entry.key)
        case 1:
            let only = given[0]
            switch only.name {
            case "every": kind = duration(only).map { .every($0) }
            case "cron": kind = cron(only)
            default: kind = calendar(only)
            }
        default:
            let names = EditDistance.quotedList(given.map(\.name), conjunction: "and")
            report("'schedule' has \(given.count == 2 ? "both " : "")\(names); keep exactly one", at: given[1].key)
        }
        let timezone = entries["timezone"].map { self.timezone($0) }
        let grace = entries["grace"].map { duration($0, hint: "; omit 'grace' for none") }
        guard let kind, timezone != .some(nil), grace != .some(nil) else { return nil }
        var schedule = Schedule(kind: kind)
        if let zone = timezone ?? nil { schedule.timezone = zone }
        if let seconds = grace ?? nil { schedule.grace = seconds }
        return schedule
    }

    /// `cron:` — five fields or an `@daily`-style macro, checked by ``CronExpression``.
    private mutating func cron(_ entry: Entry) -> Schedule.Kind? {
        guard let text = string(entry) else { return nil }
        do {
            return .cron(try CronExpression(parsing: text))
        } catch  where error.code == .neverFires {
            report(error.message, at: entry.value)
            return nil
        } catch {
            report("invalid cron expression '\(text)': \(error.message)", at: entry.value)
            return nil
        }
    }

    /// `calendar:` — systemd's `OnCalendar=` syntax, checked by ``CalendarSpec``: one expression,
    /// or a list of them, as a timer's several `OnCalendar=` lines.
    private mutating func calendar(_ entry: Entry) -> Schedule.Kind? {
        let nodes: [Node]
        switch entry.value {
        case .sequence(let items) where !items.isEmpty: nodes = Array(items)
        case .scalar where !entry.isNull: nodes = [entry.value]
        default:
            report(
                "expected a calendar expression for 'calendar', or a list of them, such as \"Mon..Fri 02:30\"",
                at: valueLocation(entry))
            return nil
        }
        var specs: [CalendarSpec] = []
        for node in nodes {
            guard case .scalar(let scalar) = node, !Self.isNull(node) else {
                report("expected a calendar expression in 'calendar', such as \"daily\"", at: node)
                continue
            }
            let text = scalar.string
            do {
                specs.append(try CalendarSpec(parsing: text))
            } catch  where error.code == .neverElapses {
                report(error.message, at: node)
            } catch {
                report(
                    "invalid calendar expression '\(text)': \(error.message) (systemd.time(7) syntax, "
                        + "such as 'Mon..Fri *-*-* 02:30:00' or 'daily')",
                    at: node)
            }
        }
        return specs.count == nodes.count ? .calendar(specs) : nil
    }

    /// `failure_burst:` or `min_count:` — `{count: N, within: W}`, N at least 1.
    mutating func rateWindow(_ entry: Entry) -> RateWindow? {
        let example = "{ count: 3, within: 10m }"
        guard let mapping = mapping(entry, example: example) else { return nil }
        let entries = entries(of: mapping, in: "in '\(entry.name)'", allowed: ["count", "within"])
        guard let countEntry = entries["count"], let withinEntry = entries["within"] else {
            let missing = ["count", "within"].filter { entries[$0] == nil }
            report(
                "'\(entry.name)' needs \(EditDistance.quotedList(missing, conjunction: "and")), such as \(example)",
                at: entry.key
            )
            return nil
        }
        let count = integer(countEntry, in: 1...Int.max, expected: "a whole number of at least 1")
        let within = duration(withinEntry)
        guard let count, let within else { return nil }
        return RateWindow(count: count, within: within)
    }

    /// `threshold:` — exactly one of `{above: X}` and `{below: X}`.
    mutating func threshold(_ entry: Entry) -> Threshold? {
        let example = "{ above: 600 } or { below: 1 }"
        guard let mapping = mapping(entry, example: example) else { return nil }
        let entries = entries(of: mapping, in: "in 'threshold'", allowed: ["above", "below"])
        switch (entries["above"], entries["below"]) {
        case (let above?, nil):
            return number(above).map { .above($0) }
        case (nil, let below?):
            return number(below).map { .below($0) }
        case (_?, let below?):
            report("'threshold' has both 'above' and 'below'; keep exactly one", at: below.key)
        case (nil, nil):
            report("'threshold' needs 'above' or 'below', such as \(example)", at: entry.key)
        }
        return nil
    }

    /// A finite decimal number such as `600`, `-3` or `0.5`.
    mutating func number(_ entry: Entry) -> Double? {
        if case .scalar(let scalar) = entry.value, let value = Double(scalar.string), value.isFinite { return value }
        report("expected a number for '\(entry.name)'\(written(entry))", at: valueLocation(entry))
        return nil
    }
}
