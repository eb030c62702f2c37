/// A YAML value of the canonical form: block mappings with sorted keys, flow lists of
/// scalars, scalars written as given.
enum CanonicalNode {
    case scalar(String)
    case list([String])
    indirect case mapping([String: CanonicalNode])

    static func number(_ value: Double) -> CanonicalNode { .scalar(value.configText) }

    /// A string as a plain scalar when it cannot be read as anything else, else quoted.
    static func string(_ value: String) -> CanonicalNode { .scalar(quoted(value)) }

    /// The node on one line, as flow YAML: `64`, `[0, 100]`, `{name: adam}`.
    var inlineText: String {
        switch self {
        case .scalar(let text): text
        case .list(let items): "[" + items.joined(separator: ", ") + "]"
        case .mapping(let mapping):
            "{" + mapping.keys.sorted().map { Self.quoted($0) + ": " + mapping[$0]!.inlineText }.joined(separator: ", ") + "}"
        }
    }

    /// Puts `node` at a dotted key path (`training.success.loss_fraction`) below `mapping`,
    /// adding to the mappings on the way.
    static func insert(_ node: CanonicalNode, at path: some StringProtocol, into mapping: inout [String: CanonicalNode]) {
        guard let dot = path.firstIndex(of: ".") else {
            mapping[String(path)] = node
            return
        }
        let key = String(path[..<dot])
        var child: [String: CanonicalNode] = [:]
        if case .mapping(let existing)? = mapping[key] { child = existing }
        insert(node, at: path[path.index(after: dot)...], into: &child)
        mapping[key] = .mapping(child)
    }

    static func write(_ mapping: [String: CanonicalNode], indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        for key in mapping.keys.sorted() {
            let name = pad + quoted(key) + ":"
            switch mapping[key]! {
            case .scalar(let text): lines.append(name + " " + text)
            case .list(let items): lines.append(name + " [" + items.joined(separator: ", ") + "]")
            case .mapping(let child) where child.isEmpty: lines.append(name + " {}")
            case .mapping(let child):
                lines.append(name)
                write(child, indent: indent + 2, into: &lines)
            }
        }
    }

    private static func quoted(_ text: String) -> String {
        let reserved: Set = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf", "infinity"]
        let isPlainSafe = text.unicodeScalars.first.map { $0.properties.isAlphabetic || $0 == "_" } == true
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)) }
            && !reserved.contains(text.lowercased())
        if isPlainSafe { return text }
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
