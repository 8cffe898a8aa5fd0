extension Instant {
    /// The instant as RFC 3339 in UTC with a `Z`: `2005-07-24T04:30:00Z`.
    ///
    /// Whole seconds when the fraction is zero; otherwise the fraction in 3, 6 or 9 digits,
    /// the fewest that hold it exactly (SPEC §3: "whole seconds unless the input had fractions").
    public var rfc3339: String {
        let secs = seconds
        var days = Int(secs / 86_400)
        var rem = Int(secs % 86_400)
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        let (y, mo, d) = CivilDate.date(days: days)
        var text = "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))"
        text += "T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))"
        let fraction = Int(fractionNanoseconds)
        if fraction != 0 {
            if fraction % 1_000_000 == 0 {
                text += "." + pad(fraction / 1_000_000, 3)
            } else if fraction % 1000 == 0 {
                text += "." + pad(fraction / 1000, 6)
            } else {
                text += "." + pad(fraction, 9)
            }
        }
        return text + "Z"
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
