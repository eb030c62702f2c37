/// `torch.optim.RMSprop` (Tieleman & Hinton 2012; not centered, no momentum, no weight
/// decay): v ← α v + (1 − α) g², p ← p − lr · g / (√v + ε).
public struct RMSProp<Scalar: RNNScalar>: Optimizer, Sendable {
    public var learningRate: Double
    public let alpha: Double
    public let epsilon: Double
    public let count: Int
    /// The running mean of squared gradients v.
    public private(set) var squareAverage: [Scalar]

    /// PyTorch's defaults: lr 1e-2, α = 0.99, ε = 1e-8.
    /// - Throws: `RNNError` for a negative count, learning rate, α or ε, or a non-finite one.
    public init(count: Int, learningRate: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8) throws(RNNError) {
        try OptimizerCheck.count(count, "RMSProp")
        try OptimizerCheck.atLeastZero(learningRate, "learning rate", "RMSProp")
        try OptimizerCheck.atLeastZero(alpha, "alpha", "RMSProp")
        try OptimizerCheck.atLeastZero(epsilon, "epsilon", "RMSProp")
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.count = count
        squareAverage = [Scalar](repeating: 0, count: count)
    }

    public mutating func step(_ parameters: inout [Scalar], _ gradients: [Scalar]) {
        checkCounts(parameters, gradients)
        let (lr, a, eps) = (Scalar(learningRate), Scalar(alpha), Scalar(epsilon))
        for i in 0..<count {
            let g = gradients[i]
            squareAverage[i] = a * squareAverage[i] + (1 - a) * g * g
            parameters[i] -= lr * g / (squareAverage[i].squareRoot() + eps)
        }
    }
}
