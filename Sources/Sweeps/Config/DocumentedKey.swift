/// A config key that is not a setting, as experiments/README.md's tables document it: a
/// top-level key, or a group of settings such as `training.success`.
struct DocumentedKey: Sendable {
    /// The key, or a group's full key path.
    let key: String
    /// The type as the tables give it.
    let typeName: String
    /// The default as the tables give it (Markdown); empty when there is none to give.
    let defaultText: String
    /// What it means, one line.
    let doc: String
}
