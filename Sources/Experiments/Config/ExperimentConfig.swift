import Foundation
import Recurrence
import Yams

/// An experiment config file (YAML), parsed, validated and expanded into its runs.
///
/// The format, every key with its default, and the sweep and variant semantics are in
/// `experiments/README.md`. In short: `model`, `task`, `training` and `probes` give the base
/// settings (defaults are those of `ModelSettings`, `TrainingSettings`, `ProbeSettings`);
/// `sweep` is a grid of value lists; `variants` are named override sets; `seeds` runs every
/// combination once per seed.
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
    /// Every setting a config can give, sweep or vary, as its full key path, in
    /// documentation order. Task parameters (`task.<parameter>`) come on top, from
    /// `TaskCatalog`.
    static let settingPaths = [
        "task.name", "task.sequence_length",
        "model.hidden_size", "model.num_layers", "model.nonlinearity", "model.bias",
        "model.bidirectional", "model.dropout", "model.init", "model.precision",
        "training.optimizer", "training.learning_rate", "training.batch_size", "training.iterations",
        "training.clip_norm", "training.eval_interval", "training.eval_size",
        "training.success.loss_fraction", "training.success.accuracy_gap",
        "probes.gradient_steps", "probes.hidden_states", "probes.batch_size",
    ]

    /// The top-level keys.
    static let topLevelKeys = ["name", "seeds", "model", "task", "training", "probes", "sweep", "variants"]

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

// MARK: - Where a value was written

/// Where a value sits in a config file: the key path as the user wrote it
/// (`sweep.init[2].gain`) and the line and column of the node.
struct ConfigOrigin: Sendable, Equatable {
    let file: String
    let keyPath: String
    let line: Int
    let column: Int

    init(file: String, keyPath: String, mark: Mark?) {
        self.file = file
        self.keyPath = keyPath
        self.line = mark?.line ?? 1
        self.column = mark?.column ?? 1
    }

    /// The origin of a node below this one.
    func child(_ key: String, _ mark: Mark?) -> ConfigOrigin {
        ConfigOrigin(file: file, keyPath: keyPath.isEmpty ? key : keyPath + "." + key, mark: mark)
    }

    func element(_ index: Int, _ mark: Mark?) -> ConfigOrigin {
        ConfigOrigin(file: file, keyPath: keyPath + "[\(index)]", mark: mark)
    }

    func error(_ message: String) -> ConfigError {
        ConfigError(path: file, line: line, column: column, keyPath: keyPath, message: message)
    }
}

extension ConfigError {
    /// A YAML syntax error at the parser's own line and column.
    init(yaml error: YamlError, text: String, path: String) {
        func context(_ context: YamlError.Context?) -> String {
            guard let context, !context.text.isEmpty else { return "" }
            return " (\(context.text) at \(context.mark.line):\(context.mark.column))"
        }
        switch error {
        case .scanner(let c, let problem, let mark, _), .parser(let c, let problem, let mark, _),
            .composer(let c, let problem, let mark, _):
            self.init(
                path: path, line: mark.line, column: mark.column, keyPath: "",
                message: "YAML syntax error: \(problem)\(context(c))")
        case .duplicatedKeysInMapping(let duplicates, let c):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            self.init(
                path: path, line: c.mark.line, column: c.mark.column, keyPath: "",
                message: "duplicate key \(keys) in one mapping; each key may appear once")
        case .reader(let problem, let offset, _, _):
            // The offset counts UTF-8 bytes from the start of the text.
            var (line, column) = (1, 1)
            if let offset {
                for byte in text.utf8.prefix(offset) {
                    if byte == UInt8(ascii: "\n") {
                        (line, column) = (line + 1, 1)
                    } else if byte & 0xC0 != 0x80 {
                        column += 1
                    }
                }
            }
            self.init(path: path, line: line, column: column, keyPath: "", message: "cannot read the YAML: \(problem)")
        default:
            self.init(path: path, line: 1, column: 1, keyPath: "", message: "YAML syntax error: \(error)")
        }
    }
}

// MARK: - Typed reads of YAML nodes

