/// A dense array of `Scalar` in C (row-major) order: the engine's value type for inputs,
/// outputs and gradients.
public struct Tensor<Scalar: RNNScalar>: Equatable, Sendable {
    public let shape: [Int]
    public var scalars: [Scalar]

    /// Invariant: `scalars.count` is the product of `shape`.
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: 0, count: shape.reduce(1, *)))
    }

    public var rank: Int { shape.count }
    public var count: Int { scalars.count }

    /// The tensor as a stored array of this scalar's dtype.
    public var typedArray: TypedArray {
        TypedArray(shape: shape, storage: Scalar.storage(scalars))
    }
}

extension Tensor {
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
