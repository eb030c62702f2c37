@testable import TensorIO
import Testing

/// The strict JSON parser behind the safetensors header: what RFC 8259 allows, what it does not,
/// and where errors point.
@Suite("IOTests: JSON")
struct JSONValueIOTests {
    private func parse(_ text: String) throws(JSONValue.SyntaxError) -> JSONValue {
        try JSONValue.parse(Array(text.utf8))
    }

    /// The error for `bytes`, or nil (recorded as a failure) when they parse.
    private func syntaxError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue.SyntaxError? {
        do {
            let value = try JSONValue.parse(bytes)
            Issue.record("expected a syntax error, parsed \(value)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    private func syntaxError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue.SyntaxError? {
        syntaxError(Array(text.utf8), sourceLocation: sourceLocation)
    }

    // MARK: Accepted

    @Test("scalars, arrays and objects")
    func values() throws {
        #expect(try parse("null") == .null)
        #expect(try parse(" true ") == .bool(true))
        #expect(try parse("\tfalse\r\n") == .bool(false))
        #expect(try parse(#""hi""#) == .string("hi"))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object([]))
        #expect(try parse(#"[1, "a", [null], {"k": false}]"#)
            == .array([.number("1"), .string("a"), .array([.null]), .object([("k", .bool(false))])]))
    }

    @Test("numbers keep their text", arguments: ["0", "-0", "12", "-3", "0.5", "1e10", "1E+2", "-2.5e-3", "123456789012345678901234567890"])
    func numbers(text: String) throws {
        #expect(try parse(text) == .number(text))
    }

    @Test("non-negative integers are read only from plain digits that fit")
    func nonNegativeInteger() throws {
        #expect(try parse("42").nonNegativeInteger == 42)
        #expect(try parse("0").nonNegativeInteger == 0)
        #expect(try parse("9223372036854775807").nonNegativeInteger == Int.max)
        for text in ["-1", "-0", "1.0", "1e2", "9223372036854775808", "\"1\"", "true"] {
            #expect(try parse(text).nonNegativeInteger == nil, "\(text)")
        }
    }

    @Test("every escape, including surrogate pairs")
    func escapes() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""\u0041\u00e9\u00E9\u4e2d""#) == .string("Aéé中"))
        #expect(try parse(#""\ud83d\ude00!""#) == .string("😀!"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try parse("\"é中😀\"") == .string("é中😀"))
    }

    @Test("object members keep their order and their duplicates")
    func duplicateKeys() throws {
        let value = try parse(#"{"b": 1, "a": 2, "b": 3}"#)
        #expect(value == .object([("b", .number("1")), ("a", .number("2")), ("b", .number("3"))]))
    }

    @Test("nesting up to the limit is accepted")
    func nestingLimit() throws {
        let depth = JSONValue.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        _ = try parse(text)
    }

    @Test("quoted strings parse back to themselves")
    func quotedRoundTrip() throws {
        let strings = ["", "plain", "quote\" backslash\\ slash/", "\u{0}\u{1}\u{1F}\u{7F}", "tab\tnewline\nreturn\r\u{08}\u{0C}", "é 中 😀 \u{10FFFF}"]
        for text in strings {
            #expect(try parse(JSONValue.quoted(text)) == .string(text))
        }
        #expect(JSONValue.quoted("a\"\n\u{01}é") == #""a\"\n\u0001é""#)
    }

    // MARK: Refused

    @Test("grammar errors with the offending byte's offset", arguments: [
        ("", 0),
        ("[1,]", 3),
        ("{\"a\":1,}", 7),
        ("[1 2]", 3),
        ("{\"a\" 1}", 5),
        ("{a: 1}", 1),
        ("{'a': 1}", 1),
        ("01", 1),
        ("1.", 2),
        (".5", 0),
        ("-", 1),
        ("+1", 0),
        ("1e", 2),
        ("tru", 0),
        ("True", 0),
        ("NaN", 0),
        ("[1] x", 4),
        ("[1] // comment", 4),
        ("\"abc", 0),
        ("\"a\u{01}\"", 2),
        ("\"tab\there\"", 4),
        (#""\x41""#, 1),
        (#""\u12G4""#, 5),
        (#""\ud83d""#, 1),
        (#""\ud83d\u0041""#, 1),
        (#""\ude00""#, 1),
        ("[\u{0C}]", 1),
    ])
    func grammarErrors(text: String, offset: Int) {
        let error = syntaxError(text)
        #expect(error?.kind == .grammar)
        #expect(error?.offset == offset, "\(error?.message ?? "")")
    }

    @Test("nesting beyond the limit is refused, not a stack overflow")
    func deepNesting() {
        let depth = JSONValue.maximumDepth
        let error = syntaxError(String(repeating: "[", count: 100_000))
        #expect(error?.offset == depth)
        #expect(error?.message.contains("nesting deeper than \(depth) levels") == true)
        #expect(syntaxError(String(repeating: "{\"a\":", count: depth + 1))?.message.contains("nesting") == true)
    }

    @Test("malformed UTF-8 is an encoding error at its first byte", arguments: [
        ([0x22, 0xFF, 0x22], 1),                   // never valid
        ([0x22, 0x61, 0x80, 0x22], 2),             // stray continuation byte
        ([0x22, 0xC0, 0x80, 0x22], 1),             // overlong NUL
        ([0x22, 0xE0, 0x80, 0x80, 0x22], 1),       // overlong 3-byte form
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),       // encoded surrogate U+D800
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1), // beyond U+10FFFF
        ([0x22, 0xE4, 0xB8, 0x22], 1),             // truncated sequence
        ([0x22, 0xC3], 1),                         // truncated at the end of input
        ([0x5B, 0xFF, 0x5D], 1),                   // outside a string
    ] as [([UInt8], Int)])
    func encodingErrors(bytes: [UInt8], offset: Int) {
        let error = syntaxError(bytes)
        #expect(error?.kind == .encoding)
        #expect(error?.offset == offset)
    }

    @Test("valid UTF-8 outside a string is a grammar error")
    func nonASCIIOutsideString() {
        #expect(syntaxError("[é]")?.kind == .grammar)
    }
}