/// A YAML node with where it was written; the typed reads throw `ConfigError`s that point
/// at it.
struct ConfigValue {
    let node: Node
    let origin: ConfigOrigin

    /// `~`, `null` or nothing, unquoted.
    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    var isQuoted: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .singleQuoted || scalar.style == .doubleQuoted
    }

    /// The value as shown in messages: `'abc'`, `null`, `a list`, `a mapping`.
    var shown: String {
        switch node {
        case .scalar(let scalar):
            if isNull { return "null" }
            var text = scalar.string.replacingOccurrences(of: "\n", with: "\\n")
            if text.count > 40 { text = text.prefix(37) + "..." }
            return "'\(text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func error(_ message: String) -> ConfigError { origin.error(message) }

    /// The text of a non-null scalar.
    func scalar(expected: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("expected \(expected), got \(shown)")
        }
        return scalar.string
    }

    func string(expected: String = "a name") throws(ConfigError) -> String {
        let text = try scalar(expected: expected)
        guard !text.isEmpty else { throw error("expected \(expected), got ''") }
        return text
    }

    func integer() throws(ConfigError) -> Int {
        let text = try scalar(expected: "an integer")
        if let value = Int(text) { return value }
        if let number = Self.number(text), number.rounded() == number, number.magnitude < 0x1p53 {
            return Int(number)
        }
        throw error("expected an integer, got \(shown)")
    }

    func integer(atLeast minimum: Int) throws(ConfigError) -> Int {
        let value = try integer()
        guard value >= minimum else { throw error("must be ≥ \(minimum), got \(value)") }
        return value
    }

    /// A finite number.
    func number() throws(ConfigError) -> Double {
        let text = try scalar(expected: "a number")
        guard let value = Self.number(text) else { throw error("expected a finite number, got \(shown)") }
        return value
    }

    /// A number in an interval; `range` describes it for messages, e.g. "> 0", "in [0, 1)".
    func number(_ range: String, where isValid: (Double) -> Bool) throws(ConfigError) -> Double {
        let value = try number()
        guard isValid(value) else { throw error("must be \(range), got \(value.configText)") }
        return value
    }

    func positiveNumber() throws(ConfigError) -> Double {
        try number("> 0") { $0 > 0 }
    }

    func bool() throws(ConfigError) -> Bool {
        let text = try scalar(expected: "true or false")
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw error("expected true or false, got \(shown)")
        }
    }

    /// One of a fixed set of names; `what` names the set in messages ("nonlinearity").
    func choice<Value>(_ what: String, _ options: KeyValuePairs<String, Value>) throws(ConfigError) -> Value {
        let text = try scalar(expected: "a \(what) name (one of: \(options.map(\.key).joined(separator: ", ")))")
        guard let value = options.first(where: { $0.key == text })?.value else {
            throw error(configUnknownNameMessage(what, text, known: options.map(\.key)))
        }
        return value
    }

    /// The entries of a mapping, in file order; with `nullIsEmpty`, an empty value (`model:`)
    /// counts as an empty mapping.
    func entries(nullIsEmpty: Bool = false) throws(ConfigError) -> [ConfigEntry] {
        if nullIsEmpty, isNull { return [] }
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping (key: value), got \(shown)")
        }
        var entries: [ConfigEntry] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let key) = keyNode, !key.string.isEmpty else {
                let shownKey = ConfigValue(node: keyNode, origin: origin).shown
                throw origin.child("?", keyNode.mark).error("a key must be a name, got \(shownKey)")
            }
            entries.append(
                ConfigEntry(
                    key: key.string, keyOrigin: origin.child(key.string, keyNode.mark),
                    value: ConfigValue(node: valueNode, origin: origin.child(key.string, valueNode.mark))))
        }
        return entries
    }

    /// The elements of a list.
    func elements(expected: String = "a list") throws(ConfigError) -> [ConfigValue] {
        guard case .sequence(let sequence) = node else { throw error("expected \(expected), got \(shown)") }
        return sequence.enumerated().map { index, element in
            ConfigValue(node: element, origin: origin.element(index, element.mark))
        }
    }

    /// A task parameter: a quoted scalar is a string; an unquoted one an integer, a number
    /// or else a string.
    func taskParameter() throws(ConfigError) -> TaskParameter {
        let text = try scalar(expected: "a number or a name")
        if isQuoted { return .string(text) }
        if let value = Int(text) { return .int(value) }
        if let value = Self.number(text) { return .double(value) }
        return .string(text)
    }

    /// A finite number written as one (not `nan`, `inf` or `.inf`).
    static func number(_ text: String) -> Double? {
        guard let first = text.first, first.isASCII, first.isNumber || "+-.".contains(first),
            let value = Double(text), value.isFinite
        else { return nil }
        return value
    }
}

