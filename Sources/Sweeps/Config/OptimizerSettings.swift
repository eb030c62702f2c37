/// The optimizer and its hyperparameters (PyTorch's defaults where a key is left out).
public enum OptimizerSettings: Equatable, Sendable {
    case sgd(learningRate: Double, momentum: Double)
    case adam(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double)
    case rmsprop(learningRate: Double, alpha: Double, epsilon: Double)

    public var name: String {
        switch self {
        case .sgd: "sgd"
        case .adam: "adam"
        case .rmsprop: "rmsprop"
        }
    }
}
