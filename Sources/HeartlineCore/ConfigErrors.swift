/// Every problem found in one or more configuration files, thrown together so that one run of
/// `heartline check` shows them all.
///
/// The errors are kept sorted by file, line and column; errors at the same place keep the order
/// they were found in.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    /// The errors, sorted by file, line and column when collected. Never empty when thrown by Heartline.
    public var errors: [ConfigError]

    /// Collects errors, sorting them by file, line and column.
    ///
    /// - Parameter errors: The errors in the order they were found.
    public init(errors: [ConfigError]) {
        self.errors = errors.enumerated()
            .sorted { lhs, rhs in
                let left = lhs.element.location
                let right = rhs.element.location
                return (left.file, left.line, left.column, lhs.offset)
                    < (right.file, right.line, right.column, rhs.offset)
            }
            .map(\.element)
    }

    /// One `FILE:LINE:COLUMN: message` line per error.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
