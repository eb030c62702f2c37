import Sweeps

/// Two REPORT.md texts compared part by part — the verdict, then each numbered section —
/// each part's tables row by row and its other lines (the acceptance checks, the notes) as
/// they are. Provenance differs by design (revision, machine, wall time) and is left out,
/// except the config hash: if that differs, the reports are of different configs.
struct ReportComparison {
    /// One part of the report and what differs in it; empty `differences` means identical.
    struct Part: Equatable {
        let name: String
        /// "table 1 (8 rows)", "text (3 lines)": what was compared.
        let compared: [String]
        /// "table 2 row 5: committed `…`, rerun `…`", at most a few per part.
        let differences: [String]
    }

    let parts: [Part]

    var identical: Bool { parts.allSatisfy(\.differences.isEmpty) }

    /// How many differing rows or lines a part lists before it only counts them.
    static let shownDifferences = 3

    init(committed: String, rerun: String) {
        let old = Self.sections(committed), new = Self.sections(rerun)
        var parts: [Part] = []
        for (name, oldLines) in old {
            guard let newLines = new.first(where: { $0.name == name })?.lines else {
                parts.append(Part(name: name, compared: [], differences: ["the rerun's report has no such part"]))
                continue
            }
            parts.append(Self.compare(name, oldLines, newLines))
        }
        for (name, _) in new where !old.contains(where: { $0.name == name }) {
            parts.append(Part(name: name, compared: [], differences: ["the committed report has no such part"]))
        }
        self.parts = parts
    }

    /// The report cut at its `## ` headings; the part before the first is the verdict. In
    /// Provenance only the config hash line is kept.
    private static func sections(_ text: String) -> [(name: String, lines: [String])] {
        var sections: [(name: String, lines: [String])] = [("verdict", [])]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("## ") {
                // "## 1. Gradient decay at initialization — [figure](…)": the name without links.
                let title = String(line.dropFirst(3))
                sections.append((title.components(separatedBy: " — ").first ?? title, []))
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                sections[sections.count - 1].lines.append(line)
            }
        }
        return sections.map { section in
            section.name == "Provenance" ? (section.name, section.lines.filter { $0.hasPrefix("- Config hash") }) : section
        }
    }

    /// Tables (runs of `|` lines) row by row, then the other lines together.
    private static func compare(_ name: String, _ old: [String], _ new: [String]) -> Part {
        let (oldTables, oldText) = split(old), (newTables, newText) = split(new)
        var compared: [String] = [], differences: [String] = []
        for index in 0..<max(oldTables.count, newTables.count) {
            let label = "table \(index + 1)"
            guard index < oldTables.count, index < newTables.count else {
                differences.append("\(label): only in the \(index < oldTables.count ? "committed" : "rerun") report")
                continue
            }
            compared.append("\(label) (\(counted(oldTables[index].count - 2, "row")))")  // less the header and its rule
            differences += lineDifferences(label, oldTables[index], newTables[index], unit: "row", offset: -2)
        }
        if !oldText.isEmpty || !newText.isEmpty {
            compared.append("text (\(counted(oldText.count, "line")))")
            differences += lineDifferences("text", oldText, newText, unit: "line", offset: 0)
        }
        return Part(name: name, compared: compared, differences: differences)
    }

    private static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    private static func split(_ lines: [String]) -> (tables: [[String]], text: [String]) {
        var tables: [[String]] = [], text: [String] = []
        var inTable = false
        for line in lines {
            if line.hasPrefix("|") {
                if !inTable { tables.append([]) }
                tables[tables.count - 1].append(line)
                inTable = true
            } else {
                text.append(line)
                inTable = false
            }
        }
        return (tables, text)
    }

    /// The lines that differ, the first few quoted; `offset` numbers a table's data rows from 1.
    private static func lineDifferences(_ label: String, _ old: [String], _ new: [String], unit: String, offset: Int) -> [String] {
        var differing: [Int] = []
        for index in 0..<max(old.count, new.count) where old[safe: index] != new[safe: index] { differing.append(index) }
        guard !differing.isEmpty else { return [] }
        var lines = differing.prefix(shownDifferences).map { index in
            "\(label) \(unit) \(index + 1 + offset): committed `\(old[safe: index] ?? "(none)")`, rerun `\(new[safe: index] ?? "(none)")`"
        }
        if differing.count > shownDifferences { lines.append("\(label): \(differing.count - shownDifferences) more \(unit)s differ") }
        return lines
    }
}
