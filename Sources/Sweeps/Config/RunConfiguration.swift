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
