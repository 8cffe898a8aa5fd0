extension FieldDecoder {
    /// One field of a line, as ``FieldDecoder/allFields(_:format:)`` lists it.
    public struct Field: Hashable, Sendable {
        /// Where the field is: its keys from the top level down. The ``FieldPath/description`` of a
        /// listed path, used as a pattern's path, addresses this field, except when a key below the
        /// top level holds a dot.
        public var path: FieldPath
        /// The field's value.
        public var value: FieldValue
    }

    /// Every field of one line, for `heartline match` to show what a line decodes to.
    public struct Listing: Hashable, Sendable {
        /// How decoding the line went; the fields are empty unless it is ``Outcome/decoded(_:)``.
        public var outcome: Outcome
        /// Every scalar, array and empty object of a JSON line, or every pair of a logfmt line, in
        /// line order; a repeated key is listed once, with its last value, where that occurs.
        public var fields: [Field]
        /// Whether the line had more fields than ``Limits/maxListedFields``: those after the first
        /// ones are left out. A listed field still shows its last value.
        public var isTruncated: Bool
    }

    /// Lists every field of a line, whether or not it is wanted, under the same rules and limits as
    /// ``decode(_:format:)``.
    ///
    /// Not for the per-line path: it makes a `String` of every key and value.
    ///
    /// - Parameters:
    ///   - line: The line's bytes, without its line terminator.
    ///   - format: How to read it.
    /// - Returns: The outcome and the fields, at most ``Limits/maxListedFields`` of them.
    public func allFields(_ line: UnsafeRawBufferPointer, format: LineFormat) -> Listing {
        guard format != .text else { return Listing(outcome: .noFields, fields: [], isTruncated: false) }
        guard line.count <= limits.maxLineBytes else {
            return Listing(outcome: .undecodable(Failure(.tooLarge, at: 0)), fields: [], isTruncated: false)
        }
        let format = Self.resolve(format, line)
        var lister = FieldLister(maxFields: limits.maxListedFields, maxCompositeBytes: limits.maxCompositeBytes)
        let failure: Failure?
        if format == .json {
            failure = withUnsafeTemporaryAllocation(of: Int.self, capacity: limits.maxDepth + 1) { starts in
                JSONScanner.scan(line, maxDepth: limits.maxDepth, starts: starts.baseAddress!, into: &lister)
            }
        } else {
            failure = LogfmtScanner.scan(line, into: &lister)
        }
        if let failure { return Listing(outcome: .undecodable(failure), fields: [], isTruncated: false) }
        return Listing(outcome: .decoded(format), fields: lister.fields, isTruncated: lister.isTruncated)
    }
}

/// Collects every field of a line as a ``FieldDecoder/Field``, the last value of a repeated key
/// replacing what its earlier occurrence gave, as in ``FieldDecoder/decode(_:format:)``.
///
/// Once `maxFields` fields are listed, new ones are left out, but keys are still followed so that a
/// listed field always shows its last value. Replaced fields leave gaps that are closed when they
/// outnumber the listed ones, and an earlier key's fields are looked for only when that key held an
/// object before, so work stays linear in the line's length.
private struct FieldLister: JSONScanner.Sink, LogfmtScanner.Sink {
    let maxFields: Int
    let maxCompositeBytes: Int
    var isTruncated = false
    /// The fields in order of their last occurrence; nil where one was replaced.
    private var entries: [FieldDecoder.Field?] = []
    /// Where each listed field is in `entries`, by path.
    private var index: [[String]: Int] = [:]
    /// The paths that have held a followed object, whose fields a repeated key must drop.
    private var objectPaths: Set<[String]> = []
    /// The keys of the followed object, from the top level down.
    private var prefix: [String] = []
    /// Per followed object below the top level: whether it has had a member.
    private var hadMember: [Bool] = []
    /// The path of the last key.
    private var pending: [String] = []

    init(maxFields: Int, maxCompositeBytes: Int) {
        self.maxFields = maxFields
        self.maxCompositeBytes = maxCompositeBytes
    }

    /// The listed fields, in line order of their last occurrence.
    var fields: [FieldDecoder.Field] { entries.compactMap { $0 } }

    mutating func key(_ raw: UnsafeRawBufferPointer, escaped: Bool) -> Bool {
        if !hadMember.isEmpty { hadMember[hadMember.count - 1] = true }
        pending = prefix + [Self.string(raw, escaped: escaped, dialect: .json)]
        forget(pending)
        return true
    }

    mutating func scalar(_ kind: FieldValue.Kind, _ raw: UnsafeRawBufferPointer, escaped: Bool) {
        var text: [UInt8] = []
        QuotedString.unescape(raw, dialect: .json, into: &text)
        add(text.withUnsafeBytes { FieldValue(kind: kind, text: $0) })
    }

    mutating func beginObject() -> Bool {
        prefix = pending
        objectPaths.insert(pending)
        hadMember.append(false)
        return true
    }

    mutating func endObject(_ raw: UnsafeRawBufferPointer) {
        pending = prefix
        prefix.removeLast()
        if !hadMember.removeLast() { composite(raw) }
    }

    mutating func composite(_ raw: UnsafeRawBufferPointer) {
        let kept = UnsafeRawBufferPointer(rebasing: raw[..<FieldRecorder.cut(raw, at: maxCompositeBytes)])
        add(.composite(String(decoding: kept, as: UTF8.self)))
    }

    mutating func pair(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, escaped: Bool) {
        pending = [String(decoding: key, as: UTF8.self)]
        forget(pending)
        add(.string(Self.string(value, escaped: escaped, dialect: .logfmt)))
    }

    /// Drops the field at `path` and, if it held an object before, the fields below it.
    private mutating func forget(_ path: [String]) {
        if let position = index.removeValue(forKey: path) { entries[position] = nil }
        guard objectPaths.contains(path) else { return }
        for position in entries.indices {
            guard let field = entries[position], field.path.components.starts(with: path) else { continue }
            index[field.path.components] = nil
            entries[position] = nil
        }
    }

    private mutating func add(_ value: FieldValue) {
        guard index.count < maxFields else {
            isTruncated = true
            return
        }
        if entries.count >= 2 * maxFields + 16 {
            let listed = fields
            entries = listed
            for (position, field) in listed.enumerated() { index[field.path.components] = position }
        }
        index[pending] = entries.count
        entries.append(FieldDecoder.Field(path: FieldPath(components: pending), value: value))
    }

    private static func string(
        _ raw: UnsafeRawBufferPointer, escaped: Bool, dialect: QuotedString.Dialect
    ) -> String {
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        var text: [UInt8] = []
        QuotedString.unescape(raw, dialect: dialect, into: &text)
        return String(decoding: text, as: UTF8.self)
    }
}
