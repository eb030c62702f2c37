import Recurrence

/// A storage as torch's persistent id names it — `('storage', torch.FloatStorage, '0', 'cpu', 6)`
/// — whose bytes are the archive entry `<archive>/data/0`. The device is ignored: every storage
/// is read as if saved from the CPU.
struct StorageReference {
    let key: String
    let dtype: TorchDType
    /// The number of elements the pickle declares, which the entry must hold exactly.
    let count: Int
}

/// A tensor as `_rebuild_tensor_v2` describes it: a view of a storage, from an element offset,
/// with a size and strides in elements. torch.save writes views this way, so a transposed or
/// sliced tensor comes with its whole storage, and several tensors can share one.
///
/// The numbers are kept as the pickle gave them and checked by `checkedLayout()` and `read`,
/// when the tensor's name in the state_dict is known for the message.
struct TensorReference {
    let storage: StorageReference
    /// The tensor's element type: the storage's, except for `_rebuild_tensor_v3`.
    let dtype: TorchDType
    let offset: Int
    let size: [Int]
    let stride: [Int]

    /// More dimensions are refused, far more than any state_dict's tensor has.
    static let maximumRank = 64

    /// The dtype a tensor is read as and its number of elements.
    typealias Layout = (dtype: DType, count: Int)

    /// Why a tensor cannot be read, without its name, which the caller adds.
    struct Problem: Error {
        let message: String
    }

    /// The dtype the tensor is read as and its element count, after checking the dtype, the
    /// rank, and that no size, stride or offset is negative or overflows.
    func checkedLayout() throws(Problem) -> Layout {
        guard let readAs = dtype.readAs else {
            throw Problem(message: "dtype \(dtype.rawValue) is not supported; expected float32, float64, float16 or bfloat16 (read as float32), int32 or int64")
        }
        guard size.count <= Self.maximumRank else {
            throw Problem(message: "has \(size.count) dimensions, more than \(Self.maximumRank)")
        }
        guard stride.count == size.count else {
            throw Problem(message: "size \(layoutText(size)) and stride \(layoutText(stride)) differ in length")
        }
        guard size.allSatisfy({ $0 >= 0 }) else { throw Problem(message: "size \(layoutText(size)) has a negative dimension") }
        guard stride.allSatisfy({ $0 >= 0 }) else { throw Problem(message: "stride \(layoutText(stride)) has a negative step") }
        guard offset >= 0 else { throw Problem(message: "storage offset \(offset) is negative") }
        guard let (count, _) = readAs.sizes(of: size) else {
            throw Problem(message: "size \(layoutText(size)) is too large: its element count overflows")
        }
        return (readAs, count)
    }

    /// The tensor's elements in C order, gathered by strides from its storage's bytes, float16
    /// and bfloat16 converted to float32 (exactly: each of their values is a float32).
    /// - Parameters:
    ///   - bytes: the storage entry's contents.
    ///   - layout: what `checkedLayout()` returned.
    ///   - entryName: the entry's name, for messages.
    func read(from bytes: [UInt8], layout: Layout, entryName: String) throws(Problem) -> TypedArray {
        let (readAs, count) = layout
        let entry = PickleValue.quoted(entryName)
        let (declaredBytes, overflow) = storage.count.multipliedReportingOverflow(by: storage.dtype.byteSize)
        guard !overflow, declaredBytes == bytes.count else {
            throw Problem(message: "storage \(entry) holds \(bytes.count) bytes, but the pickle declares \(storage.count) \(storage.dtype.rawValue) elements")
        }
        // An empty tensor reads nothing, wherever its offset points, as in torch.
        guard count > 0 else { return TypedArray(shape: size, storage: .empty(readAs)) }
        let available = bytes.count / dtype.byteSize
        let held = "storage \(entry), which holds \(available) \(dtype.rawValue) elements"
        guard offset < available else { throw Problem(message: "storage offset \(offset) is past the end of \(held)") }
        guard let last = lastIndex(), last < available else {
            throw Problem(message: "offset \(offset), size \(layoutText(size)) and stride \(layoutText(stride)) reach beyond the end of \(held)")
        }
        let elements = bytes.withUnsafeBytes { raw in self.elements(in: raw, as: readAs, count: count) }
        return TypedArray(shape: size, storage: elements)
    }

