/// A value in the small part of Python's literal syntax that `.npy` headers are written in,
/// such as `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
///
/// NumPy reads headers with `ast.literal_eval`; this parser accepts the same forms for such
/// headers — strings in single or double quotes, decimal integers, `True`, `False`, `None`,
/// tuples, lists, dicts with string keys, trailing commas — and rejects anything else with the
/// byte offset where it went wrong. Dict entries keep their order so duplicates can be reported.
indirect enum PythonLiteral {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(key: String, value: PythonLiteral)])

    /// Where and why a literal could not be parsed; `offset` counts bytes from the start of the input.
    struct SyntaxError: Error, Equatable {
        let offset: Int
        let message: String
    }

    /// Parses `bytes` as exactly one literal, optionally surrounded by whitespace.
    /// - Parameters:
    ///   - bytes: the literal's text.
    ///   - isUTF8: whether strings are UTF-8 (`.npy` 3.0) or Latin-1 (`.npy` 1.0 and 2.0).
    static func parse(_ bytes: [UInt8], isUTF8: Bool) throws(SyntaxError) -> PythonLiteral {
        var parser = PythonLiteralParser(bytes: bytes, isUTF8: isUTF8)
        return try parser.parseWhole()
    }

    /// The value as Python's `repr` would show it, for error messages: on one line, since
    /// control characters in strings are escaped.
    var pythonDescription: String {
        switch self {
        case .string(let text): Self.quoted(text)
        case .integer(let value): String(value)
        case .boolean(let value): value ? "True" : "False"
        case .none: "None"
        case .tuple(let items) where items.count == 1: "(\(items[0].pythonDescription),)"
        case .tuple(let items): "(\(items.map(\.pythonDescription).joined(separator: ", ")))"
        case .list(let items): "[\(items.map(\.pythonDescription).joined(separator: ", "))]"
        case .dict(let entries): "{\(entries.map { "\(Self.quoted($0.key)): \($0.value.pythonDescription)" }.joined(separator: ", "))}"
        }
    }
}

extension PythonLiteral {
    /// `pythonDescription` cut to about 100 characters, so that a hostile header cannot turn
    /// an error message into megabytes.
    var briefDescription: String {
        let full = pythonDescription
        return full.count <= 100 ? full : full.prefix(100) + "…"
    }

    /// `text` in single quotes with backslashes, quotes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "'": result += "\\'"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}", "\u{7F}": result += "\\x" + String(UInt8(scalar.value).hexLiteral.dropFirst(2)).lowercased()
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "'"
    }
}

/// A recursive-descent parser over the bytes of one Python literal; see `PythonLiteral`.
private struct PythonLiteralParser {
    let bytes: [UInt8]
    let isUTF8: Bool
    var index = 0
    var depth = 0

    /// Deeper nesting than any header needs is refused so hostile input cannot exhaust the stack.
    static let maximumDepth = 32

    init(bytes: [UInt8], isUTF8: Bool) {
        self.bytes = bytes
        self.isUTF8 = isUTF8
    }

