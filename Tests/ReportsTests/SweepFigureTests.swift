import Foundation
import Plot
import Reports
import Sweeps
import TestSupport
import Testing

/// The standard figures of a sweep, drawn from a real (tiny) run store.
@Suite("Sweep figures")
struct SweepFigureTests {
    @Test("figures group runs by everything but seed and length, named by what differs")
    func figureGroups() throws {
        let root = try makeTemporaryDirectory("groups")
        defer { try? FileManager.default.removeItem(at: root) }
        let config = try ExperimentConfig.parse("""
            name: groups
            seeds: 2
            model: {hidden_size: 4}
            task: {name: recall, sequence_length: 3, classes: 2}
            training: {iterations: 3, eval_interval: 3, eval_size: 8, batch_size: 4}
            probes: {batch_size: 4}
            sweep:
              sequence_length: [3, 4]
              learning_rate: [0.01, 0.1]
            variants:
              tanh: {}
              irnn: {nonlinearity: relu, init: eye}
              lstm: {cell: lstm, init: chrono}
            """, path: "groups.yaml")
        let store = RunStore(root: root)
        _ = SweepRunner(store: store, jobs: 2, showsProgress: false).run(config.runs)
        let reading = try store.completedRuns(of: "groups")
        #expect(reading.unreadable.isEmpty && reading.runs.count == 24)
        let written = try SweepFigures.write(reading, to: root.appendingPathComponent("figures"), command: "test")
        #expect(written.map(\.lastPathComponent) == ["gradient_decay.png", "success_vs_length.png", "training_curves.png"])
        let labels = SweepFigures.groupLabels(reading.runs)
        // chrono's T_max follows the length by default: one group over both lengths, not one each.
        #expect(Set(labels) == ["irnn, lr 0.01", "irnn, lr 0.1", "tanh, lr 0.01", "tanh, lr 0.1", "lstm, lr 0.01", "lstm, lr 0.1"]
                && labels.count == 6, "\(labels)")
    }
}
