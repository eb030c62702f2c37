import Foundation
import Sweeps

/// Runs that differ only in seed and sequence length: one curve in a sweep's figures,
/// labelled by its variant and by the settings in which it differs from the other groups.
struct RunGroup {
    let label: String
    let runs: [StoredRun]

    /// Groups runs by their resolved configuration with seed and sequence length (and what
    /// defaults to it) set aside, in the order the groups first appear.
    static func grouping(_ runs: [StoredRun]) -> [RunGroup] {
        var keys: [String] = []
        var members: [String: [StoredRun]] = [:]
        var settings: [String: [String: String]] = [:]
        for run in runs {
            var shared = run.configuration
            shared.seed = 0
            shared.task.sequenceLength = 1
            // chrono's T_max at its default is the run's own sequence length: set aside with it.
            if case .chrono(let tMax) = shared.model.initialization, tMax == Double(run.configuration.task.sequenceLength) {
                shared.model.initialization = .chrono(tMax: 1)
            }
            let key = shared.resolvedYAML
            if members[key] == nil {
                keys.append(key)
                settings[key] = run.configuration.describedSettings
            }
            members[key, default: []].append(run)
        }
        // A group is named by its variant, then by the settings that differ between the
        // groups of that variant (what its name does not already say).
        return keys.map { key in
            let first = members[key]![0].configuration
            let siblings = keys.filter { members[$0]![0].configuration.variant == first.variant }.map { settings[$0]! }
            let differing = Set(siblings.flatMap(\.keys)).filter { name in
                Set(siblings.map { $0[name] ?? "" }).count > 1
            }.sorted()
            var parts = first.variant.map { [$0] } ?? []
            parts += differing.map { "\($0) \(settings[key]![$0] ?? "–")" }
            return RunGroup(label: parts.isEmpty ? first.task.name : parts.joined(separator: ", "), runs: members[key]!)
        }
    }
}

extension RunConfiguration {
    /// The settings sweeps usually vary, as short name–value pairs for labels.
    var describedSettings: [String: String] {
        var settings = [
            "nonlinearity": model.nonlinearity.rawValue, "init": initializationLabel,
            "H": String(model.hiddenSize), "layers": String(model.numLayers),
            "optimizer": training.optimizer.name, "lr": String(training.optimizer.learningRate),
            "clip": training.clipNorm.map { String($0) } ?? "none", "batch": String(training.batchSize),
            "iterations": String(training.iterations), "dropout": String(model.dropout),
            "bidirectional": String(model.bidirectional), "precision": model.double ? "float64" : "float32",
        ]
        for (name, value) in task.parameters { settings[name] = value.description }
        return settings
    }
}

extension OptimizerSettings {
    var learningRate: Double {
        switch self {
        case .sgd(let rate, _), .adam(let rate, _, _, _), .rmsprop(let rate, _, _): rate
        }
    }
}
