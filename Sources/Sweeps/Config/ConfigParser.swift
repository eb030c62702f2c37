import Recurrence
import Yams

/// Reads a config document into base settings, variants, a grid and seeds, then expands it.
struct ConfigParser {
    let file: String

    func experiment(from document: ConfigValue) throws(ConfigError) -> ExperimentConfig {
        guard case .mapping = document.node else {
            throw document.error(
                "a config is a mapping of keys (\(ExperimentConfig.topLevelKeys.joined(separator: ", "))), got \(document.shown)")
        }
        var name: String?
        var seeds: [UInt64] = [0]
        var base: [ConfigOverride] = []
        var taskOrigin = document.origin
        var sweepEntry: ConfigEntry?
        var variantsEntry: ConfigEntry?

        for entry in try document.entries() {
            switch entry.key {
            case "name":
                let value = try entry.value.string(expected: "an experiment name")
                guard ExperimentConfig.isValidName(value) else {
                    throw entry.value.error(
                        "'\(value)' is not a valid experiment name (lower-case letters, digits, '.', '_', '-', starting with a letter or digit)")
                }
                name = value
            case "seeds":
                seeds = try Self.seeds(entry.value)
            case "model", "task", "training", "probes":
                if entry.key == "task" { taskOrigin = entry.keyOrigin }
                try section(entry.value, prefix: entry.key, into: &base)
            case "sweep":
                sweepEntry = entry
            case "variants":
                variantsEntry = entry
            default:
                throw entry.keyOrigin.error(unknownTopLevelKeyMessage(entry.key))
            }
        }

        let axes = try sweepEntry.map { entry throws(ConfigError) in try Self.axes(entry) } ?? []
        let variants = try variantsEntry.map { entry throws(ConfigError) in try Self.variants(entry, axes: axes) }
            ?? [SweepGrid.Variant(name: nil, origin: nil, overrides: [])]
        let experiment = name ?? ExperimentConfig.defaultName(forFile: file)
        let grid = SweepGrid(variants: variants, axes: axes)
        let runs = try grid.expand(base: base, seeds: seeds, documentOrigin: document.origin) {
            draft, variant throws(ConfigError) in
            try draft.resolve(experiment: experiment, variant: variant, taskOrigin: taskOrigin)
        }
        return ExperimentConfig(name: experiment, path: file, runs: runs)
    }

    private func unknownTopLevelKeyMessage(_ key: String) -> String {
        let keys = ExperimentConfig.topLevelKeys
        if let suggestion = DidYouMean.suggestion(for: key, among: keys) {
            return "unknown key '\(key)'; did you mean '\(suggestion)'?"
        }
        if let path = try? SweepGrid.settingPath(
            for: key, at: ConfigOrigin(file: file, keyPath: key, mark: nil), noun: "key")
        {
            let section = path.split(separator: ".").dropLast().joined(separator: ".")
            return "unknown top-level key '\(key)'; did you mean '\(path)' (under \(section):)?"
        }
        return "unknown key '\(key)' (expected one of: \(keys.joined(separator: ", ")))"
    }

    /// `seeds: N` (seeds 0..<N) or a list of distinct seeds.
    static func seeds(_ value: ConfigValue) throws(ConfigError) -> [UInt64] {
        if case .sequence = value.node {
            let elements = try value.elements()
            guard !elements.isEmpty else { throw value.error("expected at least one seed, got an empty list") }
            var seeds: [UInt64] = []
            for element in elements {
                let text = try element.scalar(expected: "a seed (an integer ≥ 0)")
                guard let seed = UInt64(text) else {
                    throw element.error("expected a seed (an integer ≥ 0), got \(element.shown)")
                }
                if let first = seeds.firstIndex(of: seed) {
                    throw element.error("seed \(seed) is listed twice (also at seeds[\(first)])")
                }
                seeds.append(seed)
            }
            return seeds
        }
        let count = try value.integer(atLeast: 1)
        guard count <= SweepGrid.maximumRuns else {
            throw value.error("must be ≤ \(SweepGrid.maximumRuns) (the most runs a config may expand to), got \(count)")
        }
        return Array(0..<UInt64(count))
    }

