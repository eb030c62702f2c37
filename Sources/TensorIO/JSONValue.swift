/// A JSON value as parsed by `JSONValue.parse`, a strict RFC 8259 parser written for the
/// safetensors header.
///
/// Object members keep their order and their duplicates — Foundation's `JSONSerialization`
/// silently keeps one of two equal keys, which would hide a duplicated tensor name.
/// Numbers keep their text, so a reader can tell `3` from `3.0` and exceed `Double`'s precision.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written, e.g. `-12`, `0.5`, `1e3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// Why and where a header is not JSON; `offset` counts bytes from the start of the input.
    struct SyntaxError: Error, Equatable {
        enum Kind: Equatable, Sendable {
            /// The bytes are not well-formed UTF-8.
            case encoding
            /// The text is UTF-8 but not JSON.
            case grammar
        }

        let kind: Kind
        let offset: Int
        let message: String
    }

    /// Deeper nesting is refused so that `[[[[…` cannot exhaust the stack of the recursive parser.
    static let maximumDepth = 64

    /// Parses `bytes` as exactly one JSON value, optionally surrounded by whitespace.
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    /// The value as a non-negative integer, when it is a number written as one (no sign,
    /// fraction or exponent) that fits in `Int`.
    var nonNegativeInteger: Int? {
        guard case .number(let text) = self, !text.isEmpty,
              text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int(text)
    }

    /// A short description of the value's kind and, for scalars, the value (cut to about 100
    /// characters, so a hostile header cannot make a huge message), for error messages.
    var summary: String {
        let full = switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .number(let text): text
        case .string(let text): JSONValue.quoted(text)
        case .array: "an array"
        case .object: "an object"
        }
        return full.count <= 100 ? full : full.prefix(100) + "…"
    }

    /// `text` as a JSON string literal: quotes, `\"`, `\\`, the short escapes for control
    /// characters that have one, `\u00XX` for the rest; everything else as UTF-8, as serde_json
    /// (the safetensors reference implementation) writes it.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\u{00}"..."\u{1F}":
                let digits = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}
