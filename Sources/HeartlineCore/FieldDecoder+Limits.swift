extension FieldDecoder {
    /// The bounds that keep decoding of hostile lines cheap: each is checked as the line is read, so
    /// work per line stays linear in its length and memory stays bounded.
    public struct Limits: Hashable, Sendable {
        /// The deepest nesting decoded, counting the line's own object as 1 and every object or array
        /// inside as one more; deeper lines are ``Failure/Code/tooDeep``.
        public var maxDepth: Int
        /// The longest line decoded, in bytes; longer lines are ``Failure/Code/tooLarge`` without
        /// being read.
        public var maxLineBytes: Int
        /// The most bytes of an object's or array's raw text kept as a ``FieldValue/composite(_:)``.
        public var maxCompositeBytes: Int
        /// The most fields ``FieldDecoder/allFields(_:format:)`` lists.
        public var maxListedFields: Int

        /// Creates limits.
        ///
        /// - Parameters:
        ///   - maxDepth: Deepest nesting, at least 1.
        ///   - maxLineBytes: Longest decoded line, in bytes.
        ///   - maxCompositeBytes: Longest composite text kept, in bytes.
        ///   - maxListedFields: Most fields listed.
        public init(
            maxDepth: Int = 64, maxLineBytes: Int = 1 << 20, maxCompositeBytes: Int = 4096,
            maxListedFields: Int = 200
        ) {
            precondition(maxDepth >= 1 && maxLineBytes >= 0 && maxCompositeBytes >= 0 && maxListedFields >= 0)
            self.maxDepth = maxDepth
            self.maxLineBytes = maxLineBytes
            self.maxCompositeBytes = maxCompositeBytes
            self.maxListedFields = maxListedFields
        }

        /// Depth 64, lines up to 1 MiB, composites up to 4 KiB, 200 listed fields.
        public static let `default` = Limits()
    }
}
