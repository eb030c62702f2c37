/// One value for one setting as a config writes it: in a base section, a variant or a sweep
/// list, with where it was written.
struct ConfigOverride {
    /// A change to the settings of a run being assembled.
    typealias Change = (inout RunConfiguration) -> Void

    /// The setting's full key path, e.g. `model.init` or `task.symbols`.
    let path: String
    /// Where the key is written (for a sweep value: the sweep key).
    let keyOrigin: ConfigOrigin
    /// The value as written (for a sweep value: the list element).
    let value: ConfigValue
    /// Sets the value, already checked alone.
    let apply: Change

    /// Where the value is written.
    var origin: ConfigOrigin { value.origin }
}
