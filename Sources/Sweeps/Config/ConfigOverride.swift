/// One value for one setting as a config writes it: in a base section, a variant or a sweep
/// list, with where it was written.
struct ConfigOverride {
    /// The setting's full key path, e.g. `model.init` or `task.symbols`.
    let path: String
    /// Where the key is written (for a sweep value: the sweep key).
    let keyOrigin: ConfigOrigin
    /// Where the value is written (for a sweep value: the list element).
    let origin: ConfigOrigin
    /// Sets the value, already checked alone, on a run being assembled.
    let apply: (inout RunDraft) -> Void
}
