import AtomicIO
import Foundation

/// A safetensors file: named tensors and optional string metadata.
///
/// On disk: an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each tensor
/// name to `{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}` (offsets into the
/// byte buffer that follows) plus an optional `"__metadata__"` object of strings, then the buffer.
/// Reads and writes dtypes F32, F64, I32 and I64. Decoding checks everything the reference
/// implementation checks (see `Safetensors+Decode.swift`); any input either decodes or throws a
/// one-line `FileFormatError`, none traps.
public struct Safetensors: Equatable, Sendable {
    public var tensors: [String: TypedArray]
    public var metadata: [String: String]

    /// The header key that holds metadata rather than a tensor; no tensor may be named so.
    static let metadataKey = "__metadata__"

    public init(tensors: [String: TypedArray] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Encodes the file deterministically: the same content gives the same bytes.
    ///
    /// Tensors are laid out in the order of their names' UTF-8 bytes, back to back from offset 0;
    /// the header is compact JSON with `__metadata__` first (only when non-empty, keys sorted)
    /// and each entry's keys in the order dtype, shape, data_offsets; the header is padded with
    /// spaces so the buffer starts at a multiple of 8 bytes, as the reference implementation does.
    /// - Precondition: no tensor is named `__metadata__` (`write(to:)` reports that as an error).
    public func encode() -> Data {
        precondition(tensors[Self.metadataKey] == nil, "a safetensors tensor cannot be named \(Self.metadataKey)")
        let ordered = tensors.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }

        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { JSONValue.quoted($0.key) + ":" + JSONValue.quoted($0.value) }
            entries.append(JSONValue.quoted(Self.metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, tensor) in ordered {
            let end = offset + tensor.storage.byteCount
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(JSONValue.quoted(name)
                + ":{\"dtype\":\"\(tensor.dtype.safetensorsName)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        var data = Data(capacity: 8 + header.count + offset)
        data.append(contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * $0)) })
        data.append(contentsOf: header)
        for (_, tensor) in ordered {
            tensor.storage.appendLittleEndianBytes(to: &data)
        }
        return data
    }

    /// Reads and decodes the safetensors file at `url`.
    /// - Throws: `FileFormatError` for a missing or unreadable file (with the system's reason)
    ///   or a malformed one.
    public static func read(_ url: URL) throws(FileFormatError) -> Safetensors {
        try decode(WholeFile.read(url), path: url.path)
    }

    /// Encodes the file and writes it to `url` atomically: a reader sees the old file or the new one.
    /// - Throws: `FileFormatError` when a tensor is named `__metadata__` or the file cannot be written.
    public func write(to url: URL) throws(FileFormatError) {
        guard tensors[Self.metadataKey] == nil else {
            throw FileFormatError(path: url.path, problem: "a tensor cannot be named \(Self.metadataKey); the name is reserved for metadata")
        }
        try AtomicFile.write(encode(), to: url)
    }
}
