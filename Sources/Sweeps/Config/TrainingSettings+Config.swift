extension TrainingSettings {
    /// The optimizer as `training.optimizer` sets it: its kind and hyperparameters. Setting it
    /// keeps the learning rate, which is `training.learning_rate`, so that the two keys can
    /// be given in any order (base, variant, sweep).
    var configOptimizer: OptimizerSettings {
        get { optimizer }
        set {
            let rate = optimizer.configLearningRate
            optimizer = newValue
            optimizer.configLearningRate = rate
        }
    }
}
