import AtomicIO
import Foundation

extension Safetensors {
    /// The largest header accepted, as in the reference implementation; checked before anything
    /// is allocated, so a corrupt length cannot ask for gigabytes.
    static let maximumHeaderLength = 100_000_000

    /// The dtype names this reader accepts, as listed in error messages.
    static let supportedDTypes = DType.allCases.map(\.safetensorsName).joined(separator: ", ")

    /// Decodes a whole safetensors file.
    ///
    /// Beyond well-formed JSON with the expected fields, the tensors' byte ranges must tile the
    /// buffer exactly — sorted by offset, each begins where the previous ends, the last ends at
    /// the end of the file — as the reference implementation requires.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the file's path, used only in errors.
    /// - Throws: `FileFormatError` naming the problem, the tensor where there is one, and what
    ///   was expected.
    public static func decode(_ data: Data, path: String) throws(FileFormatError) -> Safetensors {
        func failure(_ problem: String) -> FileFormatError { FileFormatError(path: path, problem: problem) }

        guard data.count >= 8 else {
            throw failure("file is \(data.count) bytes, shorter than the 8-byte header length that starts a safetensors file")
        }
        let declaredLength = data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard declaredLength <= UInt64(maximumHeaderLength) else {
            throw failure("header length \(declaredLength) exceeds the 100 MB limit (\(maximumHeaderLength) bytes)")
        }
        let headerLength = Int(declaredLength)
        guard headerLength <= data.count - 8 else {
            throw failure("header length \(headerLength) extends beyond the end of the \(data.count)-byte file")
        }

        let header: JSONValue
        do {
            header = try JSONValue.parse([UInt8](data.dropFirst(8).prefix(headerLength)))
        } catch {
            let what = error.kind == .encoding ? "valid UTF-8" : "valid JSON"
            throw failure("header is not \(what): \(error.message) at file offset \(8 + error.offset)")
        }
        guard case .object(let members) = header else {
            throw failure("header is not a JSON object but \(header.summary)")
        }

        var entries: [TensorEntry] = []
        var metadata: [String: String] = [:]
        var names = Set<String>()
        for (name, value) in members {
            guard names.insert(name).inserted else {
                throw failure(name == metadataKey ? "duplicate \(metadataKey) in header" : "duplicate tensor name \(JSONValue.quoted(name)) in header")
            }
            if name == metadataKey {
                metadata = try decodeMetadata(value, failure: failure)
            } else {
                entries.append(try TensorEntry(name: name, json: value, failure: failure))
            }
        }

        let bufferStart = 8 + headerLength
        try checkTiling(entries, bufferLength: data.count - bufferStart, failure: failure)

        var tensors: [String: TypedArray] = [:]
        data.withUnsafeBytes { bytes in
            for entry in entries {
                let range = bufferStart + entry.begin..<bufferStart + entry.end
                let storage = TypedArray.Storage(dtype: entry.dtype, count: entry.count,
                                                 littleEndianBytes: UnsafeRawBufferPointer(rebasing: bytes[range]))
                tensors[entry.name] = TypedArray(shape: entry.shape, storage: storage)
            }
        }
        return Safetensors(tensors: tensors, metadata: metadata)
    }

    /// `__metadata__`: an object of string values (or null, which the reference also accepts).
    private static func decodeMetadata(_ json: JSONValue, failure: (String) -> FileFormatError) throws(FileFormatError) -> [String: String] {
        if json == .null { return [:] }
        guard case .object(let members) = json else {
            throw failure("\(metadataKey) must be an object of strings, found \(json.summary)")
        }
        var metadata: [String: String] = [:]
        for (key, value) in members {
            guard case .string(let text) = value else {
                throw failure("\(metadataKey) value for \(JSONValue.quoted(key)) must be a string, found \(value.summary)")
            }
            guard metadata.updateValue(text, forKey: key) == nil else {
                throw failure("duplicate key \(JSONValue.quoted(key)) in \(metadataKey)")
            }
        }
        return metadata
    }

