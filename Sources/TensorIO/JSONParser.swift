/// A recursive-descent parser for RFC 8259 JSON over UTF-8 bytes; see `JSONValue.parse`.
///
/// Strict: no comments, no trailing commas, no leading zeros, no unescaped control characters,
/// no lone surrogates, nothing after the value but whitespace. Every error carries the offset
/// of the offending byte.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONValue.SyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw failure("unexpected \(describeCurrent()) after the JSON value") }
        return value
    }

    private mutating func parseValue() throws(JSONValue.SyntaxError) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        default: throw failure("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func parseObject() throws(JSONValue.SyntaxError) -> JSONValue {
        try enterNesting()
        defer { depth -= 1 }
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if consume("}") { return .object(members) }
        while true {
            guard isAt("\"") else { throw failure("expected a string key, found \(describeCurrent())") }
            let key = try parseString()
            skipWhitespace()
            guard consume(":") else { throw failure("expected ':' after key \(JSONValue.quoted(key)), found \(describeCurrent())") }
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            if consume("}") { return .object(members) }
            guard consume(",") else { throw failure("expected ',' or '}' in object, found \(describeCurrent())") }
            skipWhitespace()
        }
    }

    private mutating func parseArray() throws(JSONValue.SyntaxError) -> JSONValue {
        try enterNesting()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if consume("]") { return .array(elements) }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            if consume("]") { return .array(elements) }
            guard consume(",") else { throw failure("expected ',' or ']' in array, found \(describeCurrent())") }
            skipWhitespace()
        }
    }

    private mutating func parseString() throws(JSONValue.SyntaxError) -> String {
        let start = index
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw JSONValue.SyntaxError(kind: .grammar, offset: start, message: "unterminated string")
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                // Every byte appended was checked to be well-formed UTF-8, so decoding repairs nothing.
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let scalar = try parseEscape()
                utf8.append(contentsOf: String(scalar).utf8)
            case 0x00..<0x20:
                throw failure("unescaped control character \(byte.hexLiteral) in string")
            default:
                guard let length = UTF8Scan.sequenceLength(in: bytes, at: index) else {
                    throw JSONValue.SyntaxError(kind: .encoding, offset: index, message: "invalid UTF-8 byte \(byte.hexLiteral)")
                }
                utf8.append(contentsOf: bytes[index..<index + length])
                index += length
            }
        }
    }

    /// One escape after a backslash; `\uD83D\uDE00` pairs become one scalar.
    private mutating func parseEscape() throws(JSONValue.SyntaxError) -> Unicode.Scalar {
        let start = index
        guard index + 1 < bytes.count else { throw failure("unterminated escape sequence") }
        let simple: Unicode.Scalar?
        switch bytes[index + 1] {
        case UInt8(ascii: "\""): simple = "\""
        case UInt8(ascii: "\\"): simple = "\\"
        case UInt8(ascii: "/"): simple = "/"
        case UInt8(ascii: "b"): simple = "\u{08}"
        case UInt8(ascii: "f"): simple = "\u{0C}"
        case UInt8(ascii: "n"): simple = "\n"
        case UInt8(ascii: "r"): simple = "\r"
        case UInt8(ascii: "t"): simple = "\t"
        case UInt8(ascii: "u"): simple = nil
        default: throw failure("invalid escape sequence '\\\(describe(bytes[index + 1]))'")
        }
        if let simple {
            index += 2
            return simple
        }
        let first = try parseHexEscape()
        switch first {
        case 0xD800...0xDBFF:
            guard isAt("\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw JSONValue.SyntaxError(kind: .grammar, offset: start, message: "high surrogate \\u\(String(first, radix: 16, uppercase: true)) not followed by a low surrogate")
            }
            let second = try parseHexEscape()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw JSONValue.SyntaxError(kind: .grammar, offset: start, message: "high surrogate \\u\(String(first, radix: 16, uppercase: true)) not followed by a low surrogate")
            }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
        case 0xDC00...0xDFFF:
            throw JSONValue.SyntaxError(kind: .grammar, offset: start, message: "lone low surrogate \\u\(String(first, radix: 16, uppercase: true))")
        default:
            return Unicode.Scalar(first)!
        }
    }

    /// `\uXXXX` at `index`, as a code unit.
    private mutating func parseHexEscape() throws(JSONValue.SyntaxError) -> UInt32 {
        index += 2
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count, let digit = hexDigitValue(bytes[index]) else {
                throw failure("expected 4 hex digits after \\u, found \(describeCurrent())")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as written.
    private mutating func parseNumber() throws(JSONValue.SyntaxError) -> String {
        let start = index
        _ = consume("-")
        if consume("0") {
            if index < bytes.count, isDigit(bytes[index]) { throw failure("leading zero in number") }
        } else {
            try digits(after: "'-'")
        }
        if consume(".") { try digits(after: "'.'") }
        if consume("e") || consume("E") {
            if !consume("+") { _ = consume("-") }
            try digits(after: "the exponent")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func digits(after what: String) throws(JSONValue.SyntaxError) {
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("expected a digit after \(what), found \(describeCurrent())") }
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private mutating func expectWord(_ word: String) throws(JSONValue.SyntaxError) {
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else { throw failure("unexpected \(describeCurrent()), expected a value") }
        index += expected.count
    }

    private mutating func enterNesting() throws(JSONValue.SyntaxError) {
        guard depth < JSONValue.maximumDepth else { throw failure("nesting deeper than \(JSONValue.maximumDepth) levels") }
        depth += 1
    }

    /// RFC 8259 whitespace: space, tab, line feed, carriage return.
    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func isAt(_ scalar: Unicode.Scalar) -> Bool {
        index < bytes.count && bytes[index] == UInt8(ascii: scalar)
    }

    private mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard isAt(scalar) else { return false }
        index += 1
        return true
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(Unicode.Scalar(byte)) : byte.hexLiteral
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        return (0x21...0x7E).contains(byte) ? "'\(Unicode.Scalar(byte))'" : "byte \(byte.hexLiteral)"
    }

    private func failure(_ message: String) -> JSONValue.SyntaxError {
        // Outside strings JSON is ASCII, so a non-ASCII byte here is a grammar error unless it is
        // not even UTF-8, in which case the encoding is the better explanation.
        let isEncoding = index < bytes.count && bytes[index] >= 0x80 && UTF8Scan.sequenceLength(in: bytes, at: index) == nil
        return JSONValue.SyntaxError(kind: isEncoding ? .encoding : .grammar, offset: index, message: message)
    }
}
