/// Where something was written in a configuration file: 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file's path as given by the caller.
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column number, in characters.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`, the form compilers and editors jump to.
    public var description: String { "\(file):\(line):\(column)" }
}
