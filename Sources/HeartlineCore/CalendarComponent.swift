/// One item of a field of a systemd calendar expression: a value, a range `a..b`, or either with a
/// repetition `/n` (systemd.time(7), "Calendar Events").
///
/// Values are in the field's own unit: years, months 1...12, days 1...31 (or days counted back from
/// the end of the month after `~`, 1 being the last day), hours, minutes, and microseconds for the
/// seconds field, which is the unit systemd keeps seconds in. A range always repeats: `a..b` steps
/// by 1 (one second in the seconds field) unless a repetition says otherwise.
package struct CalendarComponent: Sendable, Hashable, Comparable {
    /// The first value.
    package var start: Int
    /// The last value a range or repetition may reach; nil when unbounded or a single value.
    package var stop: Int?
    /// The distance between matching values, 0 for none (a single value).
    package var step: Int

    /// Creates a component.
    package init(start: Int, stop: Int? = nil, step: Int = 0) {
        self.start = start
        self.stop = stop
        self.step = step
    }

    /// Components order by start, then stop (an absent stop first), then step, as systemd sorts
    /// them for the normalized form.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.start, lhs.stop ?? -1, lhs.step) < (rhs.start, rhs.stop ?? -1, rhs.step)
    }

    /// The same values, written systemd's normalized way.
    ///
    /// A range shortens to its last reachable value (`1..12/3` is `1..10/3`), and a range or
    /// repetition that cannot step even once becomes a single value (`5..7/5` is `5`, `5..5` is `5`),
    /// as systemd 252's `normalize_chain` does before it checks bounds.
    package var normalized: CalendarComponent {
        var item = self
        if let stop, stop > start, step > 0 {
            item.stop = stop - (stop - start) % step
        }
        if let stop = item.stop, (stop > start && step > 0 && start + step > stop) || stop == start {
            item.stop = nil
            item.step = 0
        }
        return item
    }

    /// The item as systemd's normalized form writes it, e.g. `01..10/3` or `01.500000`.
    ///
    /// - Parameters:
    ///   - width: Digits to zero-pad whole values to: 4 for years, 2 otherwise.
    ///   - microseconds: Whether values are microseconds (the seconds field), written as whole
    ///     seconds with six fraction digits when there is a fraction.
    package func text(width: Int, microseconds: Bool) -> String {
        let unit = microseconds ? 1_000_000 : 1
        func number(_ value: Int) -> String {
            let whole = String(value / unit)
            var text = String(repeating: "0", count: max(0, width - whole.count)) + whole
            if value % unit > 0 { text += "." + Self.sixDigits(value % unit) }
            return text
        }
        var text = number(start)
        if let stop, stop > 0 { text += ".." + number(stop) }
        let impliedByRange = (stop ?? 0) > 0 && step == unit
        if step > 0 && !impliedByRange {
            text += "/" + String(step / unit)
            if step % unit > 0 { text += "." + Self.sixDigits(step % unit) }
        }
        return text
    }

    private static func sixDigits(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