    /// The view's elements in `raw`, a whole storage, as `readAs`.
    private func elements(in raw: UnsafeRawBufferPointer, as readAs: DType, count: Int) -> TypedArray.Storage {
        switch dtype {
        case .float16: return .float32(gather(raw, count: count) { Float(float16Bits: $0) })
        case .bfloat16: return .float32(gather(raw, count: count) { Float(bfloat16Bits: $0) })
        default: break
        }
        if isContiguous {
            let start = offset * dtype.byteSize
            return TypedArray.Storage(dtype: readAs, count: count, littleEndianBytes: UnsafeRawBufferPointer(rebasing: raw[start..<start + count * dtype.byteSize]))
        }
        switch readAs {
        case .float32: return .float32(gather(raw, count: count) { (value: Float) in value })
        case .float64: return .float64(gather(raw, count: count) { (value: Double) in value })
        case .int32: return .int32(gather(raw, count: count) { (value: Int32) in value })
        case .int64: return .int64(gather(raw, count: count) { (value: Int64) in value })
        }
    }

    /// The storage index of the last element, `offset + Σ (size − 1) · stride`, or nil when it
    /// overflows. Requires a non-empty, checked layout.
    private func lastIndex() -> Int? {
        var last = offset
        for (extent, step) in zip(size, stride) {
            let (term, overflow) = (extent - 1).multipliedReportingOverflow(by: step)
            let (sum, carry) = last.addingReportingOverflow(term)
            if overflow || carry { return nil }
            last = sum
        }
        return last
    }

    /// Whether the elements lie in C order one after another (strides of size-1 dimensions do not
    /// matter). Requires a checked, non-empty layout, so that the running product cannot overflow.
    private var isContiguous: Bool {
        var expected = 1
        for (extent, step) in zip(size, stride).reversed() where extent != 1 {
            if step != expected { return false }
            expected *= extent
        }
        return true
    }

    /// Loads the elements at the view's storage indices in C order, as `Stored` converted by `convert`.
    /// Requires a checked layout whose last index lies inside `raw`.
    private func gather<Stored: BitwiseCopyable, Element>(_ raw: UnsafeRawBufferPointer, count: Int, _ convert: (Stored) -> Element) -> [Element] {
        let rank = size.count
        var counter = [Int](repeating: 0, count: rank)
        var index = offset
        return [Element](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            for element in 0..<count {
                buffer.initializeElement(at: element, to: convert(raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Stored>.size, as: Stored.self)))
                // An odometer over the dimensions. The index it stops at is an element's, inside
                // the checked extent; on the way it may pass beyond Int (a size-1 dimension can
                // have any stride), so it wraps, and the wrapped steps cancel exactly.
                var dimension = rank - 1
                while dimension >= 0 {
                    counter[dimension] += 1
                    index &+= stride[dimension]
                    if counter[dimension] < size[dimension] { break }
                    index &-= stride[dimension] &* size[dimension]
                    counter[dimension] = 0
                    dimension -= 1
                }
            }
            initializedCount = count
        }
    }

    private func layoutText(_ values: [Int]) -> String {
        let shown = values.count > 8 ? Array(values.prefix(8)) : values
        let text = NpyHeader.pythonTuple(shown)
        return values.count > 8 ? text.dropLast() + ", …)" : text
    }
}

extension Float {
    /// The IEEE 754 half-precision value with these bits, exactly: signed zeros, subnormals and
    /// infinities, and NaNs with their payloads (as NumPy converts them; PyTorch's `.float()`
    /// sometimes replaces them with one NaN).
    init(float16Bits bits: UInt16) {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0x1F:
            self = Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴, which float32 holds exactly.
            let magnitude = Float(mantissa) * 0x1p-24
            self = sign == 0 ? magnitude : -magnitude
        default:
            // Rebias the exponent from 15 to 127.
            self = Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }

    /// The bfloat16 value with these bits: the upper half of a float32's.
    init(bfloat16Bits bits: UInt16) {
        self = Float(bitPattern: UInt32(bits) << 16)
    }
}

extension TypedArray.Storage {
    /// No elements, of `dtype`.
    static func empty(_ dtype: DType) -> TypedArray.Storage {
        switch dtype {
        case .float32: .float32([])
        case .float64: .float64([])
        case .int32: .int32([])
        case .int64: .int64([])
        }
    }
}
