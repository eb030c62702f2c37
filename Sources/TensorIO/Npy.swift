import AtomicIO
import Foundation

/// NumPy's `.npy` format: the magic `\x93NUMPY`, a version, a little-endian header length, a
/// Python dict literal describing the array, then the elements in C order.
///
/// Reads versions 1.0, 2.0 and 3.0 with dtypes `<f4`, `<f8`, `<i4`, `<i8`; writes the same
/// bytes `np.save` writes for such arrays (version 1.0 unless the header needs 2.0).
/// Any input either decodes or throws a one-line `FileFormatError`; none traps.
public enum Npy {
    /// `\x93NUMPY`.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// numpy pads the header so the data starts at a multiple of this, which lets it memory-map
    /// any dtype.
    static let alignment = 64

    /// Decodes a whole `.npy` file.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the file's path, used only in errors.
    /// - Throws: `FileFormatError` saying what is wrong and what was expected.
    public static func decode(_ data: Data, path: String) throws(FileFormatError) -> TypedArray {
        func failure(_ problem: String) -> FileFormatError { FileFormatError(path: path, problem: problem) }

        let prefix = [UInt8](data.prefix(12))
        guard prefix.starts(with: magic) else {
            throw failure("not a .npy file: expected the magic string \\x93NUMPY at the start")
        }
        guard prefix.count >= 8 else {
            throw failure("truncated header: the file ends after \(prefix.count) bytes, before the format version")
        }
        let (major, minor) = (prefix[6], prefix[7])
        let lengthFieldSize: Int
        switch (major, minor) {
        case (1, 0): lengthFieldSize = 2
        case (2, 0), (3, 0): lengthFieldSize = 4
        default: throw failure("unsupported .npy version \(major).\(minor); expected 1.0, 2.0 or 3.0")
        }
        let headerStart = 8 + lengthFieldSize
        guard prefix.count >= headerStart else {
            throw failure("truncated header: the file ends after \(prefix.count) bytes, inside the header length")
        }
        let headerLength = prefix[8..<headerStart].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard headerLength <= data.count - headerStart else {
            throw failure("header length \(headerLength) extends beyond the end of the \(data.count)-byte file")
        }
        let headerBytes = [UInt8](data.dropFirst(headerStart).prefix(headerLength))
        let header = try NpyHeader(parsing: headerBytes, isUTF8: major == 3, fileOffset: headerStart, path: path)

        let dataStart = headerStart + headerLength
        let shapeText = "shape \(NpyHeader.pythonTuple(header.shape)) of \(header.dtype.npyDescr)"
        guard let (count, byteCount) = header.dtype.sizes(of: header.shape) else {
            throw failure("\(shapeText) is too large: its size in bytes overflows")
        }
        let available = data.count - dataStart
        guard available == byteCount else {
            throw failure("data is \(available) bytes but \(shapeText) needs \(byteCount) bytes")
        }
        let storage = data.withUnsafeBytes { bytes in
            TypedArray.Storage(dtype: header.dtype, count: count, littleEndianBytes: UnsafeRawBufferPointer(rebasing: bytes[dataStart...]))
        }
        return TypedArray(shape: header.shape, storage: storage)
    }

    /// Encodes `array` as `np.save` would: version 1.0 when the header fits its 2-byte length,
    /// else 2.0; the header padded with spaces and a newline to a multiple of 64 bytes.
    public static func encode(_ array: TypedArray) -> Data {
        let literal = Array(NpyHeader.literal(dtype: array.dtype, shape: array.shape).utf8)
        var (version, lengthFieldSize): (UInt8, Int) = (1, 2)
        // The length counts the padding and the final newline too.
        var paddedLength = paddedHeaderLength(literal.count, lengthFieldSize: lengthFieldSize)
        if paddedLength > Int(UInt16.max) {
            (version, lengthFieldSize) = (2, 4)
            paddedLength = paddedHeaderLength(literal.count, lengthFieldSize: lengthFieldSize)
        }

        var data = Data(magic)
        data.append(contentsOf: [version, 0])
        data.append(contentsOf: (0..<lengthFieldSize).map { UInt8(truncatingIfNeeded: paddedLength >> (8 * $0)) })
        data.append(contentsOf: literal)
        data.append(contentsOf: repeatElement(UInt8(ascii: " "), count: paddedLength - literal.count - 1))
        data.append(UInt8(ascii: "\n"))
        array.storage.appendLittleEndianBytes(to: &data)
        return data
    }

    /// The header length numpy writes for a literal of `literalLength` bytes: at least one space
    /// and the newline, such that magic, version, length field and header end on a multiple of 64.
    /// (numpy adds a full 64 spaces when the unpadded header already ends on a boundary.)
    private static func paddedHeaderLength(_ literalLength: Int, lengthFieldSize: Int) -> Int {
        let unpadded = literalLength + 1
        let prefix = magic.count + 2 + lengthFieldSize
        return unpadded + alignment - (prefix + unpadded) % alignment
    }

    /// Reads and decodes the `.npy` file at `url`.
    /// - Throws: `FileFormatError` for a missing or unreadable file (with the system's reason)
    ///   or a malformed one.
    public static func read(_ url: URL) throws(FileFormatError) -> TypedArray {
        try decode(WholeFile.read(url), path: url.path)
    }

    /// Encodes `array` and writes it to `url` atomically: a reader sees the old file or the new one.
    public static func write(_ array: TypedArray, to url: URL) throws(FileFormatError) {
        try AtomicFile.write(encode(array), to: url)
    }
}
