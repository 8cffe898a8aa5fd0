// TEMPORARY until the decoder branch lands.
public enum LineFormat: String, Sendable, Hashable, CaseIterable { case auto, json, logfmt, text }
public enum FieldValue: Hashable, Sendable {
    case string(String)
    case number(Double, text: String)
    public var text: String { switch self { case .string(let s): s; case .number(_, let t): t } }
    public var number: Double? { switch self { case .string(let s): Double(s); case .number(let d, _): d } }
}
import Foundation
public struct FieldPath: Hashable, Sendable {
    public var text: String
    public init(_ text: String) { self.text = text }
}
public struct FieldDecoder: Sendable {
    public struct Outcome { public var isDecoded: Bool }
    let paths: [FieldPath]
    var values: [FieldValue?]
    public init(paths: [FieldPath]) { self.paths = paths; values = paths.map { _ in nil } }
    public mutating func decode(_ line: UnsafeRawBufferPointer, format: LineFormat) -> Outcome {
        for i in values.indices { values[i] = nil }
        if format == .text { return Outcome(isDecoded: false) }
        let data = Data(line)
        if data.first == UInt8(ascii: "{") {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return Outcome(isDecoded: false) }
            for (i, p) in paths.enumerated() {
                var cur: Any? = object
                for c in p.text.split(separator: ".") { cur = (cur as? [String: Any])?[String(c)] }
                if let s = cur as? String { values[i] = .string(s) }
                else if let n = cur as? NSNumber { values[i] = .number(n.doubleValue, text: n.stringValue) }
            }
            return Outcome(isDecoded: true)
        }
        if format == .json { return Outcome(isDecoded: false) }
        let text = String(decoding: line, as: UTF8.self)
        for token in text.split(separator: " ") {
            let kv = token.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            if let i = paths.firstIndex(where: { $0.text == kv[0] }) { values[i] = .string(String(kv[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))) }
        }
        return Outcome(isDecoded: true)
    }
    public func value(at slot: Int) -> FieldValue? { values[slot] }
}
