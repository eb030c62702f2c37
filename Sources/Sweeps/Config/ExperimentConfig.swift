import Foundation
import Yams

/// An experiment config file (YAML), parsed, validated and expanded into its runs.
///
/// The format, every key with its default, and the sweep and variant semantics are in
/// `experiments/README.md`. In short: `model`, `task`, `training` and `probes` give the base
/// settings (the keys of `ConfigSchema.settings`; defaults are those of `ModelSettings`,
/// `TrainingSettings`, `ProbeSettings`); `sweep` is a grid of value lists; `variants` are
/// named override sets; `seeds` runs every combination once per seed.
///
/// Every problem is a `ConfigError` naming file:line:column and the key path; nothing is
/// expanded from a config that has one.
public struct ExperimentConfig: Sendable {
    /// The experiment's name: `name:` in the file, else the file's base name.
    public let name: String
    /// The config file as the caller named it (used in messages).
    public let path: String
    /// Every run: variants (in file order) × grid points (lexicographic, the first sweep key
    /// slowest, values in list order) × seeds (fastest).
    public let runs: [RunConfiguration]

    /// Reads, validates and expands a config file. Messages name the file as `url` was given
    /// (relative paths stay relative).
    public static func load(_ url: URL) throws(ConfigError) -> ExperimentConfig {
        let path = url.isFileURL ? url.relativePath : url.absoluteString
        func failure(_ message: String) -> ConfigError {
            ConfigError(path: path, line: 0, column: 0, keyPath: "", message: message)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw failure("no such file")
        }
        guard !isDirectory.boolValue else { throw failure("is a directory, not a config file") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw failure("cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure("is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses, validates and expands config text.
    /// - Parameters:
    ///   - yaml: the config.
    ///   - path: the file it came from, for messages; its base name is the default
    ///     experiment name.
    public static func parse(_ yaml: String, path: String) throws(ConfigError) -> ExperimentConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConfigError(yaml: error, text: yaml, path: path)
        } catch {
            throw ConfigError(path: path, line: 1, column: 1, keyPath: "", message: "YAML syntax error: \(error)")
        }
        guard let root else {
            throw ConfigError(
                path: path, line: 1, column: 1, keyPath: "",
                message: "the config is empty; it needs at least task.name and task.sequence_length")
        }
        let document = ConfigValue(node: root, origin: ConfigOrigin(file: path, keyPath: "", mark: root.mark))
        return try ConfigParser(file: path).experiment(from: document)
    }
}

extension ExperimentConfig {
    /// What `name:` and variant names may be: lower-case letters, digits, `.`, `_`, `-`,
    /// starting with a letter or digit (they become directory names and run-id parts).
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isNameCharacter(first), first != ".",
            first != "_", first != "-"
        else { return false }
        return name.unicodeScalars.allSatisfy(isNameCharacter)
    }

    private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-"
    }

    /// The default experiment name: the file's base name, lower-cased, other characters
    /// replaced by `-`.
    static func defaultName(forFile path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()
        var name = String(String.UnicodeScalarView(base.unicodeScalars.map { isNameCharacter($0) ? $0 : "-" }))
        while let first = name.unicodeScalars.first, first == "." || first == "_" || first == "-" {
            name.removeFirst()
        }
        return name.isEmpty ? "experiment" : name
    }
}
