/// One setting a config can give, sweep or vary: a row of `ConfigSchema.settings`, with
/// everything parsing, the resolved config and the documentation need to know of it.
struct ConfigSetting: Sendable {
    /// The full key path, e.g. `model.hidden_size`, `training.success.loss_fraction`.
    let path: String
    /// The type and range as experiments/README.md's tables give them.
    let typeName: String
    /// A config must give it; its value in `ConfigSchema.defaults` is a placeholder.
    let isRequired: Bool
    /// What it means, one line, for experiments/README.md's tables.
    let doc: String
    /// Reads a value, checked alone (type and range), into the change it makes to a run.
    let read: @Sendable (ConfigValue) throws(ConfigError) -> ConfigOverride.Change
    /// The run's value in the resolved config; nil when the setting is left out of it.
    let canonical: @Sendable (RunConfiguration) -> CanonicalNode?
    /// The run's value as experiments/README.md's tables show a default.
    let summary: @Sendable (RunConfiguration) -> String

    /// - Parameters:
    ///   - keyPath: where the value lives in a run (and in the settings being assembled).
    ///   - type: how the value is written.
    ///   - omittedWhenDefault: leave the setting out of the resolved config (and so out of the
    ///     run id) while it has its default, so that adding it keeps every existing run's id.
    init<Value>(
        _ path: String, _ keyPath: WritableKeyPath<RunConfiguration, Value> & Sendable, _ type: SettingType<Value>,
        isRequired: Bool = false, omittedWhenDefault: Bool = false, doc: String
    ) {
        self.path = path
        typeName = type.name
        self.isRequired = isRequired
        self.doc = doc
        read = { value throws(ConfigError) in
            let setting = try type.read(value)
            return { $0[keyPath: keyPath] = setting }
        }
        canonical = { run in
            let value = run[keyPath: keyPath]
            return omittedWhenDefault && value == ConfigSchema.defaults[keyPath: keyPath] ? nil : type.write(value)
        }
        summary = { type.summary($0[keyPath: keyPath]) }
    }
}
