/// `torch.optim.SGD` with momentum μ (no dampening, no Nesterov, no weight decay):
/// b ← μ b + g (b starts at 0, so the first step takes b = g as PyTorch does), p ← p − lr·b.
/// Without momentum, p ← p − lr·g.
public struct SGD<Scalar: RNNScalar>: Optimizer, Sendable {
    public var learningRate: Double
    public let momentum: Double
    public let count: Int
    /// The momentum buffer b; empty without momentum.
    public private(set) var velocity: [Scalar]

    /// - Throws: `RNNError` for a negative count, learning rate or momentum, or a
    ///   non-finite one.
    public init(count: Int, learningRate: Double, momentum: Double = 0) throws(RNNError) {
        try OptimizerCheck.count(count, "SGD")
        try OptimizerCheck.atLeastZero(learningRate, "learning rate", "SGD")
        try OptimizerCheck.atLeastZero(momentum, "momentum", "SGD")
        self.learningRate = learningRate
        self.momentum = momentum
        self.count = count
        velocity = momentum == 0 ? [] : [Scalar](repeating: 0, count: count)
    }

    public mutating func step(_ parameters: inout [Scalar], _ gradients: [Scalar]) {
        checkCounts(parameters, gradients)
        let lr = Scalar(learningRate)
        if momentum == 0 {
            for i in 0..<count { parameters[i] -= lr * gradients[i] }
            return
        }
        let mu = Scalar(momentum)
        for i in 0..<count {
            velocity[i] = mu * velocity[i] + gradients[i]
            parameters[i] -= lr * velocity[i]
        }
    }
}
