/// A job name, possibly a template such as `queue-{class}` whose placeholders name regex
/// capture groups or fields (SPEC §1, dynamic jobs; README, "Field patterns and runs").
public struct JobName: Sendable, Hashable, CustomStringConvertible {
    /// One piece of a template.
    public enum Part: Sendable, Hashable {
        /// Literal text.
        case literal(String)
        /// `{name}`: the value of the named capture group `name`, or of the field `name`; a dotted
        /// name (`{ctx.class}`) is a field path into nested objects, which only fields can fill.
        case capture(String)
    }

    /// The template as written.
    public let template: String
    /// The template split into literal text and placeholders.
    public let parts: [Part]

    /// The names of the placeholders, in order of first appearance.
    public var captureNames: [String] {
        var seen: [String] = []
        for case .capture(let name) in parts where !seen.contains(name) { seen.append(name) }
        return seen
    }

    /// Whether the name has placeholders, making one job instance per distinct value.
    public var isDynamic: Bool { !captureNames.isEmpty }

    /// Splits a template. `{` not followed by a valid placeholder name and `}` is kept literally.
    public init(_ template: String) {
        self.template = template
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"),
                Self.isPlaceholderName(rest[afterOpen..<close])
            {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.capture(String(rest[afterOpen..<close])))
                rest = rest[rest.index(after: close)...]
            } else {
                literal += "{"
                rest = rest[afterOpen...]
            }
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// Fills the placeholders from `values` (capture name to captured text).
    public func instanceName(_ values: [String: String]) -> String {
        var name = ""
        for part in parts {
            switch part {
            case .literal(let text): name += text
            case .capture(let group): name += values[group] ?? ""
            }
        }
        return name
    }

    public var description: String { template }

    /// A group name, or group names joined by dots: a field path such as `ctx.class`, so that a
    /// name can take a value nested in a JSON line.
    private static func isPlaceholderName(_ text: Substring) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isGroupName)
    }

    /// PCRE2 group names: a letter or underscore, then letters, digits or underscores.
    private static func isGroupName(_ text: Substring) -> Bool {
        guard let first = text.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return text.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}
