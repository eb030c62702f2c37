/// An experiment config that cannot be used: where (file, line, column, key path) and what
/// was wrong, in one line, e.g.
/// `experiments/x.yaml:12:5: training.learning_rate: must be > 0, got -0.1`.
///
/// Line and column start at 1 and come from the YAML parser's marks (columns count Unicode
/// scalars). A line of 0 means the error concerns the whole file (it cannot be read); an
/// empty key path means the error is not about one key (a YAML syntax error).
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The config file as the user named it.
    public let path: String
    public let line: Int
    public let column: Int
    /// Where in the config the value sits, e.g. `training.learning_rate`, `sweep.init[2]`,
    /// `variants.irnn.nonlinearity`.
    public let keyPath: String
    /// What was wrong and what was expected.
    public let message: String

    public init(path: String, line: Int, column: Int, keyPath: String, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        var text = path
        if line > 0 { text += ":\(line):\(column)" }
        text += ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        // One line, whatever the message quotes.
        return text + message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
