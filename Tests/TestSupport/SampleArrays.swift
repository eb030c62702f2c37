import Recurrence
import TensorIO

extension TypedArray {
    /// A deterministic array of `dtype` and `shape` whose elements differ from each other and
    /// include negative values, fractions (for floats) and values beyond 16 bits (for integers),
    /// so that a round trip that drops, reorders or truncates elements is caught.
    public static func sample(_ dtype: DType, shape: [Int]) -> TypedArray {
        let indices = 0..<shape.reduce(1, *)
        let storage: Storage = switch dtype {
        case .float32: .float32(indices.map { Float($0) * 0.75 - 2.5 })
        case .float64: .float64(indices.map { Double($0) * -1.0e-3 + 0.1 })
        case .int32: .int32(indices.map { Int32($0) * 100_003 - 7 })
        case .int64: .int64(indices.map { Int64($0) * 3_000_000_019 - 11 })
        }
        return TypedArray(shape: shape, storage: storage)
    }
}
