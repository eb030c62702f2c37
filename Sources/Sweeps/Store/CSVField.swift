/// One field of a CSV file as RFC 4180 (and pandas, and Python's csv module) read it.
enum CSVField {
    /// The text as it is, or in double quotes with its quotes doubled when it holds a comma,
    /// a quote or a line break (a variant's name may).
    static func quoted(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
