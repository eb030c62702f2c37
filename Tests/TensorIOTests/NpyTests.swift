import AtomicIO
import Foundation
import Recurrence
@testable import TensorIO
import TestSupport
import Testing

/// `.npy` reading and writing: round trips, files written by NumPy (see
/// `Tests/Fixtures/io/make_io_fixtures.py`), headers built by hand, and one test per kind of
/// malformed file.
@Suite("IOTests: Npy")
struct NpyIOTests {
    static let shapes: [[Int]] = [[], [0], [5], [2, 3, 4]]

    // MARK: Round trips and layout

    @Test("encode then decode gives the same array", arguments: DType.allCases, shapes)
    func roundTrip(dtype: DType, shape: [Int]) throws {
        let array = TypedArray.sample(dtype, shape: shape)
        let data = Npy.encode(array)
        #expect(try Npy.decode(data, path: "memory.npy") == array)
    }

    @Test("the header ends in a newline on a 64-byte boundary", arguments: DType.allCases, shapes)
    func headerAlignment(dtype: DType, shape: [Int]) {
        let array = TypedArray.sample(dtype, shape: shape)
        let data = [UInt8](Npy.encode(array))
        let headerEnd = data.count - array.elementCount * dtype.byteSize
        #expect(headerEnd % 64 == 0)
        #expect(data[headerEnd - 1] == UInt8(ascii: "\n"))
        #expect(Array(data[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        #expect(Int(data[8]) | Int(data[9]) << 8 == headerEnd - 10)
    }

    @Test("a header too long for version 1.0 is written as version 2.0")
    func version2WhenHeaderIsLong() throws {
        // 20,000 dimensions of 1 make a shape tuple of about 60,000 characters.
        let array = TypedArray(shape: Array(repeating: 1, count: 22_000), storage: .int32([42]))
        let data = [UInt8](Npy.encode(array))
        #expect(data[6] == 2)
        let headerLength = (0..<4).reduce(0) { $0 | Int(data[8 + $1]) << (8 * $1) }
        #expect(headerLength > 65535)
        #expect((12 + headerLength) % 64 == 0)
        #expect(try Npy.decode(Data(data), path: "long.npy") == array)
    }

    @Test("encoding gives the bytes np.save wrote", arguments: ["f4_2x3.npy", "f8_scalar.npy", "i8_5.npy", "i4_2x0.npy"])
    func bytesMatchNumPy(name: String) throws {
        let url = fixtureURL("io/\(name)")
        let original = try Data(contentsOf: url)
        #expect(Npy.encode(try Npy.read(url)) == original)
    }

