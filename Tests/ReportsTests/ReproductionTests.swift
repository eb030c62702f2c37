import Foundation
import Plot
import Reports
import Sweeps
import TestSupport
import Testing

/// A miniature of the reproduction suite, end to end in seconds: every figure is a valid
/// PNG with provenance and the report has every table, computed from the runs just made.
@Suite("Reproduction pipeline")
struct ReproductionTests {
    static let configs = [
        "decay.yaml": """
            name: my-decay
            seeds: 2
            model: {hidden_size: 16}
            task: {name: recall, sequence_length: 60, classes: 4, noise: 1.0}
            training: {iterations: 1, eval_interval: 1, eval_size: 4, batch_size: 4}
            probes: {batch_size: 4}
            variants:
              tanh-default: {nonlinearity: tanh, init: pytorch-default}
              irnn: {nonlinearity: relu, init: eye}
            """,
        "weight-scale.yaml": """
            name: my-scale
            model: {hidden_size: 32}
            task: {name: recall, sequence_length: 60, classes: 4, noise: 1.0}
            training: {iterations: 1, eval_interval: 1, eval_size: 4, batch_size: 4}
            probes: {batch_size: 4}
            sweep:
              nonlinearity: [tanh, relu]
              init: [{scheme: gaussian, gain: 0.5}, {scheme: gaussian, gain: 1.0}]
            """,
        "recall.yaml": """
            name: my-recall
            model: {hidden_size: 8}
            task: {name: recall, sequence_length: 2, classes: 2, noise: 0.1}
            training: {iterations: 20, eval_interval: 10, eval_size: 16, batch_size: 8}
            probes: {batch_size: 4}
            sweep:
              sequence_length: [2, 4]
            variants:
              tanh-default: {}
            """,
        "adding.yaml": """
            name: my-adding
            model: {hidden_size: 8}
            task: {name: adding, sequence_length: 4}
            training: {iterations: 20, eval_interval: 10, eval_size: 16, batch_size: 8}
            probes: {batch_size: 4}
            sweep:
              sequence_length: [4, 8]
            variants:
              tanh-default: {}
            """,
        "gated-decay.yaml": """
            name: my-gated-decay
            seeds: 2
            model: {hidden_size: 16}
            task: {name: recall, sequence_length: 60, classes: 4, noise: 1.0}
            training: {iterations: 1, eval_interval: 1, eval_size: 4, batch_size: 4}
            probes: {batch_size: 4}
            variants:
              rnn-tanh: {cell: rnn, init: pytorch-default}
              lstm-default: {cell: lstm, init: pytorch-default}
              lstm-chrono: {cell: lstm, init: chrono}
              gru-forget-bias: {cell: gru, init: forget-bias}
            """,
        "gated-recall.yaml": """
            name: my-gated-recall
            model: {hidden_size: 8}
            task: {name: recall, sequence_length: 4, classes: 2, noise: 0.1}
            training: {iterations: 20, eval_interval: 10, eval_size: 16, batch_size: 8}
            probes: {batch_size: 4}
            sweep:
              sequence_length: [4, 8]
            variants:
              rnn-tanh: {cell: rnn}
              lstm-chrono: {cell: lstm, init: chrono}
              gru-chrono: {cell: gru, init: chrono}
            """,
        "suite.yaml": """
            gated-decay: gated-decay.yaml
            gated-learnability: gated-recall.yaml
            decay: decay.yaml
            weight-scale: weight-scale.yaml
            learnability: [recall.yaml, adding.yaml]
            hidden-states: {config: recall.yaml, variant: tanh-default}
            gradient-flow: {config: decay.yaml, variant: tanh-default}
            training-dynamics: {config: recall.yaml, variant: tanh-default, sequence_length: 4}
            """,
    ]

    /// The miniature suite in a new directory, with `suite.yaml` replaced when given.
    private func suite(in root: URL, manifest: String? = nil) throws -> URL {
        let suite = root.appendingPathComponent("suite")
        try FileManager.default.createDirectory(at: suite, withIntermediateDirectories: true)
        for (name, text) in Self.configs { try Data(text.utf8).write(to: suite.appendingPathComponent(name)) }
        if let manifest { try Data(manifest.utf8).write(to: suite.appendingPathComponent("suite.yaml")) }
        return suite
    }

