import Foundation
@testable import Sweeps
import Testing

/// The settings table (`ConfigSchema`): every typed setting refuses a quoted value the same
/// way.
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
                for quoted in Self.quotings(of: setting.canonical(run), at: setting.path) {
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
}
