extension Double {
    /// Swift's shortest representation that reads back to the same Double (`0.001`, `1.0`),
    /// with a `.` in every mantissa (`1.0e-08`, not `1e-08`) so that YAML 1.1 readers such
    /// as PyYAML read a number, not a string: the number format of resolved configs and messages.
    var configText: String {
        let text = description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<e].contains(".") else { return text }
        return text[..<e] + ".0" + text[e...]
    }
}
