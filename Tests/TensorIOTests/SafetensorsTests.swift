import Foundation
import Recurrence
@testable import TensorIO
import TestSupport
import Testing

/// safetensors reading and writing: round trips, exact bytes, files written by the reference
/// implementation (see `Tests/Fixtures/io/make_io_fixtures.py`), one test per kind of malformed
/// header, and fuzzing.
@Suite("IOTests: Safetensors")
struct SafetensorsIOTests {
    // MARK: Round trips and layout

    @Test("encode then decode gives the same tensors and metadata")
    func roundTrip() throws {
        var tensors: [String: TypedArray] = [:]
        for dtype in DType.allCases {
            for shape in [[], [0], [5], [2, 3, 4]] {
                tensors["\(dtype)_\(shape.map(String.init).joined(separator: "x"))"] = .sample(dtype, shape: shape)
            }
        }
        let file = Safetensors(tensors: tensors, metadata: ["format": "pt", "note": "tab\t quote\" é 😀 \u{01}"])
        let data = file.encode()
        #expect(try Safetensors.decode(data, path: "r.safetensors") == file)
    }

    @Test("a file without tensors or metadata round-trips")
    func emptyFile() throws {
        let data = Safetensors().encode()
        #expect([UInt8](data) == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
        #expect(try Safetensors.decode(data, path: "e.safetensors") == Safetensors())
    }

    @Test("header is compact JSON in a fixed order, padded so the buffer starts 8-byte aligned")
    func exactHeader() throws {
        let file = Safetensors(
            tensors: ["b": TypedArray(shape: [2], storage: .float32([1, 2])),
                      "a": TypedArray(shape: [], storage: .int64([-1]))],
            metadata: ["z": "1", "k": "v\"\n"])
        let data = [UInt8](file.encode())
        let headerLength = Int(data[0])
        #expect(data[1..<8].allSatisfy { $0 == 0 })
        #expect((8 + headerLength) % 8 == 0)
        let header = String(decoding: data[8..<8 + headerLength], as: UTF8.self)
        let json = #"{"__metadata__":{"k":"v\"\n","z":"1"},"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#
        #expect(header == json + String(repeating: " ", count: headerLength - json.utf8.count))
        #expect(headerLength - json.utf8.count < 8)
        #expect(data.count == 8 + headerLength + 16)
    }

    @Test("the same content gives the same bytes whatever the insertion order")
    func deterministic() {
        let names = (0..<40).map { "t\($0)" }
        var forward = Safetensors()
        for name in names { forward.tensors[name] = .sample(.float32, shape: [2]) }
        var backward = Safetensors()
        for name in names.reversed() { backward.tensors[name] = .sample(.float32, shape: [2]) }
        forward.metadata = ["a": "1", "b": "2", "c": "3"]
        backward.metadata = ["c": "3", "b": "2", "a": "1"]
        #expect(forward.encode() == backward.encode())
    }

