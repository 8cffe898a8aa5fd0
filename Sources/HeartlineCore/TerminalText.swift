/// Text from logs and configuration made safe to print on a terminal, one record per line.
///
/// Every human-facing text output (replay's `text` alerts, `heartline match`, `heartline status`,
/// configuration errors) passes the text it did not write itself (service and job names, captured
/// values, sample lines, details, file paths) through ``escaped(_:)``. Log lines are written by
/// whoever can log, so a captured ESC `[2J` would otherwise clear the operator's screen,
/// ESC `]0;...` BEL set the window title, and a newline forge a second alert line.
/// JSON output escapes by its own rules (RFC 8259) and does not use this.
public enum TerminalText {
    /// Escapes the characters that could move the cursor, end the line or start a terminal
    /// escape sequence, so that they show visibly.
    ///
    /// The rule, Unicode scalar by scalar: a line feed, carriage return and tab are shown as `\n`,
    /// `\r` and `\t`; every other C0 control (U+0000 to U+001F), DEL (U+007F) and every C1 control
    /// (U+0080 to U+009F) as `\x` and its code point in two lower-case hex digits, so escape
    /// (U+001B) as `\x1b` and CSI (U+009B) as `\x9b`. A backslash is shown as `\\` where it would
    /// otherwise read as the start of one of these escapes: before `x`, `n`, `r`, `t`, another
    /// backslash, or a character that is itself escaped; elsewhere, as in `App\Jobs\Send` or
    /// `\d+`, it stays as it is. Every other scalar is kept, including U+FFFD, which stands for
    /// bytes that are not UTF-8. So the result reads back to exactly one text (`\\`, `\n`, `\r`,
    /// `\t` and `\xHH` are escapes, any other backslash is itself), and text without control
    /// characters or such backslashes, which is every ordinary name, is returned unchanged.
    ///
    /// - Parameter text: Text that did not come from Heartline itself.
    /// - Returns: The text with those characters escaped; never contains a control character.
    public static func escaped(_ text: String) -> String {
        escaped(text, keepingBackslashes: false)
    }

    /// A regular expression as written, escaped by the rule of ``escaped(_:)`` except that every
    /// backslash is kept as it is.
    ///
    /// A backslash already escapes in PCRE2's own syntax, where `\x1b`, `\n`, `\r`, `\t` and
    /// `\x9b` (in UTF mode, which Heartline compiles in) stand for the very characters they
    /// replace: the text shown reads as the pattern does, and `\\.` or `\t` still read so.
    ///
    /// - Parameter source: A pattern's source from a pattern file.
    /// - Returns: The source with its control characters escaped.
    public static func escaped(regex source: String) -> String {
        escaped(source, keepingBackslashes: true)
    }

    private static func escaped(_ text: String, keepingBackslashes: Bool) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.indices.contains(where: { needsEscape(scalars, at: $0, keepingBackslashes) }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for index in scalars.indices {
            let scalar = scalars[index]
            switch scalar {
            case "\\": out += needsEscape(scalars, at: index, keepingBackslashes) ? "\\\\" : "\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar):
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out += (hex.count < 2 ? "\\x0" : "\\x") + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func needsEscape(_ scalars: [Unicode.Scalar], at index: Int, _ keepingBackslashes: Bool) -> Bool {
        guard scalars[index] == "\\" else { return isControl(scalars[index]) }
        guard !keepingBackslashes, index + 1 < scalars.count else { return false }
        let next = scalars[index + 1]
        return "xnrt\\".unicodeScalars.contains(next) || isControl(next)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