    /// Reads a section (`model:`, `task:`, …) or a group within one (`training.success`).
    func section(_ value: ConfigValue, prefix: String, into overrides: inout [ConfigOverride]) throws(ConfigError) {
        let paths = ExperimentConfig.settingPaths
        for entry in try value.entries(nullIsEmpty: true) {
            let path = prefix + "." + entry.key
            if paths.contains(path) {
                overrides.append(try Self.override(path, entry.value, keyOrigin: entry.keyOrigin))
            } else if paths.contains(where: { $0.hasPrefix(path + ".") }) {
                try section(entry.value, prefix: path, into: &overrides)
            } else if prefix == "task" {
                // A task parameter; the catalog checks it against the task once known.
                overrides.append(try Self.override(path, entry.value, keyOrigin: entry.keyOrigin))
            } else {
                let children = Self.children(of: prefix)
                var message = "unknown key '\(entry.key)'"
                if let suggestion = DidYouMean.suggestion(for: entry.key, among: children) {
                    message += "; did you mean '\(suggestion)'?"
                } else {
                    message += " (expected one of: \(children.joined(separator: ", ")))"
                }
                throw entry.keyOrigin.error(message)
            }
        }
    }

    /// The keys directly below a section or group, in documentation order.
    static func children(of prefix: String) -> [String] {
        var children: [String] = []
        for path in ExperimentConfig.settingPaths where path.hasPrefix(prefix + ".") {
            let child = String(path.dropFirst(prefix.count + 1).prefix { $0 != "." })
            if !children.contains(child) { children.append(child) }
        }
        return children
    }

    /// `sweep:` — each key a setting, each value a non-empty list.
    static func axes(_ entry: ConfigEntry) throws(ConfigError) -> [SweepGrid.Axis] {
        let entries = try entry.value.entries(nullIsEmpty: true)
        guard !entries.isEmpty else {
            throw entry.keyOrigin.error(
                "the sweep is empty; give at least one key with a list of values, e.g. sequence_length: [10, 20], or remove sweep:")
        }
        var axes: [SweepGrid.Axis] = []
        for sweepKey in entries {
            let path = try SweepGrid.settingPath(for: sweepKey.key, at: sweepKey.keyOrigin, noun: "sweep key")
            if let other = axes.first(where: { $0.path == path }) {
                throw sweepKey.keyOrigin.error("sets \(path), which \(other.origin.keyPath) already sweeps")
            }
            guard case .sequence = sweepKey.value.node else {
                throw sweepKey.value.error(
                    "expected a non-empty list of values, e.g. [a, b], got \(sweepKey.value.shown)")
            }
            let elements = try sweepKey.value.elements()
            guard !elements.isEmpty else {
                throw sweepKey.value.error("expected a non-empty list of values, got an empty list")
            }
            var values: [ConfigOverride] = []
            for element in elements {
                values.append(try override(path, element, keyOrigin: sweepKey.keyOrigin))
            }
            axes.append(SweepGrid.Axis(path: path, origin: sweepKey.keyOrigin, values: values))
        }
        return axes
    }

    /// `variants:` — named override sets, in file order.
    static func variants(_ entry: ConfigEntry, axes: [SweepGrid.Axis]) throws(ConfigError) -> [SweepGrid.Variant] {
        let entries = try entry.value.entries(nullIsEmpty: true)
        guard !entries.isEmpty else {
            throw entry.keyOrigin.error(
                "no variants; name at least one (e.g. baseline: {}) or remove variants:")
        }
        var variants: [SweepGrid.Variant] = []
        for variant in entries {
            guard ExperimentConfig.isValidName(variant.key) else {
                throw variant.keyOrigin.error(
                    "'\(variant.key)' is not a valid variant name (lower-case letters, digits, '.', '_', '-', starting with a letter or digit)")
            }
            var overrides: [ConfigOverride] = []
            for setting in try variant.value.entries(nullIsEmpty: true) {
                let path = try SweepGrid.settingPath(for: setting.key, at: setting.keyOrigin, noun: "variant key")
                if let other = overrides.first(where: { $0.path == path }) {
                    throw setting.keyOrigin.error("sets \(path), which \(other.keyOrigin.keyPath) already sets")
                }
                if let axis = axes.first(where: { $0.path == path }) {
                    throw setting.keyOrigin.error(
                        "sets \(path), which \(axis.origin.keyPath) sweeps; a variant cannot set a swept key (every variant runs the whole grid)")
                }
                overrides.append(try override(path, setting.value, keyOrigin: setting.keyOrigin))
            }
            variants.append(SweepGrid.Variant(name: variant.key, origin: variant.keyOrigin, overrides: overrides))
        }
        return variants
    }

    // MARK: Settings

    /// Reads one setting's value, checking it alone (type and range).
    static func override(_ path: String, _ value: ConfigValue, keyOrigin: ConfigOrigin) throws(ConfigError) -> ConfigOverride {
        ConfigOverride(path: path, keyOrigin: keyOrigin, origin: value.origin, apply: try assignment(path, value))
    }

