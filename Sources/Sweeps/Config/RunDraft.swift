/// The settings of one run while the base config, a variant and a grid point are applied
/// in turn, with where each setting was written (for messages about the combination).
struct RunDraft {
    var model = ModelSettings()
    var taskName: String?
    var sequenceLength: Int?
    var taskParameters: [String: TaskParameter] = [:]
    /// The optimizer's kind and hyperparameters; its learning rate is `learningRate`.
    var optimizer = TrainingSettings().optimizer
    var learningRate = TrainingSettings().optimizer.configLearningRate
    var training = TrainingSettings()
    var probes = ProbeSettings()
    /// Where each setting's value was written, by setting path.
    var origins: [String: ConfigOrigin] = [:]
    /// Where each setting's key was written, by setting path.
    var keyOrigins: [String: ConfigOrigin] = [:]
    /// Where each gradient probe step was written.
    var stepOrigins: [Int: ConfigOrigin] = [:]

    mutating func apply(_ override: ConfigOverride) {
        override.apply(&self)
        origins[override.path] = override.origin
        keyOrigins[override.path] = override.keyOrigin
    }

    /// The run these settings describe, checked as a whole: the task exists, takes these
    /// parameters and accepts their values (`TaskCatalog.make`, whose resolved parameters,
    /// defaults included, are kept), and every probe step is within the training.
    /// - Parameters:
    ///   - taskOrigin: where `task:` is written (or the document), for missing keys.
    func resolve(experiment: String, variant: String?, taskOrigin: ConfigOrigin) throws(ConfigError) -> RunConfiguration {
        let parameterNames = taskParameters.keys.sorted()
        func origin(_ path: String) -> ConfigOrigin {
            origins[path]
                ?? ConfigOrigin(file: taskOrigin.file, keyPath: path, line: taskOrigin.line, column: taskOrigin.column)
        }
        func parameterKeyOrigin(_ name: String) -> ConfigOrigin {
            keyOrigins["task.\(name)"] ?? origin("task.\(name)")
        }

        guard let taskName else {
            // A misspelled `name` under task: reads as a task parameter.
            for name in parameterNames {
                if let suggestion = DidYouMean.suggestion(for: name, among: ["name", "sequence_length"]) {
                    throw parameterKeyOrigin(name).error("unknown key '\(name)'; did you mean '\(suggestion)'?")
                }
            }
            throw missing("task.name", "the task (one of: \(TaskCatalog.names.joined(separator: ", ")))", taskOrigin)
        }
        guard TaskCatalog.names.contains(taskName) else {
            throw origin("task.name").error(configUnknownNameMessage("task", taskName, known: TaskCatalog.names))
        }
        let known = TaskCatalog.parameterNames(of: taskName)
        for name in parameterNames where !known.contains(name) {
            let keys = ["name", "sequence_length"] + known
            var message = "unknown key '\(name)' for task '\(taskName)'"
            if let suggestion = DidYouMean.suggestion(for: name, among: keys) {
                message += "; did you mean '\(suggestion)'?"
            }
            message += " (task '\(taskName)' takes: \(keys.joined(separator: ", ")); see experiments/TASKS.md)"
            throw parameterKeyOrigin(name).error(message)
        }
        guard let sequenceLength else {
            throw missing("task.sequence_length", "the dependency length T (an integer ≥ 1)", taskOrigin)
        }

        let task: any SequenceTask
        do {
            task = try TaskCatalog.make(name: taskName, sequenceLength: sequenceLength, parameters: taskParameters)
        } catch {
            let at: ConfigOrigin
            switch error.parameter {
            case nil: at = origin("task.name")
            case "sequence_length"?: at = origin("task.sequence_length")
            case let parameter?:
                at = origins["task.\(parameter)"] ?? origins["task.sequence_length"] ?? origin("task.name")
            }
            throw at.error(error.description)
        }

        var training = training
        training.optimizer = optimizer.replacingConfigLearningRate(learningRate)
        for step in probes.gradientSteps where step > training.iterations {
            let at = stepOrigins[step] ?? origin("probes.gradient_steps")
            throw at.error(
                "gradient probe step \(step) is after the last iteration (training.iterations = \(training.iterations))")
        }
        return RunConfiguration(
            experiment: experiment, variant: variant, seed: 0, model: model,
            task: TaskSettings(name: taskName, sequenceLength: sequenceLength, parameters: task.parameters),
            training: training, probes: probes)
    }

    private func missing(_ path: String, _ what: String, _ at: ConfigOrigin) -> ConfigError {
        ConfigError(
            path: at.file, line: at.line, column: at.column, keyPath: path,
            message: "missing: every run needs \(what); set \(path) or sweep it")
    }
}
