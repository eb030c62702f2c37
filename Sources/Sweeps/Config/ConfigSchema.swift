import Recurrence

/// Every setting a config can give, sweep or vary, once: the table that parsing, the
/// resolved config (and so the run id), the known keys and sweep-key lookup, and the key
/// tables of experiments/README.md (checked by a test) all come from.
///
/// A new setting is one entry here and its field in the settings types (`ModelSettings`,
/// `TrainingSettings`, `ProbeSettings`), whose initial value is its default. Task
/// parameters (`task.<parameter>`) come on top, from `TaskCatalog`.
enum ConfigSchema {
    /// The settings in documentation order: by section, as experiments/README.md lists them.
    static let settings: [ConfigSetting] = [
        ConfigSetting(
            "task.name", \.task.name, .name("task", among: TaskCatalog.names), isRequired: true,
            doc: "The task; each task's own keys are in [TASKS.md](TASKS.md)."),
        ConfigSetting(
            "task.sequence_length", \.task.sequenceLength, .integer(atLeast: 1), isRequired: true,
            doc: "T, the dependency length the network must bridge (each task's own minimum applies, e.g. adding: T ≥ 2)."),

        ConfigSetting(
            "model.cell", \.model.cell, .choice("cell", ["rnn": RecurrentCellKind.rnn, "lstm": .lstm, "gru": .gru]),
            omittedWhenDefault: true,
            doc: "`nn.RNN`, `nn.LSTM` or `nn.GRU`. Enters the resolved config (and the run id) only when not `rnn`."),
        ConfigSetting("model.hidden_size", \.model.hiddenSize, .integer(atLeast: 1), doc: "H, units per layer and direction."),
        ConfigSetting("model.num_layers", \.model.numLayers, .integer(atLeast: 1), doc: "Stacked layers."),
        ConfigSetting(
            "model.nonlinearity", \.model.nonlinearity, .choice("nonlinearity", ["tanh": Nonlinearity.tanh, "relu": .relu]),
            doc: "The activation of `rnn` cells (gated cells have their own)."),
        ConfigSetting("model.bias", \.model.bias, .bool, doc: "Biases `b_ih`, `b_hh`."),
        ConfigSetting("model.bidirectional", \.model.bidirectional, .bool, doc: "A second, reversed direction per layer."),
        ConfigSetting(
            "model.dropout", \.model.dropout, .number("in [0, 1)") { $0 >= 0 && $0 < 1 },
            doc: "Dropout on every layer's output but the last, in training only."),
        ConfigSetting("model.init", \.model.initialization, .initialization, doc: "The initialization, below."),
        ConfigSetting(
            "model.proj_size", \.model.projSize, .integer(atLeast: 0), omittedWhenDefault: true,
            doc: "P, `nn.LSTM`'s projection of h_t (`lstm` only, below `hidden_size`); 0 for none."),
        ConfigSetting(
            "model.precision", \.model.double, .choice("precision", ["float32": false, "float64": true]),
            doc: "The scalar type of the whole computation."),

        ConfigSetting(
            "training.optimizer", \.training.configOptimizer, .optimizer,
            doc: "`adam`, `sgd` or `rmsprop`, or a mapping with `name` and hyperparameters, below."),
        ConfigSetting(
            "training.learning_rate", \.training.optimizer.configLearningRate, .positiveNumber,
            doc: "The learning rate, whichever the optimizer."),
        ConfigSetting("training.batch_size", \.training.batchSize, .integer(atLeast: 1), doc: "Sequences per training step."),
        ConfigSetting("training.iterations", \.training.iterations, .integer(atLeast: 1), doc: "Training steps."),
        ConfigSetting(
            "training.clip_norm", \.training.clipNorm, .positiveNumberOrNone("no clipping"),
            doc: "Clip the gradient's global norm to this (Pascanu et al. 2013); `none`, `null` or an empty value: no clipping."),
        ConfigSetting(
            "training.eval_interval", \.training.evalInterval, .integer(atLeast: 1),
            doc: "Evaluate on held-out batches every this many iterations, and at the end."),
        ConfigSetting("training.eval_size", \.training.evalSize, .integer(atLeast: 1), doc: "Held-out sequences per evaluation."),
        ConfigSetting(
            "training.success.loss_fraction", \.training.successLossFraction, .number("in (0, 1]") { $0 > 0 && $0 <= 1 },
            doc: "… loss ≤ this fraction of the task's baseline,"),
        ConfigSetting(
            "training.success.accuracy_gap", \.training.successAccuracyGap, .number("in [0, 1]") { $0 >= 0 && $0 <= 1 },
            doc: "… or, for classification, accuracy ≥ chance + this fraction of (1 − chance)."),

        ConfigSetting(
            "probes.gradient_steps", \.probes.gradientSteps, .iterations,
            doc: "Training iterations at which ‖∂L/∂h_t‖ (direct and log-domain) is recorded on a fixed probe batch; 0 is at initialization. The final iteration is always recorded as well. Sorted, duplicates dropped; `[]` records the final iteration only."),
        ConfigSetting(
            "probes.hidden_states", \.probes.hiddenStates, .bool,
            doc: "Also save the probe batch's hidden states at those iterations."),
        ConfigSetting("probes.batch_size", \.probes.batchSize, .integer(atLeast: 1), doc: "Sequences in the probe batch."),
    ]

    /// The settings a config starts from: the defaults of `ModelSettings`,
    /// `TrainingSettings` and `ProbeSettings`. The task's name and length are placeholders
    /// (both are required); the experiment, variant and seed are filled in last.
    static let defaults = RunConfiguration(
        experiment: "", seed: 0, model: ModelSettings(), task: TaskSettings(name: "", sequenceLength: 0),
        training: TrainingSettings(), probes: ProbeSettings())

    /// The setting at a full key path.
    static func setting(_ path: String) -> ConfigSetting? {
        settings.first { $0.path == path }
    }

    /// The keys directly below a section or group (`training`, `training.success`), in
    /// documentation order.
    static func children(of prefix: String) -> [String] {
        var children: [String] = []
        for setting in settings where setting.path.hasPrefix(prefix + ".") {
            let child = String(setting.path.dropFirst(prefix.count + 1).prefix { $0 != "." })
            if !children.contains(child) { children.append(child) }
        }
        return children
    }
}
