import Recurrence

// The settings whose value is more than one scalar: each keeps its own reader, and is
// still one entry of `ConfigSchema.settings`.

extension SettingType where Value == Initialization {
    /// `init: scheme` or `init: {scheme: scheme, <parameter>: value}`; the resolved config
    /// writes the mapping, the parameter included (`eye` for `identity`).
    static var initialization: Self {
        Self(
            name: "scheme or mapping",
            read: { value throws(ConfigError) in try initialization(value) },
            write: { initialization in
                var mapping: [String: CanonicalNode] = ["scheme": .scalar(InitScheme(initialization).rawValue)]
                if let (key, parameter) = initialization.configParameter { mapping[key] = .number(parameter) }
                return .mapping(mapping)
            },
            summary: { InitScheme($0).rawValue })
    }

    private static func initialization(_ value: ConfigValue) throws(ConfigError) -> Initialization {
        let schemes = InitScheme.allCases.map(\.rawValue) + ["identity"]
        func scheme(_ scalar: ConfigValue) throws(ConfigError) -> InitScheme {
            let text = try scalar.typedScalar(expected: "an init scheme (one of: \(schemes.joined(separator: ", ")))")
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
}

extension SettingType where Value == OptimizerSettings {
    /// `optimizer: name` or `optimizer: {name: name, <hyperparameter>: value}`. The value's
    /// learning rate is a placeholder: the rate is `training.learning_rate`, and the resolved
    /// config writes the name and every hyperparameter but the rate.
    static var optimizer: Self {
        Self(
            name: "name or mapping",
            read: { value throws(ConfigError) in try optimizer(value) },
            write: { optimizer in
                var mapping: [String: CanonicalNode] = ["name": .scalar(optimizer.name)]
                for (key, value) in optimizer.configHyperparameters { mapping[key] = .number(value) }
                return .mapping(mapping)
            },
            summary: \.name)
    }

    private static func optimizer(_ value: ConfigValue) throws(ConfigError) -> OptimizerSettings {
        let names = ["adam", "sgd", "rmsprop"]
        func named(_ scalar: ConfigValue) throws(ConfigError) -> OptimizerSettings {
            try scalar.choice(
                "optimizer",
                [
                    ("adam", OptimizerSettings.adam(learningRate: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)),
                    ("sgd", .sgd(learningRate: 0, momentum: 0)),
                    ("rmsprop", .rmsprop(learningRate: 0, alpha: 0.99, epsilon: 1e-8)),
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

extension SettingType where Value == Double? {
    /// A number > 0, or `none`, `null` or nothing for none; the resolved config writes
    /// `null` for none. `none` says what none means, for messages ("no clipping").
    static func positiveNumberOrNone(_ none: String) -> Self {
        Self(
            name: "number > 0, or `none`",
            read: { value throws(ConfigError) in
                if value.isNull { return nil }
                let expected = "a number > 0, or none for \(none)"
                let text = try value.typedScalar(expected: expected)
                if text == "none" { return nil }
                guard ConfigValue.number(text) != nil else { throw value.error("expected \(expected), got \(value.shown)") }
                return try value.positiveNumber()
            },
            write: { $0.map(CanonicalNode.number) ?? .scalar("null") })
    }
}

extension SettingType where Value == [Int] {
    /// A list of training iterations (integers ≥ 0), kept sorted without duplicates; that
    /// none is after the last iteration is checked when the run is resolved.
    static var iterations: Self {
        Self(
            name: "list of integers in [0, iterations]",
            read: { value throws(ConfigError) in
                var steps: Set<Int> = []
                for element in try value.elements(expected: "a list of training iterations, e.g. [0, 100]") {
                    steps.insert(try element.integer(atLeast: 0))
                }
                return steps.sorted()
            },
            write: { .list($0.map { "\($0)" }) })
    }
}
