extension OptimizerSettings {
    /// The learning rate, whichever the optimizer (`training.learning_rate`); setting it
    /// keeps the kind and the other hyperparameters.
    var configLearningRate: Double {
        get {
            switch self {
            case .sgd(let rate, _), .adam(let rate, _, _, _), .rmsprop(let rate, _, _): rate
            }
        }
        set {
            switch self {
            case .sgd(_, let momentum): self = .sgd(learningRate: newValue, momentum: momentum)
            case .adam(_, let beta1, let beta2, let epsilon):
                self = .adam(learningRate: newValue, beta1: beta1, beta2: beta2, epsilon: epsilon)
            case .rmsprop(_, let alpha, let epsilon): self = .rmsprop(learningRate: newValue, alpha: alpha, epsilon: epsilon)
            }
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
