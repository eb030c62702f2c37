import Recurrence

// The engine computes on `Tensor<Scalar>` and knows no file formats; files hold `TypedArray`s.
// These conversions are the one bridge between the two.

extension DType {
    /// The dtype a scalar of the engine is stored as: Float → float32, Double → float64.
    public init<Scalar: RNNScalar>(_: Scalar.Type) {
        self = Scalar.self == Double.self ? .float64 : .float32
    }
}

extension Tensor {
    /// The tensor as a stored array of its scalar's dtype.
    public var typedArray: TypedArray {
        let storage: TypedArray.Storage = if let values = scalars as? [Float] {
            .float32(values)
        } else {
            .float64(scalars.map { Double($0) })
        }
        return TypedArray(shape: shape, storage: storage)
    }

    /// Reads a stored array, converting between Float and Double when the dtypes differ.
    /// Returns nil for integer arrays, which hold labels rather than values.
    public init?(_ array: TypedArray) {
        let scalars: [Scalar]
        switch array.storage {
        case .float32(let values): scalars = values.map { Scalar($0) }
        case .float64(let values): scalars = values.map { Scalar($0) }
        case .int32, .int64: return nil
        }
        self.init(shape: array.shape, scalars: scalars)
    }
}