    @Test("write then read through a file")
    func fileRoundTrip() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-st-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let file = Safetensors(tensors: ["w": .sample(.float64, shape: [3, 2])], metadata: ["k": "v"])
        try file.write(to: url)
        #expect(try Safetensors.read(url) == file)
    }

    @Test("reading a missing file reports the system's reason")
    func missingFile() {
        let path = "/nonexistent-vanish-dir/missing.safetensors"
        expectFileFormatError(path: path, mentioning: "cannot open", "No such file") {
            try Safetensors.read(URL(fileURLWithPath: path))
        }
    }

    @Test("writing a tensor named __metadata__ is an error, not a corrupt file")
    func reservedName() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-st-\(UUID()).safetensors")
        let file = Safetensors(tensors: ["__metadata__": .sample(.int32, shape: [1])])
        expectFileFormatError(path: url.path, mentioning: "cannot be named __metadata__") { try file.write(to: url) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    // MARK: Files written by the reference implementation

    @Test("mixed dtypes, odd shapes and escaped metadata from safetensors.numpy")
    func referenceFile() throws {
        let file = try Safetensors.read(fixtureURL("io/mixed.safetensors"))
        #expect(file.metadata == ["format": "np", "note": "tanh \"RNN\" é\n"])
        #expect(file.tensors == [
            "weight_ih_l0": TypedArray(shape: [2, 3], storage: .float32([0.5, -1.25, 2.0, 3.0, -0.0, 1e-3])),
            "bias_ih_l0": TypedArray(shape: [3], storage: .float64([1.0, -2.0, 0.25])),
            "step": TypedArray(shape: [], storage: .int64([7])),
            "empty": TypedArray(shape: [0, 4], storage: .int32([])),
            "ids": TypedArray(shape: [2], storage: .int32([-3, .max])),
        ])
    }

    @Test("encoding gives the reference implementation's bytes when its layout order equals ours")
    func bytesMatchReference() throws {
        // With one dtype the reference orders tensors by name, as we do.
        let url = fixtureURL("io/f4_only.safetensors")
        let file = try Safetensors.read(url)
        #expect(file.tensors["a"] == TypedArray(shape: [3, 2], storage: .float32([0, 1, 2, 3, 4, 5])))
        #expect(file.encode() == (try Data(contentsOf: url)))
    }

    @Test("an unsupported dtype from the reference implementation names the tensor and dtype")
    func float16() {
        let url = fixtureURL("io/float16.safetensors")
        expectFileFormatError(path: url.path, mentioning: "tensor \"half\": dtype \"F16\" is not supported; expected one of F32, F64, I32, I64") {
            try Safetensors.read(url)
        }
    }

    @Test("other dtypes are refused", arguments: ["BF16", "F8_E4M3", "I8", "U8", "I16", "U32", "U64", "BOOL", "f32", ""])
    func otherDTypes(name: String) {
        let data = safetensorsFile(#"{"x":{"dtype":"\#(name)","shape":[1],"data_offsets":[0,4]}}"#, buffer: 4)
        expectFileFormatError(path: "d.st", mentioning: "tensor \"x\": dtype \"\(name)\" is not supported") {
            try Safetensors.decode(data, path: "d.st")
        }
    }

    // MARK: Malformed files

    @Test("file shorter than the 8-byte length")
    func tooShort() {
        for length in 0..<8 {
            expectFileFormatError(path: "s.st", mentioning: "file is \(length) bytes, shorter than the 8-byte header length") {
                try Safetensors.decode(Data(repeating: 0, count: length), path: "s.st")
            }
        }
    }

    @Test("header length beyond the end of the file")
    func headerBeyondFile() {
        let data = safetensorsFile("{}", declaredLength: 100)
        expectFileFormatError(path: "b.st", mentioning: "header length 100 extends beyond the end of the 10-byte file") {
            try Safetensors.decode(data, path: "b.st")
        }
    }

    @Test("header over 100 MB is refused before anything is read")
    func headerTooLarge() {
        for length: UInt64 in [100_000_001, 1 << 40, .max] {
            expectFileFormatError(path: "l.st", mentioning: "header length \(length) exceeds the 100 MB limit (100000000 bytes)") {
                try Safetensors.decode(safetensorsFile("{}", declaredLength: length), path: "l.st")
            }
        }
    }

    @Test("header that is not UTF-8 says at which byte")
    func invalidUTF8() {
        // 0xFF is the header's 7th byte, so at file offset 8 + 6.
        let data = safetensorsFile(Array(#"{"__me"#.utf8) + [0xFF] + Array(#"":{}}"#.utf8))
        expectFileFormatError(path: "u.st", mentioning: "header is not valid UTF-8", "0xFF", "at file offset 14") {
            try Safetensors.decode(data, path: "u.st")
        }
    }

    @Test("header that is not JSON says what and where", arguments: [
        (#"{"a": }"#, "at file offset 14"),
        (#"{"a":{},}"#, "at file offset 16"),
        ("", "at file offset 8"),
        (#"{"a":{}} x"#, "at file offset 17"),
    ])
    func invalidJSON(header: String, fragment: String) {
        expectFileFormatError(path: "j.st", mentioning: "header is not valid JSON", fragment) {
            try Safetensors.decode(safetensorsFile(header), path: "j.st")
        }
    }

    @Test("header that is JSON but not an object")
    func notAnObject() {
        expectFileFormatError(path: "o.st", mentioning: "header is not a JSON object but an array") {
            try Safetensors.decode(safetensorsFile("[1]"), path: "o.st")
        }
    }

    @Test("tensor entry missing a field or with a field of the wrong type", arguments: [
        (#"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, #"tensor "w": missing dtype"#),
        (#"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, #"tensor "w": missing shape"#),
        (#"{"w":{"dtype":"F32","shape":[1]}}"#, #"tensor "w": missing data_offsets"#),
        (#"{"w":[1]}"#, #"tensor "w": entry must be an object with dtype, shape and data_offsets, found an array"#),
        (#"{"w":{"dtype":5,"shape":[1],"data_offsets":[0,4]}}"#, #"tensor "w": dtype must be a string like "F32", found 5"#),
        (#"{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}"#, #"tensor "w": shape must be an array of non-negative integers, found "1""#),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, #"tensor "w": data_offsets must be [begin, end] with non-negative integers, found [0]"#),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, "data_offsets must be [begin, end]"),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":null}}"#, "data_offsets must be [begin, end] with non-negative integers, found null"),
    ])
    func badEntry(header: String, fragment: String) {
        expectFileFormatError(path: "e.st", mentioning: fragment) {
            try Safetensors.decode(safetensorsFile(header, buffer: 4), path: "e.st")
        }
    }

    @Test("negative, fractional, exponent and oversized numbers where integers are expected", arguments: [
        #""shape":[-1],"data_offsets":[0,4]"#,
        #""shape":[1.0],"data_offsets":[0,4]"#,
        #""shape":[1e0],"data_offsets":[0,4]"#,
        #""shape":[1],"data_offsets":[-0,4]"#,
        #""shape":[1],"data_offsets":[0,4.5]"#,
        #""shape":[1],"data_offsets":[0,99999999999999999999]"#,
        #""shape":[true],"data_offsets":[0,4]"#,
    ])
    func nonIntegers(fields: String) {
        let data = safetensorsFile(#"{"w":{"dtype":"F32",\#(fields)}}"#, buffer: 4)
        expectFileFormatError(path: "n.st", mentioning: #"tensor "w": "#, "non-negative integers") {
            try Safetensors.decode(data, path: "n.st")
        }
    }

    @Test("shape whose byte size overflows")
    func shapeOverflow() throws {
        let data = safetensorsFile(#"{"w":{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#)
        expectFileFormatError(path: "o.st", mentioning: #"tensor "w": shape [4611686018427387904, 4] of F64 is too large"#) {
            try Safetensors.decode(data, path: "o.st")
        }
        // A zero dimension makes the tensor empty wherever it stands, however large the others.
        let zeroLast = safetensorsFile(#"{"w":{"dtype":"F64","shape":[4611686018427387904,4,0],"data_offsets":[0,0]}}"#)
        #expect(try Safetensors.decode(zeroLast, path: "o.st").tensors["w"]?.elementCount == 0)
        let zeroFirst = safetensorsFile(#"{"w":{"dtype":"F64","shape":[0,4611686018427387904,4],"data_offsets":[0,0]}}"#)
        #expect(try Safetensors.decode(zeroFirst, path: "o.st").tensors["w"]?.elementCount == 0)
    }

    @Test("duplicate tensor names, entry keys, metadata keys and __metadata__")
    func duplicates() {
        let tensor = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        expectFileFormatError(path: "d.st", mentioning: #"duplicate tensor name "w""#) {
            try Safetensors.decode(safetensorsFile(#"{"w":\#(tensor),"w":\#(tensor)}"#, buffer: 4), path: "d.st")
        }
        expectFileFormatError(path: "d.st", mentioning: #"tensor "w": duplicate key "shape""#) {
            try Safetensors.decode(safetensorsFile(#"{"w":{"dtype":"F32","shape":[1],"shape":[1],"data_offsets":[0,4]}}"#, buffer: 4), path: "d.st")
        }
        expectFileFormatError(path: "d.st", mentioning: #"duplicate key "k" in __metadata__"#) {
            try Safetensors.decode(safetensorsFile(#"{"__metadata__":{"k":"1","k":"2"}}"#), path: "d.st")
        }
        expectFileFormatError(path: "d.st", mentioning: "duplicate __metadata__") {
            try Safetensors.decode(safetensorsFile(#"{"__metadata__":{},"__metadata__":{}}"#), path: "d.st")
        }
    }

    @Test("metadata must be an object of strings")
    func metadataTypes() throws {
        expectFileFormatError(path: "m.st", mentioning: #"__metadata__ value for "n" must be a string, found 1"#) {
            try Safetensors.decode(safetensorsFile(#"{"__metadata__":{"n":1}}"#), path: "m.st")
        }
        expectFileFormatError(path: "m.st", mentioning: "__metadata__ must be an object of strings, found an array") {
            try Safetensors.decode(safetensorsFile(#"{"__metadata__":["a"]}"#), path: "m.st")
        }
        // The reference reads null as no metadata, so this reader does too.
        #expect(try Safetensors.decode(safetensorsFile(#"{"__metadata__":null}"#), path: "m.st") == Safetensors())
    }

    @Test("offsets that begin after they end")
    func beginAfterEnd() {
        let data = safetensorsFile(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, buffer: 8)
        expectFileFormatError(path: "o.st", mentioning: #"tensor "w": data_offsets [8, 4] begin after their end"#) {
            try Safetensors.decode(data, path: "o.st")
        }
    }

    @Test("shape and dtype that do not match the offsets' span")
    func sizeMismatch() {
        let data = safetensorsFile(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#, buffer: 20)
        expectFileFormatError(path: "s.st", mentioning: #"tensor "w": shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] span 20"#) {
            try Safetensors.decode(data, path: "s.st")
        }
    }

    @Test("offsets beyond the data buffer")
    func beyondBuffer() {
        let data = safetensorsFile(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, buffer: 4)
        expectFileFormatError(path: "b.st", mentioning: #"tensor "w": data_offsets [0, 8] extend beyond the 4-byte data buffer"#) {
            try Safetensors.decode(data, path: "b.st")
        }
    }

    @Test("overlapping tensors")
    func overlap() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectFileFormatError(path: "o.st", mentioning: #"tensor "b" (data_offsets [4, 12]) overlaps tensor "a" (data_offsets [0, 8])"#) {
            try Safetensors.decode(safetensorsFile(header, buffer: 12), path: "o.st")
        }
        // The same range twice is an overlap too, as is an empty tensor inside another.
        let twice = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#
        expectFileFormatError(path: "o.st", mentioning: "overlaps") { try Safetensors.decode(safetensorsFile(twice, buffer: 4), path: "o.st") }
        let inside = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}"#
        expectFileFormatError(path: "o.st", mentioning: "overlaps") { try Safetensors.decode(safetensorsFile(inside, buffer: 8), path: "o.st") }
    }

    @Test("a hole between tensors")
    func hole() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        expectFileFormatError(path: "h.st", mentioning: #"bytes 4..<8 of the data buffer belong to no tensor (a hole before tensor "b")"#) {
            try Safetensors.decode(safetensorsFile(header, buffer: 12), path: "h.st")
        }
    }

    @Test("bytes after the last tensor")
    func trailingBytes() {
        let data = safetensorsFile(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, buffer: 6)
        expectFileFormatError(path: "t.st", mentioning: #"bytes 4..<6 of the data buffer belong to no tensor (trailing bytes after tensor "w")"#) {
            try Safetensors.decode(data, path: "t.st")
        }
        expectFileFormatError(path: "t.st", mentioning: "bytes 0..<3", "trailing bytes") {
            try Safetensors.decode(safetensorsFile("{}", buffer: 3), path: "t.st")
        }
    }

    @Test("tensors listed out of offset order, empty tensors, padding and unknown entry keys decode")
    func lenientForms() throws {
        let header = #"{"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]},"e":{"dtype":"F64","shape":[0,2],"data_offsets":[8,8]},"#
            + #""a":{"data_offsets":[0,4],"shape":[],"dtype":"F32","extra":{"x":[null]}}}"# + "   \n "
        var buffer = [UInt8]()
        withUnsafeBytes(of: Float(1.5)) { buffer += $0 }
        withUnsafeBytes(of: Int32(-9)) { buffer += $0 }
        let file = try Safetensors.decode(safetensorsFile(Array(header.utf8), bytes: buffer), path: "ok.st")
        #expect(file.tensors == [
            "a": TypedArray(shape: [], storage: .float32([1.5])),
            "b": TypedArray(shape: [1], storage: .int32([-9])),
            "e": TypedArray(shape: [0, 2], storage: .float64([])),
        ])
    }

    @Test("tensors at unaligned offsets decode")
    func unalignedData() throws {
        let header = #"{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F64","shape":[1],"data_offsets":[4,12]}}"#
        // An odd header length puts the buffer, and so both tensors, at odd file offsets.
        var buffer = [UInt8]()
        withUnsafeBytes(of: Int32(77)) { buffer += $0 }
        withUnsafeBytes(of: Double(-0.125)) { buffer += $0 }
        let data = Data([9]) + safetensorsFile(Array((header + " ").utf8), bytes: buffer)
        let file = try Safetensors.decode(data.dropFirst(), path: "u.st")
        #expect(file.tensors["a"] == TypedArray(shape: [1], storage: .int32([77])))
        #expect(file.tensors["b"] == TypedArray(shape: [1], storage: .float64([-0.125])))
    }

    // MARK: Fuzzing

    @Test("random truncations, byte changes and header lengths never trap")
    func fuzz() throws {
        let original = [UInt8](try Data(contentsOf: fixtureURL("io/mixed.safetensors")))
        for length in 0...original.count {
            _ = try? Safetensors.decode(Data(original[..<length]), path: "fuzz.st")
        }
        let headerEnd = 8 + Int(original[0]) + Int(original[1]) << 8
        var generator = SeededGenerator(seed: 7)
        var decodedCount = 0
        for round in 0..<20_000 {
            var mutated = original
            if round % 10 == 0 {
                // A random header length, mostly near the true one.
                let length = generator.next() % 2 == 0 ? UInt64(Int.random(in: 0..<original.count, using: &generator)) : generator.next()
                mutated.replaceSubrange(0..<8, with: (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) })
            }
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 8..<(generator.next() % 4 == 0 ? mutated.count : headerEnd), using: &generator)
                mutated[index] = Self.interestingBytes.randomElement(using: &generator)!
            }
            if generator.next() % 8 == 0 {
                mutated.removeLast(Int.random(in: 0..<mutated.count, using: &generator))
            }
            do {
                _ = try Safetensors.decode(Data(mutated), path: "fuzz.st")
                decodedCount += 1
            } catch {
                #expect(error.path == "fuzz.st")
                #expect(!error.problem.contains("\n"))
            }
        }
        #expect(decodedCount > 0)
    }

    /// Bytes that a JSON parser treats specially, plus arbitrary ones.
    static let interestingBytes: [UInt8] = Array(#"{}[],:"\ 0123456789-.eEFI_nulltrue"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
}

/// A safetensors file built by hand: the header's length (or `declaredLength`) as 8
/// little-endian bytes, the header as given (not padded), then `bytes`.
private func safetensorsFile(_ header: [UInt8], bytes: [UInt8] = [], declaredLength: UInt64? = nil) -> Data {
    let length = declaredLength ?? UInt64(header.count)
    return Data((0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + header + bytes)
}

/// As above, with a textual header and a buffer of `buffer` zero bytes.
private func safetensorsFile(_ header: String, buffer: Int = 0, declaredLength: UInt64? = nil) -> Data {
    safetensorsFile(Array(header.utf8), bytes: Array(repeating: 0, count: buffer), declaredLength: declaredLength)
}
