import Yams

extension ConfigError {
    /// A YAML syntax error at the parser's own line and column.
    public init(yaml error: YamlError, text: String, path: String) {
        func context(_ context: YamlError.Context?) -> String {
            guard let context, !context.text.isEmpty else { return "" }
            return " (\(context.text) at \(context.mark.line):\(context.mark.column))"
        }
        switch error {
        case .scanner(let c, let problem, let mark, _), .parser(let c, let problem, let mark, _),
            .composer(let c, let problem, let mark, _):
            self.init(
                path: path, line: mark.line, column: mark.column, keyPath: "",
                message: "YAML syntax error: \(problem)\(context(c))")
        case .duplicatedKeysInMapping(let duplicates, let c):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            self.init(
                path: path, line: c.mark.line, column: c.mark.column, keyPath: "",
                message: "duplicate key \(keys) in one mapping; each key may appear once")
        case .reader(let problem, let offset, _, _):
            // The offset counts UTF-8 bytes from the start of the text.
            var (line, column) = (1, 1)
            if let offset {
                for byte in text.utf8.prefix(offset) {
                    if byte == UInt8(ascii: "\n") {
                        (line, column) = (line + 1, 1)
                    } else if byte & 0xC0 != 0x80 {
                        column += 1
                    }
                }
            }
            self.init(path: path, line: line, column: column, keyPath: "", message: "cannot read the YAML: \(problem)")
        default:
            self.init(path: path, line: 1, column: 1, keyPath: "", message: "YAML syntax error: \(error)")
        }
    }
}