    private static func assignment(_ path: String, _ value: ConfigValue) throws(ConfigError) -> (inout RunDraft) -> Void {
        switch path {
        case "task.name":
            let name = try value.string(expected: "a task name (one of: \(TaskCatalog.names.joined(separator: ", ")))")
            guard TaskCatalog.names.contains(name) else {
                throw value.error(configUnknownNameMessage("task", name, known: TaskCatalog.names))
            }
            return { $0.taskName = name }
        case "task.sequence_length":
            let length = try value.integer(atLeast: 1)
            return { $0.sequenceLength = length }
        case "model.hidden_size":
            let size = try value.integer(atLeast: 1)
            return { $0.model.hiddenSize = size }
        case "model.num_layers":
            let layers = try value.integer(atLeast: 1)
            return { $0.model.numLayers = layers }
        case "model.nonlinearity":
            let nonlinearity = try value.choice("nonlinearity", ["tanh": Nonlinearity.tanh, "relu": .relu])
            return { $0.model.nonlinearity = nonlinearity }
        case "model.bias":
            let bias = try value.bool()
            return { $0.model.bias = bias }
        case "model.bidirectional":
            let bidirectional = try value.bool()
            return { $0.model.bidirectional = bidirectional }
        case "model.dropout":
            let dropout = try value.number("in [0, 1)") { $0 >= 0 && $0 < 1 }
            return { $0.model.dropout = dropout }
        case "model.init":
            let initialization = try Self.initialization(value)
            return { $0.model.initialization = initialization }
        case "model.precision":
            let double = try value.choice("precision", ["float32": false, "float64": true])
            return { $0.model.double = double }
        case "training.optimizer":
            let optimizer = try Self.optimizer(value)
            return { $0.optimizer = optimizer }
        case "training.learning_rate":
            let rate = try value.positiveNumber()
            return { $0.learningRate = rate }
        case "training.batch_size":
            let size = try value.integer(atLeast: 1)
            return { $0.training.batchSize = size }
        case "training.iterations":
            let iterations = try value.integer(atLeast: 1)
            return { $0.training.iterations = iterations }
        case "training.clip_norm":
            let clip: Double?
            if value.isNull {
                clip = nil
            } else if case .scalar(let scalar) = value.node, scalar.string == "none" {
                clip = nil
            } else if case .scalar(let scalar) = value.node, ConfigValue.number(scalar.string) != nil {
                clip = try value.positiveNumber()
            } else {
                throw value.error("expected a number > 0, or none for no clipping, got \(value.shown)")
            }
            return { $0.training.clipNorm = clip }
        case "training.eval_interval":
            let interval = try value.integer(atLeast: 1)
            return { $0.training.evalInterval = interval }
        case "training.eval_size":
            let size = try value.integer(atLeast: 1)
            return { $0.training.evalSize = size }
        case "training.success.loss_fraction":
            let fraction = try value.number("in (0, 1]") { $0 > 0 && $0 <= 1 }
            return { $0.training.successLossFraction = fraction }
        case "training.success.accuracy_gap":
            let gap = try value.number("in [0, 1]") { $0 >= 0 && $0 <= 1 }
            return { $0.training.successAccuracyGap = gap }
        case "probes.gradient_steps":
            let elements = try value.elements(expected: "a list of training iterations, e.g. [0, 100]")
            var origins: [Int: ConfigOrigin] = [:]
            for element in elements {
                let step = try element.integer(atLeast: 0)
                if origins[step] == nil { origins[step] = element.origin }
            }
            let steps = origins.keys.sorted()
            return {
                $0.probes.gradientSteps = steps
                $0.stepOrigins = origins
            }
        case "probes.hidden_states":
            let hiddenStates = try value.bool()
            return { $0.probes.hiddenStates = hiddenStates }
        case "probes.batch_size":
            let size = try value.integer(atLeast: 1)
            return { $0.probes.batchSize = size }
        default:
            precondition(path.hasPrefix("task."), "not a setting: \(path)")
            let name = String(path.dropFirst("task.".count))
            let parameter = try value.taskParameter()
            return { $0.taskParameters[name] = parameter }
        }
    }

