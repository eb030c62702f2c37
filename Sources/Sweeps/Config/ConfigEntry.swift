/// One `key: value` of a mapping.
struct ConfigEntry {
    let key: String
    /// Where the key is written (the key path includes the key).
    let keyOrigin: ConfigOrigin
    let value: ConfigValue
}
