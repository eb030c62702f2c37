import Foundation
import Sweeps
import Yams

/// `suite.yaml` of a reproduction suite: which config feeds which part of the report. One
/// entry per `ReproductionRole`, e.g.
/// ```yaml
/// decay: decay.yaml
/// learnability: [recall.yaml, adding.yaml]
/// training-dynamics: {config: recall.yaml, variant: tanh-default, sequence_length: 20}
/// ```
/// Config paths are relative to the manifest. Every role must be there, every config must
/// load, and a named variant and sequence length must be among the config's runs; anything
/// else is a `ConfigError` naming the manifest, line, column and role.
struct SuiteManifest {
    /// The configs of one role, and the variant and sequence length it draws from.
    struct Source {
        let configs: [ExperimentConfig]
        let variant: String?
        let sequenceLength: Int?

        /// The experiments (run-store directories) the role reads.
        var experiments: [String] { configs.map(\.name) }
    }

    static let fileName = "suite.yaml"

    let path: String
    private let sources: [ReproductionRole: Source]
    /// Every config the suite runs, each once, in the order the manifest first names them.
    let configs: [ExperimentConfig]

    subscript(role: ReproductionRole) -> Source { sources[role]! }

    /// Reads `suite.yaml` in a suite directory and loads every config it names.
    static func load(suite directory: URL) throws(ConfigError) -> SuiteManifest {
        let url = directory.appendingPathComponent(fileName)
        let path = url.relativePath
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, line: 0, column: 0, keyPath: "",
                              message: "cannot read the suite's manifest (it says which config feeds which part of the report)")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(yaml: error, text: text, path: path)
        } catch {
            throw ConfigError(path: path, line: 1, column: 1, keyPath: "", message: "YAML syntax error: \(error)")
        }
        return try SuiteManifest(root, path: path, directory: directory)
    }

    private init(_ root: Node?, path: String, directory: URL) throws(ConfigError) {
        self.path = path
        let roles = ReproductionRole.allCases.map(\.rawValue).joined(separator: ", ")
        guard let root, case .mapping(let mapping) = root else {
            throw ConfigError(path: path, line: 1, column: 1, keyPath: "", message: "expected a mapping of roles (\(roles))")
        }
        var loaded: [String: ExperimentConfig] = [:]
        var order: [String] = []
        func config(_ node: Node, role: String) throws(ConfigError) -> ExperimentConfig {
            guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
                throw Self.error(path, node, role, "expected a config file name, e.g. decay.yaml")
            }
            if let config = loaded[scalar.string] { return config }
            let config = try ExperimentConfig.load(directory.appendingPathComponent(scalar.string))
            loaded[scalar.string] = config
            order.append(scalar.string)
            return config
        }
        var sources: [ReproductionRole: Source] = [:]
        for (key, value) in mapping {
            guard let role = ReproductionRole(rawValue: key.string ?? "") else {
                throw Self.error(path, key, key.string ?? "?", "unknown role (expected one of: \(roles))")
            }
            sources[role] = try Self.source(value, role: role, path: path, config: config)
        }
        if let missing = ReproductionRole.allCases.first(where: { sources[$0] == nil }) {
            throw ConfigError(path: path, line: 0, column: 0, keyPath: missing.rawValue,
                              message: "missing: the suite must say which config feeds this part of the report")
        }
        self.sources = sources
        configs = order.map { loaded[$0]! }
    }

    /// A role's value: a file, a list of files, or `{config:, variant:, sequence_length:}`.
    private static func source(
        _ value: Node, role: ReproductionRole, path: String,
        config: (Node, String) throws(ConfigError) -> ExperimentConfig
    ) throws(ConfigError) -> Source {
        switch value {
        case .sequence(let files) where !role.takesVariant && !files.isEmpty:
            var configs: [ExperimentConfig] = []
            for file in files { configs.append(try config(file, role.rawValue)) }
            return Source(configs: configs, variant: nil, sequenceLength: nil)
        case .mapping(let entries) where role.takesVariant:
            guard let file = entries["config"], let variant = entries["variant"]?.string else {
                throw error(path, value, role.rawValue, "expected {config: FILE, variant: NAME} (and sequence_length: T where one length is meant)")
            }
            let experiment = try config(file, role.rawValue)
            var length: Int?
            if let node = entries["sequence_length"] {
                guard let value = node.int else { throw error(path, node, role.rawValue, "expected an integer sequence length") }
                length = value
            }
            let runs = experiment.runs.filter { $0.variant == variant }
            guard !runs.isEmpty else {
                let known = Array(Set(experiment.runs.compactMap(\.variant))).sorted().joined(separator: ", ")
                throw error(path, value, role.rawValue, "\(experiment.path) has no variant '\(variant)' (it has: \(known))")
            }
            if let length, !runs.contains(where: { $0.task.sequenceLength == length }) {
                throw error(path, value, role.rawValue, "\(experiment.path) runs variant '\(variant)' at no sequence length \(length)")
            }
            for key in entries.keys where !["config", "variant", "sequence_length"].contains(key.string ?? "") {
                throw error(path, key, role.rawValue, "unknown key '\(key.string ?? "?")' (expected config, variant, sequence_length)")
            }
            return Source(configs: [experiment], variant: variant, sequenceLength: length)
        case .scalar where !role.takesVariant:
            return Source(configs: [try config(value, role.rawValue)], variant: nil, sequenceLength: nil)
        default:
            throw error(path, value, role.rawValue, role.takesVariant
                        ? "expected {config: FILE, variant: NAME} (and sequence_length: T where one length is meant)"
                        : "expected a config file name or a list of them")
        }
    }

    private static func error(_ path: String, _ node: Node, _ role: String, _ message: String) -> ConfigError {
        ConfigError(path: path, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, keyPath: role, message: message)
    }
}
