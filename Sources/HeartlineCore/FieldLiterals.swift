/// Text that a line must contain for a field pattern to hold on it, so that the prefilter can pass
/// over lines that cannot match a pattern of fields alone, as it does for regexes.
///
/// The rule rests on one fact of both formats: a JSON string or key holds its text verbatim unless
/// it uses an escape, and every escape starts with a backslash; a logfmt key is bare and a logfmt
/// value, quoted or bare, holds its text verbatim unless it uses a backslash escape. So on a line
/// without any backslash:
/// - a field equal to `v` (a text value, not a number: `1200` also equals `1200.0`) puts `v` in
///   the line;
/// - a field that is present (any test but `present: false`) puts the last component of its path
///   in the line (`b` for `a.b`, whether it is read as nested objects or as one key `a.b`).
///
/// A line with a backslash is a candidate for every such pattern. Journal field names are left
/// out: on a journal entry they are read from the entry's own fields, not from the `MESSAGE` that
/// the prefilter scans. A pattern without a usable condition (only `present: false`, or journal
/// fields alone) has no literals and is tried on every line.
enum FieldLiterals {
    /// The alternatives of which at least one is in any backslash-free line the pattern holds on:
    /// those of its most selective condition (the one whose shortest alternative is longest), or
    /// nil when no condition gives any.
    ///
    /// - Parameter pattern: A pattern with field conditions and no regex.
    static func required(by pattern: PatternSpec) -> [String]? {
        var best: [String]?
        for condition in pattern.fields {
            guard let literals = literals(of: condition) else { continue }
            let shortest = literals.map(\.utf8.count).min() ?? 0
            if shortest > (best.map { $0.map(\.utf8.count).min() ?? 0 } ?? 0) { best = literals }
        }
        return best
    }

    /// One condition's alternatives: its equality values when they are all text, else the key.
    private static func literals(of condition: FieldCondition) -> [String]? {
        guard JournalFieldName.kind(of: condition.field) != .field else { return nil }
        var present = false
        var values: [String]?
        for test in condition.tests {
            switch test {
            case .equals(let list):
                present = true
                if list.allSatisfy({ !$0.isEmpty && DecimalNumber.parse($0) == nil }) { values = list }
            case .present(let wanted):
                if wanted { present = true }
            case .regex, .above, .below:
                present = true
            }
        }
        if let values { return values }
        guard present, let key = condition.field.split(separator: ".", omittingEmptySubsequences: false).last,
            !key.isEmpty
        else { return nil }
        return [String(key)]
    }

    /// A literal as a PCRE2 (and Vectorscan) pattern matching exactly its text: ASCII letters and
    /// digits as they are, other ASCII characters as `\x{HH}`, other characters as they are (the
    /// patterns compile as UTF-8).
    static func pattern(_ literal: String) -> String {
        var out = ""
        for scalar in literal.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                let plain =
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                if plain {
                    out.unicodeScalars.append(scalar)
                } else {
                    let hex = String(byte, radix: 16)
                    out += "\\x{" + (hex.count == 1 ? "0" + hex : hex) + "}"
                }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The pattern of a backslash: a line holding one is a candidate for every pattern with literals.
    static let escape = "\\x{5c}"
}