    mutating func parseWhole() throws(PythonLiteral.SyntaxError) -> PythonLiteral {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw failure("unexpected \(describeCurrent()) after the literal") }
        return value
    }

    private mutating func parseValue() throws(PythonLiteral.SyntaxError) -> PythonLiteral {
        guard index < bytes.count else { throw failure("unexpected end, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "("): return try parseTuple()
        case UInt8(ascii: "["): return .list(try parseSequence(closing: "]").items)
        case UInt8(ascii: "{"): return try parseDict()
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try parseInteger())
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"):
            return try parseName()
        default: throw failure("unexpected \(describeCurrent()), expected a value")
        }
    }

    /// `(…)` is a tuple when empty or when it contains a comma; `(x)` is just `x`, as in Python.
    private mutating func parseTuple() throws(PythonLiteral.SyntaxError) -> PythonLiteral {
        let (items, hasComma) = try parseSequence(closing: ")")
        return items.count == 1 && !hasComma ? items[0] : .tuple(items)
    }

    /// Reads comma-separated values up to `closing`, allowing one trailing comma.
    private mutating func parseSequence(closing: Unicode.Scalar) throws(PythonLiteral.SyntaxError) -> (items: [PythonLiteral], hasComma: Bool) {
        try enterNesting()
        defer { depth -= 1 }
        index += 1
        var items: [PythonLiteral] = []
        var hasComma = false
        while true {
            skipWhitespace()
            if consume(closing) { return (items, hasComma) }
            items.append(try parseValue())
            skipWhitespace()
            if consume(",") {
                hasComma = true
            } else if !isAt(closing) {
                throw failure("expected ',' or '\(closing)', found \(describeCurrent())")
            }
        }
    }

    private mutating func parseDict() throws(PythonLiteral.SyntaxError) -> PythonLiteral {
        try enterNesting()
        defer { depth -= 1 }
        index += 1
        var entries: [(key: String, value: PythonLiteral)] = []
        while true {
            skipWhitespace()
            if consume("}") { return .dict(entries) }
            guard isAt("'") || isAt("\"") else {
                throw failure("expected a quoted key or '}', found \(describeCurrent())")
            }
            let key = try parseString()
            skipWhitespace()
            guard consume(":") else { throw failure("expected ':' after key \(PythonLiteral.quoted(key)), found \(describeCurrent())") }
            skipWhitespace()
            entries.append((key, try parseValue()))
            skipWhitespace()
            if !consume(","), !isAt("}") {
                throw failure("expected ',' or '}', found \(describeCurrent())")
            }
        }
    }

    /// A single- or double-quoted string on one line, with the simple backslash escapes.
    private mutating func parseString() throws(PythonLiteral.SyntaxError) -> String {
        let start = index
        let quote = bytes[index]
        index += 1
        var scalars = String.UnicodeScalarView()
        while true {
            guard index < bytes.count, bytes[index] != UInt8(ascii: "\n") else {
                throw PythonLiteral.SyntaxError(offset: start, message: "unterminated string")
            }
            let byte = bytes[index]
            if byte == quote {
                index += 1
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                scalars.append(try parseEscape())
            } else if byte < 0x80 || !isUTF8 {
                // Latin-1 maps each byte to the code point of the same value.
                scalars.append(Unicode.Scalar(byte))
                index += 1
            } else {
                guard let length = UTF8Scan.sequenceLength(in: bytes, at: index) else {
                    throw failure("invalid UTF-8 byte \(byte.hexLiteral) in string")
                }
                scalars.append(contentsOf: String(decoding: bytes[index..<index + length], as: UTF8.self).unicodeScalars)
                index += length
            }
        }
    }

    private mutating func parseEscape() throws(PythonLiteral.SyntaxError) -> Unicode.Scalar {
        guard index + 1 < bytes.count else { throw failure("unterminated string") }
        let escaped: Unicode.Scalar
        switch bytes[index + 1] {
        case UInt8(ascii: "\\"): escaped = "\\"
        case UInt8(ascii: "'"): escaped = "'"
        case UInt8(ascii: "\""): escaped = "\""
        case UInt8(ascii: "n"): escaped = "\n"
        case UInt8(ascii: "t"): escaped = "\t"
        case UInt8(ascii: "r"): escaped = "\r"
        default: throw failure("unsupported escape sequence in string")
        }
        index += 2
        return escaped
    }

    /// A decimal integer with an optional sign; Python forbids leading zeros such as `007`.
    private mutating func parseInteger() throws(PythonLiteral.SyntaxError) -> Int {
        let start = index
        let isNegative = bytes[index] == UInt8(ascii: "-")
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let digitsStart = index
        var magnitude = 0
        var overflowed = false
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
            overflowed = overflowed || o1 || o2
            magnitude = sum
            index += 1
        }
        let digits = bytes[digitsStart..<index]
        guard !digits.isEmpty else { throw failure("expected digits after the sign, found \(describeCurrent())") }
        if digits.count > 1, digits.first == UInt8(ascii: "0"), digits.contains(where: { $0 != UInt8(ascii: "0") }) {
            throw PythonLiteral.SyntaxError(offset: digitsStart, message: "leading zeros in integer")
        }
        if overflowed {
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            throw PythonLiteral.SyntaxError(offset: start, message: "integer \(text) is too large")
        }
        return isNegative ? -magnitude : magnitude
    }

    private mutating func parseName() throws(PythonLiteral.SyntaxError) -> PythonLiteral {
        let start = index
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        let name = String(decoding: bytes[start..<index], as: UTF8.self)
        switch name {
        case "True": return .boolean(true)
        case "False": return .boolean(false)
        case "None": return .none
        default: throw PythonLiteral.SyntaxError(offset: start, message: "unexpected name '\(name.prefix(40))', expected a literal")
        }
    }

    private func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
        default: false
        }
    }

    private mutating func enterNesting() throws(PythonLiteral.SyntaxError) {
        guard depth < Self.maximumDepth else {
            throw failure("nesting deeper than \(Self.maximumDepth) levels")
        }
        depth += 1
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(bytes[index]) { index += 1 }
    }

    private func isAt(_ scalar: Unicode.Scalar) -> Bool {
        index < bytes.count && bytes[index] == UInt8(ascii: scalar)
    }

    private mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard isAt(scalar) else { return false }
        index += 1
        return true
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of header" }
        let byte = bytes[index]
        return (0x21...0x7E).contains(byte) ? "'\(Unicode.Scalar(byte))'" : "byte \(byte.hexLiteral)"
    }

    private func failure(_ message: String) -> PythonLiteral.SyntaxError {
        PythonLiteral.SyntaxError(offset: index, message: message)
    }
}
