/// The type of one setting's value: how a config writes it (read with its type and range
/// checked), how the resolved config writes it, and how experiments/README.md names it.
struct SettingType<Value: Equatable & Sendable>: Sendable {
    /// The type and range as the README's tables give them: `integer ≥ 1`, `tanh | relu`.
    let name: String
    /// Reads a value, checked alone; `ConfigError`s point at it.
    let read: @Sendable (ConfigValue) throws(ConfigError) -> Value
    /// The value in the resolved config: one canonical text per value, read back by `read`.
    let write: @Sendable (Value) -> CanonicalNode
    /// The value as the README's tables show a default: the canonical text, or a shorter
    /// form for a value the canonical form writes as a mapping.
    let summary: @Sendable (Value) -> String

    init(
        name: String, read: @escaping @Sendable (ConfigValue) throws(ConfigError) -> Value,
        write: @escaping @Sendable (Value) -> CanonicalNode, summary: (@Sendable (Value) -> String)? = nil
    ) {
        self.name = name
        self.read = read
        self.write = write
        self.summary = summary ?? { write($0).inlineText }
    }
}

extension SettingType where Value == Int {
    static func integer(atLeast minimum: Int) -> Self {
        Self(name: "integer ≥ \(minimum)", read: { value throws(ConfigError) in try value.integer(atLeast: minimum) },
             write: { .scalar("\($0)") })
    }
}

extension SettingType where Value == Double {
    /// A finite number in an interval; `range` describes it, e.g. "> 0", "in [0, 1)".
    static func number(_ range: String, where isValid: @escaping @Sendable (Double) -> Bool) -> Self {
        Self(name: "number \(range)", read: { value throws(ConfigError) in try value.number(range, where: isValid) },
             write: CanonicalNode.number)
    }

    static var positiveNumber: Self { number("> 0") { $0 > 0 } }
}

extension SettingType where Value == Bool {
    static var bool: Self {
        Self(name: "`true` | `false`", read: { value throws(ConfigError) in try value.bool() },
             write: { .scalar("\($0)") })
    }
}

extension SettingType {
    /// One of a fixed set of names, each standing for a value; `what` names the set in
    /// messages ("nonlinearity"). Every value the settings can hold must have a name.
    static func choice(_ what: String, _ options: KeyValuePairs<String, Value>) -> Self {
        Self(
            name: options.map { "`\($0.key)`" }.joined(separator: " | "),
            read: { value throws(ConfigError) in try value.choice(what, Array(options)) },
            write: { value in .scalar(options.first { $0.value == value }?.key ?? "\(value)") })
    }
}

extension SettingType where Value == String {
    /// One of a list of names, kept as the name; `what` names the list in messages ("task").
    static func name(_ what: String, among names: [String]) -> Self {
        let options = names.map { (key: $0, value: $0) }
        return Self(
            name: names.map { "`\($0)`" }.joined(separator: " | "),
            read: { value throws(ConfigError) in try value.choice(what, options) },
            write: CanonicalNode.string)
    }
}
