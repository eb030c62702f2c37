/// The settings of one run while the base config, a variant and a grid point are applied
/// in turn, with where each setting was written (for messages about the combination).
struct RunDraft {
    /// The settings so far, starting from `ConfigSchema.defaults`; the task's name and
    /// length are placeholders until `values` has them.
    var settings = ConfigSchema.defaults
    /// The value each setting was last given, by setting path: where it was written.
    var values: [String: ConfigValue] = [:]
    /// Where each setting's key was written, by setting path.
    var keyOrigins: [String: ConfigOrigin] = [:]

    mutating func apply(_ override: ConfigOverride) {
        override.apply(&settings)
        values[override.path] = override.value
        keyOrigins[override.path] = override.keyOrigin
    }

    /// The run these settings describe, checked as a whole: the task exists, takes these
    /// parameters and accepts their values (`TaskCatalog.make`, whose resolved parameters,
    /// defaults included, are kept), and every probe step is within the training.
    /// - Parameters:
    ///   - taskOrigin: where `task:` is written (or the document), for missing keys.
    func resolve(experiment: String, variant: String?, taskOrigin: ConfigOrigin) throws(ConfigError) -> RunConfiguration {
        let parameterNames = settings.task.parameters.keys.sorted()
        let taskKeys = ConfigSchema.children(of: "task")
        func origin(_ path: String) -> ConfigOrigin {
            values[path]?.origin
                ?? ConfigOrigin(file: taskOrigin.file, keyPath: path, line: taskOrigin.line, column: taskOrigin.column)
        }
        func parameterKeyOrigin(_ name: String) -> ConfigOrigin {
            keyOrigins["task.\(name)"] ?? origin("task.\(name)")
        }

        guard values["task.name"] != nil else {
            // A misspelled `name` under task: reads as a task parameter.
            for name in parameterNames {
                if let suggestion = DidYouMean.suggestion(for: name, among: taskKeys) {
                    throw parameterKeyOrigin(name).error("unknown key '\(name)'; did you mean '\(suggestion)'?")
                }
            }
            throw missing("task.name", "the task (one of: \(TaskCatalog.names.joined(separator: ", ")))", taskOrigin)
        }
        let taskName = settings.task.name
        guard TaskCatalog.names.contains(taskName) else {
            throw origin("task.name").error(configUnknownNameMessage("task", taskName, known: TaskCatalog.names))
        }
        let known = TaskCatalog.parameterNames(of: taskName)
        for name in parameterNames where !known.contains(name) {
            let keys = taskKeys + known
            var message = "unknown key '\(name)' for task '\(taskName)'"
            if let suggestion = DidYouMean.suggestion(for: name, among: keys) {
                message += "; did you mean '\(suggestion)'?"
            }
            message += " (task '\(taskName)' takes: \(keys.joined(separator: ", ")); see experiments/TASKS.md)"
            throw parameterKeyOrigin(name).error(message)
        }
        guard values["task.sequence_length"] != nil else {
            throw missing("task.sequence_length", "the dependency length T (an integer ≥ 1)", taskOrigin)
        }
        let sequenceLength = settings.task.sequenceLength

        let task: any SequenceTask
        do {
            task = try TaskCatalog.make(name: taskName, sequenceLength: sequenceLength, parameters: settings.task.parameters)
        } catch {
            let at: ConfigOrigin
            switch error.parameter {
            case nil: at = origin("task.name")
            case "sequence_length"?: at = origin("task.sequence_length")
            case let parameter?:
                at = (values["task.\(parameter)"] ?? values["task.sequence_length"])?.origin ?? origin("task.name")
            }
            throw at.error(error.description)
        }

        try checkModel(origin: origin)
        let iterations = settings.training.iterations
        for step in settings.probes.gradientSteps where step > iterations {
            let at = stepOrigin(step) ?? origin("probes.gradient_steps")
            throw at.error("gradient probe step \(step) is after the last iteration (training.iterations = \(iterations))")
        }
        var run = settings
        if case .chrono(InitScheme.chronoSequenceLength) = run.model.initialization {
            run.model.initialization = .chrono(tMax: Double(sequenceLength))
        }
        do {
            try run.model.initialization.check(for: run.model.networkConfiguration(inputSize: 1))
            try run.model.initialization.validate()
        } catch {
            throw origin("model.init").error(error.message)
        }
        run.experiment = experiment
        run.variant = variant
        run.task.parameters = task.parameters
        return run
    }

    /// The model's settings that depend on each other: the cell and what applies to it.
    private func checkModel(origin: (String) -> ConfigOrigin) throws(ConfigError) {
        let model = settings.model
        let cell = model.cell.rawValue
        if model.projSize > 0 {
            guard model.cell == .lstm else {
                throw origin("model.proj_size").error("applies to lstm cells only, and model.cell is \(cell); leave it out or 0")
            }
            guard model.projSize < model.hiddenSize else {
                throw origin("model.proj_size").error("must be below hidden_size (\(model.hiddenSize)), got \(model.projSize)")
            }
        }
        if model.cell != .rnn, model.nonlinearity != .tanh {
            throw origin("model.nonlinearity").error(
                "applies to rnn cells only; a \(cell) cell has its own gate nonlinearities (leave it out)")
        }
    }

    /// The list element that gave a gradient probe step (the first, if given twice).
    private func stepOrigin(_ step: Int) -> ConfigOrigin? {
        let elements = (try? values["probes.gradient_steps"]?.elements()) ?? []
        return elements.first { (try? $0.integer()) == step }?.origin
    }

    private func missing(_ path: String, _ what: String, _ at: ConfigOrigin) -> ConfigError {
        ConfigError(
            path: at.file, line: at.line, column: at.column, keyPath: path,
            message: "missing: every run needs \(what); set \(path) or sweep it")
    }
}
