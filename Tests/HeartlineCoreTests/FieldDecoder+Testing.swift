import HeartlineCore

/// String-based conveniences for the field decoding tests.
extension FieldDecoder {
    init(_ paths: String..., limits: Limits = .default) {
        self.init(paths: paths.map(FieldPath.init), limits: limits)
    }

    mutating func decode(_ line: String, format: LineFormat = .json) -> Outcome {
        decode(bytes: Array(line.utf8), format: format)
    }

    mutating func decode(bytes: [UInt8], format: LineFormat = .json) -> Outcome {
        bytes.withUnsafeBytes { decode($0, format: format) }
    }

    func allFields(_ line: String, format: LineFormat = .json) -> Listing {
        Array(line.utf8).withUnsafeBytes { allFields($0, format: format) }
    }

    /// Every slot's value, indexed like `paths`.
    var values: [FieldValue?] { paths.indices.map { value(at: $0) } }

    /// The bytes of a slot's text, or nil when absent.
    func textBytes(at slot: Int) -> [UInt8]? {
        withText(at: slot) { Array($0) }
    }
}

extension FieldDecoder.Outcome {
    /// The failure code of an undecodable line, or nil.
    var failureCode: FieldDecoder.Failure.Code? {
        if case .undecodable(let failure) = self { failure.code } else { nil }
    }
}