    /// Checks that the tensors' byte ranges, sorted by offset, cover `0..<bufferLength` exactly
    /// once: nothing beyond the buffer, no overlap, no hole, no trailing bytes.
    private static func checkTiling(_ entries: [TensorEntry], bufferLength: Int, failure: (String) -> FileFormatError) throws(FileFormatError) {
        let sorted = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var covered = 0
        var previous: TensorEntry?
        for entry in sorted {
            guard entry.end <= bufferLength else {
                throw failure("tensor \(entry.quotedName): data_offsets \(entry.offsetsText) extend beyond the \(bufferLength)-byte data buffer")
            }
            if let previous, entry.begin < covered {
                throw failure("tensor \(entry.quotedName) (data_offsets \(entry.offsetsText)) overlaps tensor \(previous.quotedName) (data_offsets \(previous.offsetsText))")
            }
            guard entry.begin == covered else {
                throw failure("bytes \(covered)..<\(entry.begin) of the data buffer belong to no tensor (a hole before tensor \(entry.quotedName)); tensors must tile the buffer exactly")
            }
            covered = entry.end
            previous = entry
        }
        guard covered == bufferLength else {
            let owner = previous.map { " after tensor \($0.quotedName)" } ?? ""
            throw failure("bytes \(covered)..<\(bufferLength) of the data buffer belong to no tensor (trailing bytes\(owner)); tensors must tile the buffer exactly")
        }
    }
}

/// One tensor's header entry, checked on its own: known dtype, shape and offsets that are
/// non-negative integers, and a byte range exactly as long as the shape needs.
private struct TensorEntry {
    let name: String
    let dtype: DType
    let shape: [Int]
    let count: Int
    let begin: Int
    let end: Int

    var quotedName: String { JSONValue.quoted(name) }
    var offsetsText: String { "[\(begin), \(end)]" }

    init(name: String, json: JSONValue, failure: (String) -> FileFormatError) throws(FileFormatError) {
        let quotedName = JSONValue.quoted(name)
        func entryFailure(_ problem: String) -> FileFormatError { failure("tensor \(quotedName): \(problem)") }

        guard case .object(let members) = json else {
            throw entryFailure("entry must be an object with dtype, shape and data_offsets, found \(json.summary)")
        }
        var fields: [String: JSONValue] = [:]
        for (key, value) in members {
            // The reference ignores keys it does not know; it would reject a repeated one.
            guard fields.updateValue(value, forKey: key) == nil else {
                throw entryFailure("duplicate key \(JSONValue.quoted(key))")
            }
        }
        guard let dtypeJSON = fields["dtype"] else { throw entryFailure("missing dtype") }
        guard let shapeJSON = fields["shape"] else { throw entryFailure("missing shape") }
        guard let offsetsJSON = fields["data_offsets"] else { throw entryFailure("missing data_offsets") }

        guard case .string(let dtypeName) = dtypeJSON else {
            throw entryFailure("dtype must be a string like \"F32\", found \(dtypeJSON.summary)")
        }
        guard let dtype = DType.allCases.first(where: { $0.safetensorsName == dtypeName }) else {
            throw entryFailure("dtype \(JSONValue.quoted(dtypeName)) is not supported; expected one of \(Safetensors.supportedDTypes)")
        }
        guard let shape = Self.integers(shapeJSON) else {
            throw entryFailure("shape must be an array of non-negative integers, found \(Self.describe(shapeJSON))")
        }
        guard let offsets = Self.integers(offsetsJSON), offsets.count == 2 else {
            throw entryFailure("data_offsets must be [begin, end] with non-negative integers, found \(Self.describe(offsetsJSON))")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw entryFailure("data_offsets [\(begin), \(end)] begin after their end")
        }
        let shapeText = "shape [\(shape.map(String.init).joined(separator: ", "))] of \(dtypeName)"
        guard let (count, byteCount) = dtype.sizes(of: shape) else {
            throw entryFailure("\(shapeText) is too large: its size in bytes overflows")
        }
        guard byteCount == end - begin else {
            throw entryFailure("\(shapeText) needs \(byteCount) bytes but data_offsets [\(begin), \(end)] span \(end - begin)")
        }
        (self.name, self.dtype, self.shape, self.count, self.begin, self.end) = (name, dtype, shape, count, begin, end)
    }

    /// The array's elements when all are non-negative integers that fit in `Int`.
    private static func integers(_ json: JSONValue) -> [Int]? {
        guard case .array(let elements) = json else { return nil }
        let values = elements.compactMap(\.nonNegativeInteger)
        return values.count == elements.count ? values : nil
    }

    /// An array written out (its first elements, so a hostile header cannot make a huge
    /// message), anything else summarized.
    private static func describe(_ json: JSONValue) -> String {
        guard case .array(let elements) = json else { return json.summary }
        let shown = elements.prefix(8).map(\.summary) + (elements.count > 8 ? ["…"] : [])
        return "[\(shown.joined(separator: ", "))]"
    }
}
