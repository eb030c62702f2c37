extension ConfigSchema {
    /// The top-level keys, in documentation order. The sections hold the settings; the
    /// others are read by `ConfigParser` itself.
    static let topLevel = [
        DocumentedKey(
            key: "name", typeName: "name", defaultText: "the file's base name",
            doc: "The experiment; runs are stored under `runs/<name>/`. Lower-case letters, digits, `.`, `_`, `-`, starting with a letter or digit. The default is the file name without its extension, lower-cased, other characters replaced by `-`."),
        DocumentedKey(
            key: "seeds", typeName: "integer N ≥ 1, or list", defaultText: "`1`",
            doc: "N: seeds 0 … N−1. A list (`[0, 7, 42]`): those seeds, distinct integers ≥ 0, in that order. A seed fixes every random number of a run (weights, data, dropout)."),
        DocumentedKey(key: "model", typeName: "mapping", defaultText: "", doc: "The network, below."),
        DocumentedKey(key: "task", typeName: "mapping", defaultText: "", doc: "The task, below."),
        DocumentedKey(key: "training", typeName: "mapping", defaultText: "", doc: "The optimizer and the training loop, below."),
        DocumentedKey(key: "probes", typeName: "mapping", defaultText: "", doc: "What to record besides the training curve, below."),
        DocumentedKey(
            key: "sweep", typeName: "mapping of lists", defaultText: "no sweep",
            doc: "A grid over settings; see [Sweeps](#sweeps)."),
        DocumentedKey(
            key: "variants", typeName: "mapping of mappings", defaultText: "no variants",
            doc: "Named override sets; see [Variants](#variants)."),
    ]

    static var topLevelKeys: [String] { topLevel.map(\.key) }

    /// The groups of settings within a section, each documented before its settings.
    static let groups = [
        DocumentedKey(
            key: "training.success", typeName: "mapping", defaultText: "",
            doc: "When a run counts as a success, by its final held-out metric:"),
    ]
}
