/// A dense array of `Scalar` in C (row-major) order: the engine's value type for inputs,
/// outputs and gradients.
public struct Tensor<Scalar: RNNScalar>: Equatable, Sendable {
    public let shape: [Int]
    public var scalars: [Scalar]

    /// Invariant: `scalars.count` is the product of `shape`.
    public init(shape: [Int], scalars: [Scalar]) {
        precondition(elementCount(of: shape) == scalars.count, "shape \(shape) does not hold \(scalars.count) scalars")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of zeros. Invariant: the shape's element count fits in memory.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: 0, count: elementCount(of: shape)!))
    }

    public var rank: Int { shape.count }
    public var count: Int { scalars.count }
}
