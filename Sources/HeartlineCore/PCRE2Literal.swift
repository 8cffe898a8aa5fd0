/// Text made into a PCRE2 pattern that matches exactly that text.
public enum PCRE2Literal {
    /// `text` with every character PCRE2 gives a meaning to outside a class escaped with a
    /// backslash: `\ ^ $ . | ? * + ( ) [ ] { }` (pcre2pattern(3), "Quoting"). Control characters
    /// and DEL become `\x{..}`. `\Q...\E` is not used, since the text may itself hold `\E`.
    ///
    /// - Parameter text: The literal text.
    /// - Returns: A pattern matching exactly `text` (unanchored).
    public static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}":
                out += "\\" + String(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