    /// `init: scheme` or `init: {scheme: scheme, <parameter>: value}`.
    static func initialization(_ value: ConfigValue) throws(ConfigError) -> Initialization {
        let schemes = InitScheme.allCases.map(\.rawValue) + ["identity"]
        func scheme(_ scalar: ConfigValue) throws(ConfigError) -> InitScheme {
            let text = try scalar.string(expected: "an init scheme (one of: \(schemes.joined(separator: ", ")))")
            guard let scheme = InitScheme(configName: text) else {
                throw scalar.error(configUnknownNameMessage("init scheme", text, known: schemes))
            }
            return scheme
        }
        guard case .mapping = value.node else {
            return try scheme(value).initialization(parameter: nil)
        }
        let entries = try value.entries()
        guard let schemeEntry = entries.first(where: { $0.key == "scheme" }) else {
            throw value.error("an init mapping needs scheme: (one of: \(schemes.joined(separator: ", ")))")
        }
        let chosen = try scheme(schemeEntry.value)
        var parameter: Double?
        for entry in entries where entry.key != "scheme" {
            guard let key = chosen.parameterKey, entry.key == key else {
                let keys = ["scheme"] + (chosen.parameterKey.map { [$0] } ?? [])
                let allKeys = ["scheme"] + InitScheme.allCases.compactMap(\.parameterKey)
                var message = "unknown key '\(entry.key)' for init scheme '\(chosen.rawValue)'"
                if let suggestion = DidYouMean.suggestion(for: entry.key, among: keys) {
                    message += "; did you mean '\(suggestion)'?"
                } else if allKeys.contains(entry.key) {
                    message += "; it belongs to another scheme"
                }
                throw entry.keyOrigin.error(message + " (expected: \(keys.joined(separator: ", ")))")
            }
            parameter = try entry.value.positiveNumber()
        }
        return chosen.initialization(parameter: parameter)
    }

    /// `optimizer: name` or `optimizer: {name: name, <hyperparameter>: value}`; the learning
    /// rate is `training.learning_rate` and is filled in later.
    static func optimizer(_ value: ConfigValue) throws(ConfigError) -> OptimizerSettings {
        let names = ["adam", "sgd", "rmsprop"]
        func named(_ scalar: ConfigValue) throws(ConfigError) -> OptimizerSettings {
            try scalar.choice(
                "optimizer",
                [
                    "adam": OptimizerSettings.adam(learningRate: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8),
                    "sgd": .sgd(learningRate: 0, momentum: 0),
                    "rmsprop": .rmsprop(learningRate: 0, alpha: 0.99, epsilon: 1e-8),
                ])
        }
        guard case .mapping = value.node else { return try named(value) }
        let entries = try value.entries()
        guard let nameEntry = entries.first(where: { $0.key == "name" }) else {
            throw value.error("an optimizer mapping needs name: (one of: \(names.joined(separator: ", ")))")
        }
        var optimizer = try named(nameEntry.value)
        for entry in entries where entry.key != "name" {
            let keys = ["name"] + optimizer.configHyperparameters.map(\.key)
            let v = entry.value
            switch (optimizer, entry.key) {
            case (.sgd(let lr, _), "momentum"):
                optimizer = .sgd(learningRate: lr, momentum: try v.number("in [0, 1)") { $0 >= 0 && $0 < 1 })
            case (.adam(let lr, _, let b2, let eps), "beta1"):
                optimizer = .adam(learningRate: lr, beta1: try v.number("in [0, 1)") { $0 >= 0 && $0 < 1 }, beta2: b2, epsilon: eps)
            case (.adam(let lr, let b1, _, let eps), "beta2"):
                optimizer = .adam(learningRate: lr, beta1: b1, beta2: try v.number("in [0, 1)") { $0 >= 0 && $0 < 1 }, epsilon: eps)
            case (.adam(let lr, let b1, let b2, _), "epsilon"):
                optimizer = .adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: try v.positiveNumber())
            case (.rmsprop(let lr, _, let eps), "alpha"):
                optimizer = .rmsprop(learningRate: lr, alpha: try v.number("in [0, 1)") { $0 >= 0 && $0 < 1 }, epsilon: eps)
            case (.rmsprop(let lr, let alpha, _), "epsilon"):
                optimizer = .rmsprop(learningRate: lr, alpha: alpha, epsilon: try v.positiveNumber())
            default:
                var message = "unknown key '\(entry.key)' for optimizer '\(optimizer.name)'"
                if entry.key == "learning_rate" || entry.key == "lr" {
                    message += "; the learning rate is training.learning_rate"
                } else if let suggestion = DidYouMean.suggestion(for: entry.key, among: keys) {
                    message += "; did you mean '\(suggestion)'?"
                }
                throw entry.keyOrigin.error(message + " (expected: \(keys.joined(separator: ", ")))")
            }
        }
        return optimizer
    }
}
