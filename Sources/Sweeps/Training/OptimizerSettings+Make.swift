import Recurrence

extension OptimizerSettings {
    /// The optimizer these settings describe, for a buffer of `count` parameters.
    func make<S: RNNScalar>(_: S.Type, count: Int) throws(RNNError) -> any Optimizer<S> {
        switch self {
        case .sgd(let learningRate, let momentum):
            try SGD<S>(count: count, learningRate: learningRate, momentum: momentum)
        case .adam(let learningRate, let beta1, let beta2, let epsilon):
            try Adam<S>(count: count, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        case .rmsprop(let learningRate, let alpha, let epsilon):
            try RMSProp<S>(count: count, learningRate: learningRate, alpha: alpha, epsilon: epsilon)
        }
    }
}