/// One `key: value` of a mapping.
struct ConfigEntry {
    let key: String
    /// Where the key is written (the key path includes the key).
    let keyOrigin: ConfigOrigin
    let value: ConfigValue
}

/// "unknown nonlinearity 'tahn'; did you mean 'tanh'? (expected one of: tanh, relu)".
func configUnknownNameMessage(_ what: String, _ name: String, known: [String]) -> String {
    let list = "(expected one of: \(known.joined(separator: ", ")))"
    if let suggestion = DidYouMean.suggestion(for: name, among: known) {
        return "unknown \(what) '\(name)'; did you mean '\(suggestion)'? \(list)"
    }
    return "unknown \(what) '\(name)' \(list)"
}

// MARK: - A run being assembled

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

extension ConfigOrigin {
    fileprivate init(file: String, keyPath: String, line: Int, column: Int) {
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.column = column
    }
}

// MARK: - The parser

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

// MARK: - Init schemes by config name

/// The init schemes as a config names them, with their one parameter and its default.
enum InitScheme: String, CaseIterable {
    case pytorchDefault = "pytorch-default"
    case xavierUniform = "xavier-uniform"
    case xavierNormal = "xavier-normal"
    case kaiming
    case orthogonal
    case eye
    case gaussian
    case spectralRadius = "spectral-radius"

    /// `identity` is another name for `eye`.
    init?(configName: String) {
        if configName == "identity" {
            self = .eye
        } else {
            self.init(rawValue: configName)
        }
    }

    init(_ initialization: Initialization) {
        switch initialization {
        case .pytorchDefault: self = .pytorchDefault
        case .xavierUniform: self = .xavierUniform
        case .xavierNormal: self = .xavierNormal
        case .kaiming: self = .kaiming
        case .orthogonal: self = .orthogonal
        case .identity: self = .eye
        case .gaussian: self = .gaussian
        case .spectralRadius: self = .spectralRadius
        }
    }

    /// The key of the scheme's parameter in an init mapping.
    var parameterKey: String? {
        switch self {
        case .pytorchDefault: nil
        case .xavierUniform, .xavierNormal, .kaiming, .orthogonal, .gaussian: "gain"
        case .eye: "input_std"
        case .spectralRadius: "radius"
        }
    }

    /// The parameter's value when the config leaves it out: gain 1 (kaiming: √2, PyTorch's
    /// gain for relu, which `kaiming_normal_` uses by default), input std 10⁻³ (IRNN), radius 1.
    var defaultParameter: Double? {
        switch self {
        case .pytorchDefault: nil
        case .xavierUniform, .xavierNormal, .orthogonal, .gaussian: 1
        case .kaiming: 2.0.squareRoot()
        case .eye: 1e-3
        case .spectralRadius: 1
        }
    }

    func initialization(parameter: Double?) -> Initialization {
        let value = parameter ?? defaultParameter ?? 0
        switch self {
        case .pytorchDefault: return .pytorchDefault
        case .xavierUniform: return .xavierUniform(gain: value)
        case .xavierNormal: return .xavierNormal(gain: value)
        case .kaiming: return .kaiming(gain: value)
        case .orthogonal: return .orthogonal(gain: value)
        case .eye: return .identity(inputStd: value)
        case .gaussian: return .gaussian(gain: value)
        case .spectralRadius: return .spectralRadius(value)
        }
    }
}
