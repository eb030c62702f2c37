import Recurrence

/// Everything one training run needs, fully resolved: defaults filled in, sweep values chosen.
/// Two runs with equal configurations produce identical numbers.
public struct RunConfiguration: Equatable, Sendable {
    /// The experiment's name (the sweep directory under the run store).
    public var experiment: String
    /// The named variant this run belongs to, if the config defines variants.
    public var variant: String?
    public var seed: UInt64
    public var model: ModelSettings
    public var task: TaskSettings
    public var training: TrainingSettings
    public var probes: ProbeSettings

    public init(experiment: String, variant: String? = nil, seed: UInt64, model: ModelSettings,
                task: TaskSettings, training: TrainingSettings, probes: ProbeSettings) {
        self.experiment = experiment
        self.variant = variant
        self.seed = seed
        self.model = model
        self.task = task
        self.training = training
        self.probes = probes
    }
}

/// The recurrent network of a run (`model:` in a config).
public struct ModelSettings: Equatable, Sendable {
    public var hiddenSize = 64
    public var numLayers = 1
    public var nonlinearity = Nonlinearity.tanh
    public var bias = true
    public var bidirectional = false
    public var dropout = 0.0
    public var initialization = Initialization.pytorchDefault
    /// Compute in Double instead of Float.
    public var double = false

    public init() {}
}

/// The task of a run (`task:` in a config): its catalog name, the dependency length T and the
/// task's own parameters.
public struct TaskSettings: Equatable, Sendable {
    public var name: String
    public var sequenceLength: Int
    public var parameters: [String: TaskParameter]

    public init(name: String, sequenceLength: Int, parameters: [String: TaskParameter] = [:]) {
        self.name = name
        self.sequenceLength = sequenceLength
        self.parameters = parameters
    }
}

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

/// What to record besides the training curve (`probes:` in a config).
public struct ProbeSettings: Equatable, Sendable {
    /// Training iterations at which to record ‖∂L/∂h_t‖ (direct and log-domain) on a fixed
    /// probe batch; 0 is at initialization; the final iteration is always included.
    public var gradientSteps: [Int] = [0]
    /// Also save the hidden states of the probe batch at those iterations.
    public var hiddenStates = false
    /// Probe batch size.
    public var batchSize = 32

    public init() {}
}
