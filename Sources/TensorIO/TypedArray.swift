import Recurrence

/// An n-dimensional array as it is stored in a file: a shape, C (row-major) order, and one of
/// the element types the toolkit reads and writes.
///
/// This is the exchange type of the `.npy` and `.safetensors` readers and writers; the engine
/// computes on `Tensor<Scalar>` and converts at the boundary.
public struct TypedArray: Equatable, Sendable {
    public enum Storage: Equatable, Sendable {
        case float32([Float])
        case float64([Double])
        case int32([Int32])
        case int64([Int64])
    }

    public let shape: [Int]
    public let storage: Storage

    /// Invariant: the product of `shape` equals the number of elements (an empty shape holds one).
    public init(shape: [Int], storage: Storage) {
        precondition(Recurrence.elementCount(of: shape) == storage.count, "shape \(shape) does not hold \(storage.count) elements")
        self.shape = shape
        self.storage = storage
    }

    public var elementCount: Int { storage.count }
    public var dtype: DType { storage.dtype }
}

/// The element types of stored arrays, with their names in both file formats.
public enum DType: String, Sendable, CaseIterable {
    case float32, float64, int32, int64

    public var byteSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }

    /// NumPy's little-endian type string (`descr`).
    public var npyDescr: String {
        switch self {
        case .float32: "<f4"
        case .float64: "<f8"
        case .int32: "<i4"
        case .int64: "<i8"
        }
    }

    /// The dtype name in a safetensors header.
    public var safetensorsName: String {
        switch self {
        case .float32: "F32"
        case .float64: "F64"
        case .int32: "I32"
        case .int64: "I64"
        }
    }
}

extension TypedArray.Storage {
    public var count: Int {
        switch self {
        case .float32(let v): v.count
        case .float64(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        }
    }

    public var dtype: DType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        case .int32: .int32
        case .int64: .int64
        }
    }
}
