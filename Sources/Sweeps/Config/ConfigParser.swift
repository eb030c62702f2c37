import Yams

/// Reads a config document into base settings, variants, a grid and seeds, then expands it.
struct ConfigParser {
    let file: String

    func experiment(from document: ConfigValue) throws(ConfigError) -> ExperimentConfig {
        guard case .mapping = document.node else {
            throw document.error(
                "a config is a mapping of keys (\(ConfigSchema.topLevelKeys.joined(separator: ", "))), got \(document.shown)")
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
        let keys = ConfigSchema.topLevelKeys
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
                let text = try element.typedScalar(expected: "a seed (an integer ≥ 0)")
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
        for entry in try value.entries(nullIsEmpty: true) {
            let path = prefix + "." + entry.key
            if ConfigSchema.setting(path) != nil {
                overrides.append(try Self.override(path, entry.value, keyOrigin: entry.keyOrigin))
            } else if !ConfigSchema.children(of: path).isEmpty {
                try section(entry.value, prefix: path, into: &overrides)
            } else if prefix == "task" {
                // A task parameter; the catalog checks it against the task once known.
                overrides.append(try Self.override(path, entry.value, keyOrigin: entry.keyOrigin))
            } else {
                let children = ConfigSchema.children(of: prefix)
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

    /// Reads one setting's value, checking it alone (type and range): a setting of
    /// `ConfigSchema`, or else a task parameter.
    static func override(_ path: String, _ value: ConfigValue, keyOrigin: ConfigOrigin) throws(ConfigError) -> ConfigOverride {
        let change: ConfigOverride.Change
        if let setting = ConfigSchema.setting(path) {
            change = try setting.read(value)
        } else {
            precondition(path.hasPrefix("task."), "not a setting: \(path)")
            let name = String(path.dropFirst("task.".count))
            let parameter = try value.taskParameter()
            change = { $0.task.parameters[name] = parameter }
        }
        return ConfigOverride(path: path, keyOrigin: keyOrigin, value: value, apply: change)
    }
}
