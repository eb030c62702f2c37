import RealModule

/// `torch.optim.Adam` (Kingma & Ba 2015, no weight decay, no amsgrad), at step t = 1, 2, …:
/// m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g²,
/// p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε).
public struct Adam<Scalar: RNNScalar>: Optimizer, Sendable {
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let count: Int
    /// Steps taken, t.
    public private(set) var steps = 0
    /// First and second moment estimates m and v.
    public private(set) var firstMoment: [Scalar]
    public private(set) var secondMoment: [Scalar]

    /// PyTorch's defaults: lr 1e-3, β = (0.9, 0.999), ε = 1e-8.
    /// - Throws: `RNNError` for a negative count, learning rate or ε, or a β outside [0, 1).
    public init(count: Int, learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8) throws(RNNError) {
        try OptimizerCheck.count(count, "Adam")
        try OptimizerCheck.atLeastZero(learningRate, "learning rate", "Adam")
        try OptimizerCheck.atLeastZero(epsilon, "epsilon", "Adam")
        try OptimizerCheck.belowOne(beta1, "beta1", "Adam")
        try OptimizerCheck.belowOne(beta2, "beta2", "Adam")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.count = count
        firstMoment = [Scalar](repeating: 0, count: count)
        secondMoment = [Scalar](repeating: 0, count: count)
    }

    public mutating func step(_ parameters: inout [Scalar], _ gradients: [Scalar]) {
        checkCounts(parameters, gradients)
        steps += 1
        let t = Double(steps)
        let stepSize = Scalar(learningRate / (1 - Double.pow(beta1, t)))
        let correction2 = Scalar((1 - Double.pow(beta2, t)).squareRoot())
        let (b1, b2, eps) = (Scalar(beta1), Scalar(beta2), Scalar(epsilon))
        for i in 0..<count {
            let g = gradients[i]
            firstMoment[i] = b1 * firstMoment[i] + (1 - b1) * g
            secondMoment[i] = b2 * secondMoment[i] + (1 - b2) * g * g
            let denominator = secondMoment[i].squareRoot() / correction2 + eps
            parameters[i] -= stepSize * firstMoment[i] / denominator
        }
    }
}