    @Test("write then read through a file")
    func fileRoundTrip() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-npy-\(UUID()).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        let array = TypedArray.sample(.float64, shape: [3, 2])
        try Npy.write(array, to: url)
        #expect(try Npy.read(url) == array)
    }

    @Test("reading a missing file or a directory reports the system's reason")
    func unreadableFile() {
        let path = "/nonexistent-vanish-dir/missing.npy"
        expectFileFormatError(path: path, mentioning: "cannot open", "No such file") {
            try Npy.read(URL(fileURLWithPath: path))
        }
        let directory = FileManager.default.temporaryDirectory
        expectFileFormatError(path: directory.path, mentioning: "Is a directory") { try Npy.read(directory) }
    }

    // MARK: Files written by NumPy

    @Test("float32 2×3 from NumPy")
    func numpyFloat32() throws {
        let array = try Npy.read(fixtureURL("io/f4_2x3.npy"))
        #expect(array.shape == [2, 3])
        guard case .float32(let values) = array.storage else { Issue.record("dtype \(array.dtype)"); return }
        #expect(values == [0.5, -1.25, 2.0, 3.0, -0.0, 1e-3])
        #expect(values[4].sign == .minus)
    }

    @Test("float64 scalar from NumPy has shape () and one element")
    func numpyScalar() throws {
        let array = try Npy.read(fixtureURL("io/f8_scalar.npy"))
        #expect(array == TypedArray(shape: [], storage: .float64([3.141592653589793])))
    }

    @Test("int64 vector from NumPy")
    func numpyInt64() throws {
        let array = try Npy.read(fixtureURL("io/i8_5.npy"))
        #expect(array == TypedArray(shape: [5], storage: .int64([-2, -1, 0, 1, 1 << 40])))
    }

    @Test("empty int32 2×0 from NumPy")
    func numpyEmpty() throws {
        let array = try Npy.read(fixtureURL("io/i4_2x0.npy"))
        #expect(array == TypedArray(shape: [2, 0], storage: .int32([])))
    }

    @Test("version 2.0 file from NumPy")
    func numpyVersion2() throws {
        let array = try Npy.read(fixtureURL("io/f8_v2.npy"))
        #expect(array == TypedArray(shape: [1, 2], storage: .float64([1.5, -2.5])))
    }

    // MARK: Headers built by hand

    @Test("version 3.0 header is read as UTF-8")
    func version3() throws {
        let header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n"
        let data = npyFile(version: 3, header: header, payload: bytes([Int32(7), -8]))
        #expect(try Npy.decode(data, path: "v3.npy") == TypedArray(shape: [2], storage: .int32([7, -8])))

        // The é is two UTF-8 bytes in version 3.0 and comes back as one character.
        let accented = npyFile(version: 3, header: "{'descr': '<f4é', 'fortran_order': False, 'shape': (), }")
        expectFileFormatError(path: "v3.npy", mentioning: "dtype '<f4é' is not supported") {
            try Npy.decode(accented, path: "v3.npy")
        }
    }

    @Test("version 1.0 and 2.0 headers are Latin-1")
    func latin1() {
        let header: [UInt8] = Array("{'descr': '<f4".utf8) + [0xE9] + Array("', 'fortran_order': False, 'shape': (), }".utf8)
        for version: UInt8 in [1, 2] {
            expectFileFormatError(path: "l1.npy", mentioning: "dtype '<f4é' is not supported") {
                try Npy.decode(npyFile(version: version, header: header), path: "l1.npy")
            }
        }
    }

    @Test("keys in any order, double quotes, no trailing comma, extra whitespace")
    func headerVariants() throws {
        let header = "{ \"shape\" : ( 3 , ) ,\n\t\"fortran_order\": False, \"descr\": \"<f8\"}   \n"
        let data = npyFile(version: 1, header: header, payload: bytes([1.0, 2.0, 3.0]))
        #expect(try Npy.decode(data, path: "v.npy") == TypedArray(shape: [3], storage: .float64([1, 2, 3])))
    }

    @Test("Fortran order with one long dimension has the same bytes as C order and is accepted")
    func fortranOrderVector() throws {
        let data = npyFile(version: 1, header: "{'descr': '<i8', 'fortran_order': True, 'shape': (1, 2, 1), }",
                           payload: bytes([Int64(5), 6]))
        #expect(try Npy.decode(data, path: "f.npy") == TypedArray(shape: [1, 2, 1], storage: .int64([5, 6])))
    }

    @Test("the header parser reads the Python literal forms")
    func literalForms() throws {
        let literal = try PythonLiteral.parse(Array("{'a': (1, -2), \"b\": [True, False, None], 'c': (7), 'd': 'it\\'s', }".utf8), isUTF8: true)
        #expect(literal.pythonDescription == #"{'a': (1, -2), 'b': [True, False, None], 'c': 7, 'd': 'it\'s'}"#)
    }

    // MARK: Malformed files

    @Test("bad magic")
    func badMagic() {
        var data = Npy.encode(.sample(.float32, shape: [2]))
        data[1] = UInt8(ascii: "X")
        expectFileFormatError(path: "m.npy", mentioning: "not a .npy file", "magic") { try Npy.decode(data, path: "m.npy") }
        expectFileFormatError(path: "e.npy", mentioning: "magic") { try Npy.decode(Data(), path: "e.npy") }
    }

    @Test("unsupported version")
    func unsupportedVersion() {
        for (major, minor): (UInt8, UInt8) in [(4, 0), (1, 1), (0, 0)] {
            var data = Npy.encode(.sample(.float32, shape: [2]))
            data[6] = major
            data[7] = minor
            expectFileFormatError(path: "v.npy", mentioning: "unsupported .npy version \(major).\(minor)", "expected 1.0, 2.0 or 3.0") {
                try Npy.decode(data, path: "v.npy")
            }
        }
    }

    @Test("file ends inside the magic, version or header length")
    func truncatedHeader() {
        let data = Npy.encode(.sample(.float32, shape: [2]))
        for length in [7, 8, 9] {
            expectFileFormatError(path: "t.npy", mentioning: "truncated header") { try Npy.decode(data.prefix(length), path: "t.npy") }
        }
        let version2 = npyFile(version: 2, header: "{}").prefix(10)
        expectFileFormatError(path: "t.npy", mentioning: "truncated header") { try Npy.decode(version2, path: "t.npy") }
    }

    @Test("header length beyond the end of the file")
    func headerLengthBeyondFile() {
        let data = Npy.encode(.sample(.float32, shape: [2]))
        expectFileFormatError(path: "h.npy", mentioning: "header length 118 extends beyond the end of the 100-byte file") {
            try Npy.decode(data.prefix(100), path: "h.npy")
        }
        var huge = npyFile(version: 2, header: "{}")
        huge.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0xFF])
        expectFileFormatError(path: "h.npy", mentioning: "header length 4294967295 extends beyond") { try Npy.decode(huge, path: "h.npy") }
    }

    @Test("malformed header literal", arguments: [
        ("{'descr': '<f4' 'fortran_order': False, 'shape': (2,), }", "expected ',' or '}'"),
        ("{'descr': '<f4, 'fortran_order': False, 'shape': (2,), }", "expected ',' or '}'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ", "found end of header"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,,), }", "unexpected ','"),
        ("{'descr': '<f4', 'fortran_order': false, 'shape': (2,), }", "unexpected name 'false'"),
        ("{'descr': __import__('os'), 'fortran_order': False, 'shape': (2,), }", "unexpected name '__import__'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (02,), }", "leading zeros"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", "too large"),
        ("{'descr': '<f4\n', 'fortran_order': False, 'shape': (2,), }", "unterminated string"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } x", "after the literal"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 5: 1}", "expected a quoted key"),
        ("(" + String(repeating: "(", count: 100) + ")", "nesting deeper"),
        ("[1, 2]", "expected a Python dict"),
        ("", "unexpected end"),
    ])
    func malformedLiteral(header: String, fragment: String) {
        expectFileFormatError(path: "l.npy", mentioning: "malformed header", fragment) {
            try Npy.decode(npyFile(version: 1, header: header), path: "l.npy")
        }
    }

    @Test("syntax errors point at the file offset")
    func syntaxErrorOffset() {
        // The header starts at offset 10; the stray quote is its 2nd byte.
        expectFileFormatError(path: "o.npy", mentioning: "at file offset 11") {
            try Npy.decode(npyFile(version: 1, header: "{)"), path: "o.npy")
        }
    }

    @Test("missing, unexpected and duplicate keys")
    func keys() {
        expectFileFormatError(path: "k.npy", mentioning: "no 'shape' key", "expected keys 'descr', 'fortran_order' and 'shape'") {
            try Npy.decode(npyFile(version: 1, header: "{'descr': '<f4', 'fortran_order': False}"), path: "k.npy")
        }
        expectFileFormatError(path: "k.npy", mentioning: "no 'descr' key") {
            try Npy.decode(npyFile(version: 1, header: "{}"), path: "k.npy")
        }
        expectFileFormatError(path: "k.npy", mentioning: "unexpected key 'order'") {
            try Npy.decode(npyFile(version: 1, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'order': 1}"), path: "k.npy")
        }
        expectFileFormatError(path: "k.npy", mentioning: "duplicate key 'shape'") {
            try Npy.decode(npyFile(version: 1, header: "{'descr': '<f4', 'shape': (), 'fortran_order': False, 'shape': ()}"), path: "k.npy")
        }
    }

    @Test("Fortran-order file from NumPy is refused")
    func fortranOrder() {
        let url = fixtureURL("io/fortran.npy")
        expectFileFormatError(path: url.path, mentioning: "Fortran order is not supported; save with np.ascontiguousarray") {
            try Npy.read(url)
        }
    }

    @Test("big-endian file from NumPy is refused")
    func bigEndian() {
        let url = fixtureURL("io/bigendian.npy")
        expectFileFormatError(path: url.path, mentioning: "big-endian dtype '>f4' is not supported") { try Npy.read(url) }
    }

    @Test("object array from NumPy is refused")
    func objectArray() {
        let url = fixtureURL("io/object.npy")
        expectFileFormatError(path: url.path, mentioning: "dtype '|O' is not supported; expected one of <f4, <f8, <i4, <i8") {
            try Npy.read(url)
        }
    }

    @Test("other dtypes are refused", arguments: ["<f2", "|u1", "|b1", "<c8", "<U3", "=f4", "f4", "<i2"])
    func otherDTypes(descr: String) {
        let data = npyFile(version: 1, header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (), }")
        expectFileFormatError(path: "d.npy", mentioning: "dtype '\(descr)' is not supported; expected one of <f4, <f8, <i4, <i8") {
            try Npy.decode(data, path: "d.npy")
        }
    }

    @Test("escaped control characters and huge values stay on one short line in messages")
    func messagesStayShort() {
        let escaped = npyFile(version: 1, header: #"{'descr': '<f4\n\x', 'fortran_order': False, 'shape': (), }"#)
        expectFileFormatError(path: "c.npy", mentioning: "unsupported escape") { try Npy.decode(escaped, path: "c.npy") }
        let newline = npyFile(version: 1, header: #"{'descr': '<f4\n', 'fortran_order': False, 'shape': (), }"#)
        expectFileFormatError(path: "c.npy", mentioning: #"dtype '<f4\n' is not supported"#) { try Npy.decode(newline, path: "c.npy") }
        let long = npyFile(version: 1, header: "{'descr': '<f4', 'fortran_order': False, 'shape': [\(String(repeating: "1, ", count: 10_000))], }")
        let error = expectFileFormatError(path: "c.npy", mentioning: "shape must be a tuple", "…") { try Npy.decode(long, path: "c.npy") }
        #expect((error?.problem.count ?? 0) < 200)
    }

    @Test("structured dtypes and non-string descr are refused")
    func structuredDType() {
        expectFileFormatError(path: "s.npy", mentioning: "structured dtype [('x', '<f4')] is not supported") {
            try Npy.decode(npyFile(version: 1, header: "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (), }"), path: "s.npy")
        }
        expectFileFormatError(path: "s.npy", mentioning: "descr must be a dtype string") {
            try Npy.decode(npyFile(version: 1, header: "{'descr': 4, 'fortran_order': False, 'shape': (), }"), path: "s.npy")
        }
    }

    @Test("fortran_order must be a bool")
    func fortranOrderType() {
        expectFileFormatError(path: "b.npy", mentioning: "fortran_order must be True or False, found 0") {
            try Npy.decode(npyFile(version: 1, header: "{'descr': '<f4', 'fortran_order': 0, 'shape': (), }"), path: "b.npy")
        }
    }

    @Test("shape must be a tuple of non-negative integers whose size fits")
    func badShapes() throws {
        func decode(_ shape: String) throws(FileFormatError) -> TypedArray {
            try Npy.decode(npyFile(version: 1, header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }"), path: "s.npy")
        }
        expectFileFormatError(path: "s.npy", mentioning: "shape (2, -1) has a negative dimension") { try decode("(2, -1)") }
        expectFileFormatError(path: "s.npy", mentioning: "shape must be a tuple of integers", "found [2, 3]") { try decode("[2, 3]") }
        expectFileFormatError(path: "s.npy", mentioning: "found (2, '3')") { try decode("(2, '3')") }
        expectFileFormatError(path: "s.npy", mentioning: "found 5") { try decode("(5)") }
        expectFileFormatError(path: "s.npy", mentioning: "shape (4611686018427387904, 4) of <f8 is too large") {
            try decode("(4611686018427387904, 4)")
        }
        expectFileFormatError(path: "s.npy", mentioning: "shape (2305843009213693952,) of <f8 is too large") {
            try decode("(2305843009213693952,)")
        }
        // A zero dimension makes the array empty wherever it stands, however large the others.
        #expect(try decode("(4611686018427387904, 4, 0)").elementCount == 0)
        #expect(try decode("(0, 4611686018427387904, 4)").elementCount == 0)
    }

    @Test("data shorter or longer than the shape needs")
    func dataLength() {
        let data = Npy.encode(.sample(.float32, shape: [2, 3]))
        expectFileFormatError(path: "d.npy", mentioning: "data is 20 bytes but shape (2, 3) of <f4 needs 24 bytes") {
            try Npy.decode(data.dropLast(4), path: "d.npy")
        }
        expectFileFormatError(path: "d.npy", mentioning: "data is 25 bytes but shape (2, 3) of <f4 needs 24 bytes") {
            try Npy.decode(data + [0], path: "d.npy")
        }
    }

    @Test("data at an odd offset of an unaligned buffer decodes")
    func unalignedInput() throws {
        let array = TypedArray.sample(.float64, shape: [7])
        // A slice starting at index 3 of a larger buffer puts the elements on odd addresses.
        let padded = Data([1, 2, 3]) + Npy.encode(array)
        #expect(try Npy.decode(padded.dropFirst(3), path: "u.npy") == array)
    }

    // MARK: Fuzzing

    @Test("random truncations and byte changes never trap")
    func fuzz() throws {
        let original = [UInt8](try Data(contentsOf: fixtureURL("io/f4_2x3.npy")))
        for length in 0...original.count {
            _ = try? Npy.decode(Data(original[..<length]), path: "fuzz.npy")
        }
        var generator = SeededGenerator(seed: 2024)
        var decodedCount = 0
        for _ in 0..<20_000 {
            var mutated = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                // Mostly the header, where the parser is.
                let index = Int.random(in: 0..<(generator.next() % 4 == 0 ? mutated.count : 128), using: &generator)
                mutated[index] = Self.interestingBytes.randomElement(using: &generator)!
            }
            do {
                _ = try Npy.decode(Data(mutated), path: "fuzz.npy")
                decodedCount += 1
            } catch {
                #expect(error.path == "fuzz.npy")
            }
        }
        #expect(decodedCount > 0)
    }

    /// Bytes that a header parser treats specially, plus arbitrary ones.
    static let interestingBytes: [UInt8] = Array("{}()[],:'\"\\ \n-0123456789TFN<>|fi".utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xE9, 0xFF]
}

/// A `.npy` file built by hand: magic, version `major`.0, little-endian header length (2 bytes
/// for 1.0, else 4), the header bytes as given, then the payload.
private func npyFile(version major: UInt8, header: [UInt8], payload: [UInt8] = []) -> Data {
    var data = Data([0x93] + Array("NUMPY".utf8) + [major, 0])
    let lengthSize = major == 1 ? 2 : 4
    data.append(contentsOf: (0..<lengthSize).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) })
    return data + header + payload
}

private func npyFile(version major: UInt8, header: String, payload: [UInt8] = []) -> Data {
    npyFile(version: major, header: Array(header.utf8), payload: payload)
}

/// The values' bytes in memory order (little-endian on every supported host).
private func bytes<T: BitwiseCopyable>(_ values: [T]) -> [UInt8] {
    values.withUnsafeBytes { Array($0) }
}