    @Test("runs the suite, then writes every figure and a report with every table")
    func miniature() throws {
        let root = try makeTemporaryDirectory("reproduce")
        defer { try? FileManager.default.removeItem(at: root) }
        let suite = try suite(in: root)
        let output = root.appendingPathComponent("figures")
        let outcome = try Reproduction.run(suite: suite, store: root.appendingPathComponent("runs"), output: output,
                                           jobs: 2, rerun: true, showsProgress: false)
        let written = outcome.written
        #expect(outcome.unreadable.isEmpty)
        #expect(written.map(\.lastPathComponent) == ["gradient_decay.png", "decay_vs_weight_scale.png", "learnability.png",
                                                     "hidden_states.png", "gradient_flow.png", "training_dynamics.png",
                                                     "lyapunov.png", "gated_decay.png", "gated_learnability.png", "REPORT.md",
                                                     "index.html"])
        // The browsable report beside REPORT.md: an index linking a report per experiment.
        let html = try String(contentsOf: output.appendingPathComponent("report/index.html"), encoding: .utf8)
        for experiment in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("runs").path) {
            #expect(html.contains("href=\"\(experiment)/index.html\""), "\(experiment)")
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("report/\(experiment)/index.html").path))
        }
        for url in written where url.pathExtension == "png" {
            let png = try DecodedPNG.read(url)
            #expect(png.width > 500 && png.height > 300)
            #expect(png.text["Software"]?.hasPrefix("vanish ") == true)
            #expect(png.text["Description"]?.contains("vanish reproduce") == true)
        }
        let report = try String(contentsOf: output.appendingPathComponent("REPORT.md"), encoding: .utf8)
        for heading in ["**Verdict, measured.**", "## 1. Gradient decay at initialization", "## 2. Decay rate against weight scale",
                        "## 3. Learnability against dependency length", "## 4–6. Inside the network",
                        "**The gated contrast, measured.**", "## 7. Gated cells", "## Provenance"] {
            #expect(report.contains(heading), "missing \(heading)")
        }
        #expect(report.contains("| tanh-default |") && report.contains("| tanh | 0.50 |") && report.contains("| recall | tanh-default | 4 |"))
        #expect(report.contains("Wall time of the experiments"))
        // The gated section: every decay variant in the cell-then-init order, with λ₁ and E[ln g]
        // beside the measured slope (the LSTM's from ‖∂L/∂c_t‖), and the Wilson intervals.
        let gatedRows = report.split(separator: "\n").filter { $0.hasPrefix("| rnn-tanh | rnn |") || $0.hasPrefix("| lstm-") || $0.hasPrefix("| gru-") }
        #expect(gatedRows.map { $0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces) }.prefix(4)
                == ["rnn-tanh", "lstm-default", "lstm-chrono", "gru-forget-bias"])
        // The LSTM's runs stored ‖∂L/∂c_t‖ (cell_grad_log_norms_step0.npy), the others have none.
        let cellSlope = { (variant: String) in
            gatedRows.first { $0.hasPrefix("| \(variant) |") }.map { $0.split(separator: "|")[5].trimmingCharacters(in: .whitespaces) }
        }
        #expect(cellSlope("lstm-default")?.contains(" ± ") == true && cellSlope("rnn-tanh") == "—" && cellSlope("gru-forget-bias") == "—")
        #expect(report.contains("| recall | lstm-chrono | 8 | "))
        #expect(report.contains("Acceptance: λ₁ and the measured slope agree within 0.02 nats per step for every cell and init"))
        #expect(report.contains("E[ln g] is not the decay rate"))

        // --from rebuilds the same figures from the store without running anything.
        let again = try Reproduction.run(suite: suite, store: root.appendingPathComponent("runs"), output: output,
                                         jobs: 1, rerun: false, showsProgress: false)
        #expect(again.written.count == 11)
        let rebuilt = try String(contentsOf: output.appendingPathComponent("REPORT.md"), encoding: .utf8)
        #expect(rebuilt.contains("rebuilt from an existing run store"))
    }

    @Test("--check reruns the suite in a fresh store: identical part by part; a changed number is named with its row")
    func checkAgainstCommitted() throws {
        let root = try makeTemporaryDirectory("reproduce-check")
        defer { try? FileManager.default.removeItem(at: root) }
        let suite = try suite(in: root)
        let committed = root.appendingPathComponent("committed")
        _ = try Reproduction.run(suite: suite, store: root.appendingPathComponent("runs"), output: committed,
                                 jobs: 2, rerun: true, showsProgress: false)
        let same = try ReproductionCheck.run(committed: committed, suite: suite, store: nil, jobs: 2, showsProgress: false)
        #expect(same.identical, "\(same.lines)")
        #expect(same.lines.first?.hasPrefix("verdict: identical") == true)
        #expect(same.lines.contains { $0.hasPrefix("7. Gated cells: identical (table 1 (4 rows), table 2 (4 rows), table 3 (6 rows)") },
                "\(same.lines)")
        #expect(same.lines.last == "figures: all 9 PNGs have identical pixels")

        // One number of the committed report changed by hand: that row, and only that part.
        let reportURL = committed.appendingPathComponent("REPORT.md")
        var lines = try String(contentsOf: reportURL, encoding: .utf8).components(separatedBy: "\n")
        let row = try #require(lines.firstIndex { $0.hasPrefix("| irnn |") })
        let original = lines[row]
        lines[row] = original.replacingOccurrences(of: #"\| (-?[0-9]+\.[0-9]{3}) \| "#, with: "| 9.999 | ", options: .regularExpression)
        #expect(lines[row] != original)
        try Data(lines.joined(separator: "\n").utf8).write(to: reportURL)
        let changed = try ReproductionCheck.run(committed: committed, suite: suite, store: nil, jobs: 2, showsProgress: false)
        #expect(!changed.identical)
        let differing = changed.lines.filter { $0.contains("DIFFERS") }
        #expect(differing.count == 1 && differing[0].hasPrefix("1. Gradient decay at initialization: DIFFERS"), "\(changed.lines)")
        #expect(differing.first?.contains("table 1 row 1: committed `| irnn |") == true, "\(changed.lines)")
    }

    @Test("--from a store without the suite's runs says which are missing")
    func missingRuns() throws {
        let root = try makeTemporaryDirectory("reproduce-missing")
        defer { try? FileManager.default.removeItem(at: root) }
        let suite = try suite(in: root)
        #expect(throws: AnalysisError.self) {
            try Reproduction.run(suite: suite, store: root.appendingPathComponent("runs"), output: root.appendingPathComponent("f"),
                                 jobs: 1, rerun: false, showsProgress: false)
        }
    }

    @Test("a suite manifest that lacks a role or names what is not there: one line naming the role, nothing run", arguments: [
        ("decay: decay.yaml\n", "suite.yaml: weight-scale: missing"),
        ("""
         decay: decay.yaml
         weight-scale: weight-scale.yaml
         learnability: [recall.yaml, adding.yaml]
         hidden-states: {config: recall.yaml, variant: tanh-orthogonal}
         """, "suite.yaml:4:16: hidden-states: "),
        ("""
         decay: decay.yaml
         weight-scale: weight-scale.yaml
         learnability: [recall.yaml, adding.yaml]
         hidden-states: {config: recall.yaml, variant: tanh-default}
         gradient-flow: {config: decay.yaml, variant: tanh-default}
         training-dynamics: {config: recall.yaml, variant: tanh-default, sequence_length: 20}
         """, "runs variant 'tanh-default' at no sequence length 20"),
        ("decay: decay.yaml\nfigure-9: adding.yaml\n", "suite.yaml:2:1: figure-9: unknown role"),
        ("decay: missing.yaml\n", "missing.yaml: no such file"),
    ])
    func badManifest(manifest: String, message: String) throws {
        let root = try makeTemporaryDirectory("reproduce-manifest")
        defer { try? FileManager.default.removeItem(at: root) }
        let suite = try suite(in: root, manifest: manifest)
        do {
            _ = try Reproduction.run(suite: suite, store: root.appendingPathComponent("runs"), output: root.appendingPathComponent("f"),
                                     jobs: 1, rerun: true, showsProgress: false)
            Issue.record("a bad manifest was accepted")
        } catch let error as ConfigError {
            #expect("\(error)".contains(message), "\(error)")
            #expect(!"\(error)".contains("\n"))
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("runs").path), "nothing ran")
    }
}
