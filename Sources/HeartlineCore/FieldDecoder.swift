/// Decodes the wanted fields of log lines written as JSON objects (RFC 8259) or logfmt
/// (github.com/go-logfmt/logfmt), for field matchers.
///
/// Made once with the paths that patterns test, then called per line: ``decode(_:format:)`` reads the
/// line in one pass, checks all of it, and keeps only the values of wanted paths, which
/// ``value(at:)`` and the allocation-free readers (``kind(at:)``, ``number(at:)``,
/// ``withText(at:_:)``) return until the next decode. Slot `i` is `paths[i]`. Values of keys nobody
/// wants are checked and skipped without being copied; only wanted strings have their escapes
/// decoded. A warm decoder allocates nothing per line.
///
/// Rules:
/// - Which key a path addresses is ``FieldPath``'s rule: a top-level key equal to the whole path text
///   first, then the dotted walk through nested objects. Arrays are not indexed; an array is one
///   ``FieldValue/composite(_:)``.
/// - A repeated key keeps its last value, as Python's `json`, Go's `encoding/json` and jq do; nested
///   values from an earlier occurrence are forgotten (`{"a":{"b":1},"a":2}` has no `a.b`). In logfmt
///   too, the last pair with a key wins.
/// - A line that is not valid in its format, or that breaks ``Limits``, is undecodable: no slot has a
///   value, and the next line decodes afresh. See ``LineFormat`` for how `auto` picks a format.
/// - JSON strings may hold bytes that are not UTF-8; they are kept, and read as U+FFFD in `String`s.
///
/// A value type: each copy keeps its own scratch space. Give each thread its own decoder.
public struct FieldDecoder: Sendable {
    /// The wanted paths; a slot is an index into this array.
    public let paths: [FieldPath]
    /// The bounds applied to every line.
    public let limits: Limits

    private var recorder: FieldRecorder

    /// Prepares decoding of `paths`.
    ///
    /// - Parameters:
    ///   - paths: The fields that matchers test; the same path may appear more than once.
    ///   - limits: Bounds on depth, line size and kept text.
    public init(paths: [FieldPath], limits: Limits = .default) {
        self.paths = paths
        self.limits = limits
        recorder = FieldRecorder(trie: FieldTrie(paths: paths), slotCount: paths.count, limits: limits)
    }

    /// Decodes one line, replacing the previous line's values.
    ///
    /// - Parameters:
    ///   - line: The line's bytes, without its line terminator.
    ///   - format: How to read it; ``LineFormat/auto`` picks JSON or logfmt per line.
    /// - Returns: The format the line was read in, ``Outcome/noFields`` for ``LineFormat/text``, or
    ///   why it is undecodable.
    public mutating func decode(_ line: UnsafeRawBufferPointer, format: LineFormat) -> Outcome {
        recorder.reset()
        guard format != .text else { return .noFields }
        guard line.count <= limits.maxLineBytes else { return .undecodable(Failure(.tooLarge, at: 0)) }
        let format = Self.resolve(format, line)
        let failure: Failure?
        if format == .json {
            failure = withUnsafeTemporaryAllocation(of: Int.self, capacity: limits.maxDepth + 1) { starts in
                JSONScanner.scan(line, maxDepth: limits.maxDepth, starts: starts.baseAddress!, into: &recorder)
            }
        } else {
            failure = LogfmtScanner.scan(line, into: &recorder)
        }
        guard let failure else { return .decoded(format) }
        recorder.forget()
        return .undecodable(failure)
    }

    /// The value of a wanted path on the last decoded line.
    ///
    /// - Parameter slot: The path's index in ``paths``.
    /// - Returns: The value, or nil when the line has no such field or was undecodable.
    public func value(at slot: Int) -> FieldValue? {
        guard let found = recorder.slot(slot) else { return nil }
        return recorder.text.withUnsafeBytes { FieldValue(kind: found.kind, text: .init(rebasing: $0[found.range])) }
    }

    /// The type of a wanted path's value on the last decoded line; nil when it is absent. Allocates
    /// nothing.
    ///
    /// - Parameter slot: The path's index in ``paths``.
    public func kind(at slot: Int) -> FieldValue.Kind? {
        recorder.slot(slot)?.kind
    }

    /// A wanted path's value as a number (``FieldValue/number``), without making the value.
    ///
    /// - Parameter slot: The path's index in ``paths``.
    /// - Returns: The number, or nil when the field is absent or not a number.
    public func number(at slot: Int) -> Double? {
        guard let found = recorder.slot(slot), found.kind == .number || found.kind == .string else { return nil }
        return recorder.text.withUnsafeBytes { DecimalNumber.parse(.init(rebasing: $0[found.range])) }
    }

    /// Calls `body` with the bytes of a wanted path's ``FieldValue/text``, for equality and regex
    /// matchers, without copying them.
    ///
    /// - Parameters:
    ///   - slot: The path's index in ``paths``.
    ///   - body: Reads the text's bytes (UTF-8 unless the line held other bytes); they are valid only
    ///     during the call.
    /// - Returns: What `body` returned, or nil without calling it when the field is absent.
    public func withText<Result>(
        at slot: Int, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result? {
        guard let found = recorder.slot(slot) else { return nil }
        return try recorder.text.withUnsafeBytes { try body(.init(rebasing: $0[found.range])) }
    }

    /// The format a line other than ``LineFormat/text`` is read in: ``LineFormat/auto`` resolved by
    /// the line's first non-whitespace byte.
    static func resolve(_ format: LineFormat, _ line: UnsafeRawBufferPointer) -> LineFormat {
        guard format == .auto else { return format }
        for byte in line {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            case UInt8(ascii: "{"): return .json
            default: return .logfmt
            }
        }
        return .logfmt
    }
}
