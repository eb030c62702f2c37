import Foundation
import Yams

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

    /// The text of a non-null scalar, quoted or not: a name or a task parameter.
    func scalar(expected: String) throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("expected \(expected), got \(shown)")
        }
        return scalar.string
    }

    /// The text of a non-null, unquoted scalar: what every typed value (integer, number,
    /// boolean, choice) is read from. A quoted scalar is a string in YAML (`"8"` is not 8),
    /// so a typed key refuses it rather than read its text, the same way for every key.
    func typedScalar(expected: String) throws(ConfigError) -> String {
        let text = try scalar(expected: expected)
        guard !isQuoted else {
            throw error("expected \(expected), got \(shown) in quotes, a string; write it without quotes")
        }
        return text
    }

    func string(expected: String = "a name") throws(ConfigError) -> String {
        let text = try scalar(expected: expected)
        guard !text.isEmpty else { throw error("expected \(expected), got ''") }
        return text
    }

    func integer() throws(ConfigError) -> Int {
        let text = try typedScalar(expected: "an integer")
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
        let text = try typedScalar(expected: "a number")
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
        let text = try typedScalar(expected: "true or false")
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw error("expected true or false, got \(shown)")
        }
    }

    /// One of a fixed set of names; `what` names the set in messages ("nonlinearity").
    func choice<Value>(_ what: String, _ options: [(key: String, value: Value)]) throws(ConfigError) -> Value {
        let text = try typedScalar(expected: "a \(what) name (one of: \(options.map(\.key).joined(separator: ", ")))")
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

/// "unknown nonlinearity 'tahn'; did you mean 'tanh'? (expected one of: tanh, relu)".
func configUnknownNameMessage(_ what: String, _ name: String, known: [String]) -> String {
    let list = "(expected one of: \(known.joined(separator: ", ")))"
    if let suggestion = DidYouMean.suggestion(for: name, among: known) {
        return "unknown \(what) '\(name)'; did you mean '\(suggestion)'? \(list)"
    }
    return "unknown \(what) '\(name)' \(list)"
}
