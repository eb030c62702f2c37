import Foundation
import Sweeps
import TestSupport
import Testing

/// The shipped configs (`experiments/**/*.yaml`) against the run ids users' stores hold:
/// the ids are pinned in `Tests/Fixtures/shipped_run_ids.txt`, and every run's resolved
/// config reads back to the same run.
@Suite("ShippedConfigTests")
struct ShippedConfigTests {
    /// Every shipped config, as a path from the repository root, sorted; not the suites'
    /// manifests (`suite.yaml`), which name configs rather than being one.
    static var configPaths: [String] {
        let experiments = ConfigTests.repositoryRoot.appendingPathComponent("experiments", isDirectory: true)
        var paths: [String] = []
        let items = FileManager.default.enumerator(atPath: experiments.path)
        while let item = items?.nextObject() as? String {
            if item.hasSuffix(".yaml"), !item.hasSuffix("/suite.yaml") { paths.append("experiments/" + item) }
        }
        return paths.sorted()
    }

    static func load(_ path: String) throws -> ExperimentConfig {
        try ExperimentConfig.load(URL(fileURLWithPath: path, relativeTo: ConfigTests.repositoryRoot))
    }

    @Test("every shipped run keeps the id pinned in Tests/Fixtures/shipped_run_ids.txt")
    func runIDsUnchanged() throws {
        let fixture = try String(contentsOf: fixtureURL("shipped_run_ids.txt"), encoding: .utf8)
        let pinned = fixture.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        var actual: [String] = []
        for path in Self.configPaths {
            for (index, run) in try Self.load(path).runs.enumerated() { actual.append("\(path) \(index) \(run.id)") }
        }
        // A new config's ids are pinned by adding its lines; a pinned id never changes.
        #expect(Set(pinned.map { $0.prefix { $0 != " " } }) == Set(Self.configPaths.map { $0[...] }))
        #expect(actual.count == pinned.count)
        for (got, expected) in zip(actual, pinned) where got != expected {
            Issue.record("run id changed: expected \(expected), got \(got)")
        }
    }

    @Test("parse(resolvedYAML) gives back the same run, YAML and id, for every shipped run")
    func canonicalRoundTrip() throws {
        for path in Self.configPaths {
            for run in try Self.load(path).runs {
                let again = try ExperimentConfig.parse(run.resolvedYAML, path: "config.yaml").runs
                #expect(again == [run], "\(path): \(run.id)")
                #expect(again.first?.resolvedYAML == run.resolvedYAML, "\(path): \(run.id)")
                #expect(again.first?.id == run.id, "\(path): \(run.id)")
            }
        }
    }

    /// A config giving every setting a value other than its default.
    static let everySetting = """
        name: every-setting
        seeds: [7]
        model: {hidden_size: 9, num_layers: 2, nonlinearity: relu, bias: false, bidirectional: true, dropout: 0.25, init: {scheme: spectral-radius, radius: 1.1}, precision: float64}
        task: {name: copy, sequence_length: 12, symbols: 5, length: 3}
        training: {optimizer: {name: sgd, momentum: 0.5}, learning_rate: 0.02, batch_size: 8, iterations: 40, clip_norm: none, eval_interval: 10, eval_size: 64, success: {loss_fraction: 0.2, accuracy_gap: 0.3}}
        probes: {gradient_steps: [40, 0, 5], hidden_states: true, batch_size: 4}
        variants:
          v1: {}
        """

    /// Every setting away from its default, so that each one's canonical text is pinned (the
    /// shipped configs leave most at their defaults).
    @Test("the resolved config of a run with every setting changed is pinned")
    func everySettingPinned() throws {
        let run = try ExperimentConfig.parse(Self.everySetting, path: "e.yaml").runs[0]
        #expect(
            run.resolvedYAML == """
                model:
                  bias: false
                  bidirectional: true
                  dropout: 0.25
                  hidden_size: 9
                  init:
                    radius: 1.1
                    scheme: spectral-radius
                  nonlinearity: relu
                  num_layers: 2
                  precision: float64
                name: every-setting
                probes:
                  batch_size: 4
                  gradient_steps: [0, 5, 40]
                  hidden_states: true
                seeds: [7]
                task:
                  length: 3
                  name: copy
                  sequence_length: 12
                  symbols: 5
                training:
                  batch_size: 8
                  clip_norm: null
                  eval_interval: 10
                  eval_size: 64
                  iterations: 40
                  learning_rate: 0.02
                  optimizer:
                    momentum: 0.5
                    name: sgd
                  success:
                    accuracy_gap: 0.3
                    loss_fraction: 0.2
                variants:
                  v1: {}

                """)
        #expect(run.id == "copy-T12-relu-spectral-radius-r1.1-s7-1304004fba0b5c2f")
    }
}
