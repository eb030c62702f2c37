extension OptimizerSettings {
    var configLearningRate: Double {
        switch self {
        case .sgd(let rate, _), .adam(let rate, _, _, _), .rmsprop(let rate, _, _): rate
        }
    }

    /// The same optimizer with another learning rate.
    func replacingConfigLearningRate(_ rate: Double) -> OptimizerSettings {
        switch self {
        case .sgd(_, let momentum): .sgd(learningRate: rate, momentum: momentum)
        case .adam(_, let beta1, let beta2, let epsilon):
            .adam(learningRate: rate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        case .rmsprop(_, let alpha, let epsilon): .rmsprop(learningRate: rate, alpha: alpha, epsilon: epsilon)
        }
    }

    /// The hyperparameters besides the learning rate, as a config names them.
    var configHyperparameters: [(key: String, value: Double)] {
        switch self {
        case .sgd(_, let momentum): [("momentum", momentum)]
        case .adam(_, let beta1, let beta2, let epsilon): [("beta1", beta1), ("beta2", beta2), ("epsilon", epsilon)]
        case .rmsprop(_, let alpha, let epsilon): [("alpha", alpha), ("epsilon", epsilon)]
        }
    }
}
