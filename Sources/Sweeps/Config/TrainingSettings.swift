/// How a run trains and is judged (`training:` in a config).
public struct TrainingSettings: Equatable, Sendable {
    public var optimizer = OptimizerSettings.adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    public var batchSize = 32
    public var iterations = 1000
    /// Gradient-norm clipping threshold (Pascanu et al.); nil: no clipping.
    public var clipNorm: Double? = 1.0
    /// Evaluate on held-out batches every this many iterations (and at the end).
    public var evalInterval = 100
    public var evalSize = 256
    /// Success: final held-out loss ≤ this fraction of the task's baseline…
    public var successLossFraction = 0.5
    /// …or, for classification, accuracy ≥ chance + this fraction of (1 − chance).
    public var successAccuracyGap = 0.5

    public init() {}
}
