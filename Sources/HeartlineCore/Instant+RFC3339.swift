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
        // Written as bytes: this runs once per alert, and string interpolation per field was the
        // larger part of formatting one.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        Self.append(y, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.append(mo, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.append(d, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        Self.append(rem / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(rem / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(rem % 60, width: 2, to: &bytes)
        let fraction = Int(fractionNanoseconds)
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            if fraction % 1_000_000 == 0 {
                Self.append(fraction / 1_000_000, width: 3, to: &bytes)
            } else if fraction % 1000 == 0 {
                Self.append(fraction / 1000, width: 6, to: &bytes)
            } else {
                Self.append(fraction, width: 9, to: &bytes)
            }
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value`'s decimal digits, zero-padded to `width`; a negative year gets a `-`.
    private static func append(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        var count = 1
        while divisor <= magnitude / 10 {
            divisor *= 10
            count += 1
        }
        for _ in count..<max(width, count) { bytes.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
