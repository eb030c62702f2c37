/// A YAML value of the canonical form: block mappings with sorted keys, flow lists of
/// scalars, scalars written as given.
enum CanonicalNode {
    case scalar(String)
    case list([String])
    indirect case mapping([String: CanonicalNode])

    static func number(_ value: Double) -> CanonicalNode { .scalar(value.configText) }

    /// A string as a plain scalar when it cannot be read as anything else, else quoted.
    static func string(_ value: String) -> CanonicalNode { .scalar(quoted(value)) }

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
