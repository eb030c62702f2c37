import Recurrence

extension RunConfiguration {
    /// The run as a canonical, fully resolved config: every key written (defaults and the
    /// task's resolved parameters included), keys sorted at every level, numbers in Swift's
    /// shortest round-trip form. It is what `config.yaml` in a run directory holds, and a
    /// valid experiment config for exactly this run: `ExperimentConfig.parse` of it gives
    /// back one run equal to this one (its seed as `seeds: [s]`, its variant as a single
    /// empty variant).
    public var resolvedYAML: String {
        var lines: [String] = []
        CanonicalNode.write(canonicalTree, indent: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A stable id: a readable prefix (task, T, nonlinearity or gated cell, init, seed) and the 16 hex
    /// digits of a 64-bit FNV-1a hash of `resolvedYAML`, e.g.
    /// `adding-T50-tanh-pytorch-default-s0-3f9a1c2e07b4d5a6` (all 64 bits, so that even large
    /// sweeps whose runs share a prefix do not collide).
    ///
    /// The same configuration gives the same id in every process and on every platform;
    /// changing any resolved field (the experiment and variant names included) changes it.
    public var id: String {
        let digits = FNV1a.hex(resolvedYAML.utf8)
        let unit = model.cell == .rnn ? model.nonlinearity.rawValue : model.cell.rawValue
        let prefix = "\(task.name)-T\(task.sequenceLength)-\(unit)-\(initializationLabel)-s\(seed)"
        return Self.sanitized(prefix) + "-" + digits
    }

    /// The init scheme's config name, with its parameter when that differs from the
    /// default: `orthogonal`, `gaussian-g1.5`, `eye-std0.01`, `spectral-radius-r1.1`.
    public var initializationLabel: String {
        let scheme = InitScheme(model.initialization)
        // chrono's default T_max is the sequence length, which the id already names.
        let defaultParameter = scheme == .chrono ? Double(task.sequenceLength) : scheme.defaultParameter
        guard let (key, value) = model.initialization.configParameter, value != defaultParameter else {
            return scheme.rawValue
        }
        let short = ["gain": "g", "input_std": "std", "radius": "r", "bias": "b", "t_max": "t"][key] ?? key
        var number = value.configText
        if number.hasSuffix(".0") { number.removeLast(2) }
        return "\(scheme.rawValue)-\(short)\(number)"
    }

    /// ASCII letters, digits, `.` and `-` only (the id names a directory).
    private static func sanitized(_ text: String) -> String {
        var result = ""
        for c in text.unicodeScalars where c != "+" {
            let allowed = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "-"
            result.unicodeScalars.append(allowed ? c : "-")
        }
        return result
    }

    /// The resolved config as a tree: the schema's settings, the task's parameters and the
    /// run's name, seed and variant.
    var canonicalTree: [String: CanonicalNode] {
        var taskTree: [String: CanonicalNode] = [:]
        for (key, value) in task.parameters {
            switch value {
            case .int(let value): taskTree[key] = .scalar("\(value)")
            case .double(let value): taskTree[key] = .number(value)
            case .string(let value): taskTree[key] = .string(value)
            }
        }
        var tree: [String: CanonicalNode] = ["name": .string(experiment), "seeds": .list(["\(seed)"]), "task": .mapping(taskTree)]
        for setting in ConfigSchema.settings {
            if let value = setting.canonical(self) { CanonicalNode.insert(value, at: setting.path, into: &tree) }
        }
        if let variant { tree["variants"] = .mapping([variant: .mapping([:])]) }
        return tree
    }
}
