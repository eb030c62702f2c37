import Foundation
@testable import Sweeps
import Testing

/// The settings table (`ConfigSchema`): every typed setting refuses a quoted value the same
/// way, and experiments/README.md's key tables are the schema's, rendered.
@Suite("ConfigSchemaTests")
struct ConfigSchemaTests {
    /// Runs between them giving every setting a value of each form it writes: the defaults,
    /// and every setting changed (no clipping, a mapping with a parameter, several steps).
    static func sampleRuns() throws -> [RunConfiguration] {
        let defaults = try ExperimentConfig.parse("task: {name: adding, sequence_length: 5}", path: "d.yaml").runs[0]
        let changed = try ExperimentConfig.parse(ShippedConfigTests.everySetting, path: "e.yaml").runs[0]
        return [defaults, changed]
    }

    /// `node` with one of its scalars quoted, for each scalar, with that scalar's key path
    /// below `path`.
    static func quotings(of node: CanonicalNode, at path: String) -> [(node: CanonicalNode, keyPath: String)] {
        switch node {
        case .scalar(let text):
            return [(.scalar("\"\(text)\""), path)]
        case .list(let items):
            return items.indices.map { index in
                var quoted = items
                quoted[index] = "\"\(items[index])\""
                return (.list(quoted), "\(path)[\(index)]")
            }
        case .mapping(let mapping):
            return mapping.keys.sorted().flatMap { key in
                quotings(of: mapping[key]!, at: path + "." + key).map { quoted in
                    var copy = mapping
                    copy[key] = quoted.node
                    return (CanonicalNode.mapping(copy), quoted.keyPath)
                }
            }
        }
    }

    @Test("every setting takes its values unquoted and refuses each of them quoted, naming the key path")
    func quotedValuesRefused() throws {
        var refused = 0
        for run in try Self.sampleRuns() {
            #expect(try ExperimentConfig.parse(run.resolvedYAML, path: "config.yaml").runs == [run])
            for setting in ConfigSchema.settings {
                guard let canonical = setting.canonical(run) else { continue }
                for quoted in Self.quotings(of: canonical, at: setting.path) {
                    var tree = run.canonicalTree
                    CanonicalNode.insert(quoted.node, at: setting.path, into: &tree)
                    var lines: [String] = []
                    CanonicalNode.write(tree, indent: 0, into: &lines)
                    let yaml = lines.joined(separator: "\n")
                    do {
                        _ = try ExperimentConfig.parse(yaml, path: "q.yaml")
                        Issue.record("\(quoted.keyPath): a quoted value was accepted in\n\(yaml)")
                    } catch {
                        #expect(error.keyPath == quoted.keyPath, "\(error)")
                        #expect(error.message.contains("in quotes, a string; write it without quotes"), "\(error)")
                        #expect(error.line > 0 && !error.description.contains("\n"), "\(error)")
                        refused += 1
                    }
                }
            }
        }
        // Each setting at least once per run.
        #expect(refused >= 2 * ConfigSchema.settings.count)
    }

    // MARK: experiments/README.md

    /// The Markdown table of experiments/README.md for some keys: key, type, default,
    /// meaning, the first three columns padded to their widest cell.
    static func table(_ rows: [[String]]) -> String {
        let header = ["key", "type", "default", "meaning"]
        let cells = ([header] + rows).map { $0.map { $0.replacingOccurrences(of: "|", with: "\\|") } }
        let widths = (0..<3).map { column in cells.map { $0[column].count }.max()! }
        func line(_ row: [String]) -> String {
            let padded = (0..<3).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count) }
            return "| " + padded.joined(separator: " | ") + " | " + row[3] + " |"
        }
        let rule = "|" + (widths + ["meaning".count]).map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        return ([line(cells[0]), rule] + cells.dropFirst().map(line)).joined(separator: "\n") + "\n"
    }

    /// A section's table: its settings in schema order, a group's row before its first setting.
    static func sectionTable(_ section: String) -> String {
        var rows: [[String]] = []
        for setting in ConfigSchema.settings where setting.path.hasPrefix(section + ".") {
            for group in ConfigSchema.groups where setting.path.hasPrefix(group.key + ".") {
                let key = "`\(group.key.dropFirst(section.count + 1))`"
                if !rows.contains(where: { $0[0] == key }) { rows.append([key, group.typeName, group.defaultText, group.doc]) }
            }
            let value = setting.isRequired ? "required" : "`\(setting.summary(ConfigSchema.defaults))`"
            rows.append(["`\(setting.path.dropFirst(section.count + 1))`", setting.typeName, value, setting.doc])
        }
        return table(rows)
    }

    static var tables: [(name: String, text: String)] {
        let sections = ConfigSchema.settings.map { String($0.path.prefix { $0 != "." }) }
        var tables = [("top-level", table(ConfigSchema.topLevel.map { ["`\($0.key)`", $0.typeName, $0.defaultText, $0.doc] }))]
        for section in sections where !tables.contains(where: { $0.0 == section }) {
            tables.append((section, sectionTable(section)))
        }
        return tables
    }

    @Test("experiments/README.md's key tables are the schema's, rendered")
    func readmeTables() throws {
        let readme = try String(
            contentsOf: ConfigTests.repositoryRoot.appendingPathComponent("experiments/README.md"), encoding: .utf8)
        for (name, text) in Self.tables {
            let isThere = readme.contains(text)
            #expect(isThere, "experiments/README.md: the \(name) table is not the schema's; it should read:\n\(text)")
        }
    }

    @Test("every key is documented: a one-line doc, a type, its section at the top level, its group")
    func everyKeyDocumented() {
        for setting in ConfigSchema.settings {
            #expect(!setting.doc.isEmpty && !setting.doc.contains("\n"), "\(setting.path) needs a one-line doc")
            #expect(!setting.typeName.isEmpty, "\(setting.path)")
            let components = setting.path.split(separator: ".")
            #expect(ConfigSchema.topLevelKeys.contains(String(components[0])), "\(setting.path): no top-level doc for its section")
            if components.count > 2 {
                let group = components.dropLast().joined(separator: ".")
                #expect(ConfigSchema.groups.contains { $0.key == group }, "\(setting.path): no doc for its group \(group)")
            }
        }
        for key in ConfigSchema.topLevel + ConfigSchema.groups {
            #expect(!key.doc.isEmpty && !key.doc.contains("\n"), "\(key.key) needs a one-line doc")
        }
    }
}
