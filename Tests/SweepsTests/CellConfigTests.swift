import Foundation
import Recurrence
import Sweeps
import TestSupport
import Testing

/// `model.cell` and `model.proj_size`: gated cells in configs, without disturbing the run ids
/// of every existing nn.RNN run.
@Suite("Config: the cell")
struct CellConfigTests {
    static let base = """
        name: cells
        model: {hidden_size: 8}
        task: {name: recall, sequence_length: 10}
        training: {iterations: 5}

        """

    @Test("cell: rnn is the default and is left out of the resolved config, so ids are as before")
    func rnnIdsUnchanged() throws {
        let plain = try ExperimentConfig.parse(Self.base, path: "c.yaml").runs[0]
        let explicit = try ExperimentConfig.parse(Self.base.replacingOccurrences(of: "hidden_size: 8", with: "hidden_size: 8, cell: rnn"),
                                                  path: "c.yaml").runs[0]
        #expect(plain == explicit && plain.id == explicit.id && plain.model.cell == .rnn)
        #expect(!plain.resolvedYAML.contains("cell:") && !plain.resolvedYAML.contains("proj_size"))
    }

    @Test("a sweep over cells: one run per cell, each id naming its cell, each resolved config reading back")
    func sweepOverCells() throws {
        let config = try ExperimentConfig.parse(Self.base + "sweep: {cell: [rnn, lstm, gru]}\n", path: "c.yaml")
        #expect(config.runs.map(\.model.cell) == [.rnn, .lstm, .gru])
        let plain = try ExperimentConfig.parse(Self.base, path: "c.yaml").runs[0]
        #expect(config.runs[0].id == plain.id)
        #expect(config.runs[1].id.hasPrefix("recall-T10-lstm-pytorch-default-s0-"))
        #expect(config.runs[2].id.hasPrefix("recall-T10-gru-pytorch-default-s0-"))
        #expect(Set(config.runs.map(\.id)).count == 3)
        for run in config.runs {
            #expect(try ExperimentConfig.parse(run.resolvedYAML, path: "config.yaml").runs == [run])
        }
        #expect(config.runs[1].resolvedYAML.contains("  cell: lstm\n"))
    }

    @Test("proj_size: lstm only, below hidden_size, in the resolved config when set")
    func projection() throws {
        let run = try ExperimentConfig.parse(
            Self.base.replacingOccurrences(of: "hidden_size: 8", with: "hidden_size: 8, cell: lstm, proj_size: 3"),
            path: "c.yaml").runs[0]
        #expect(run.model.projSize == 3 && run.model.outputWidth == 3)
        #expect(run.resolvedYAML.contains("  proj_size: 3\n"))
        #expect(run.model.networkConfiguration(inputSize: 5).projSize == 3)
    }

    @Test("chrono's T_max is the run's sequence length unless given; the resolved config writes it")
    func chronoFollowsLength() throws {
        let yaml = Self.base.replacingOccurrences(of: "hidden_size: 8", with: "hidden_size: 8, cell: lstm, init: chrono")
            + "sweep: {sequence_length: [10, 20]}\n"
        let runs = try ExperimentConfig.parse(yaml, path: "c.yaml").runs
        #expect(runs.map(\.model.initialization) == [.chrono(tMax: 10), .chrono(tMax: 20)])
        #expect(runs[0].id.hasPrefix("recall-T10-lstm-chrono-s0-") && runs[0].resolvedYAML.contains("t_max: 10"))
        for run in runs { #expect(try ExperimentConfig.parse(run.resolvedYAML, path: "config.yaml").runs == [run]) }
        let fixed = try ExperimentConfig.parse(
            Self.base.replacingOccurrences(of: "hidden_size: 8", with: "hidden_size: 8, cell: gru, init: {scheme: chrono, t_max: 200}"),
            path: "c.yaml").runs[0]
        #expect(fixed.model.initialization == .chrono(tMax: 200) && fixed.id.hasPrefix("recall-T10-gru-chrono-t200-s0-"))
        let forget = try ExperimentConfig.parse(
            Self.base.replacingOccurrences(of: "hidden_size: 8", with: "hidden_size: 8, cell: lstm, init: forget-bias"),
            path: "c.yaml").runs[0]
        #expect(forget.model.initialization == .forgetBias(1) && forget.id.hasPrefix("recall-T10-lstm-forget-bias-s0-"))
    }

    @Test("gated cells train end to end: an LSTM with a projection and a GRU, stored with their block diagnostics and per-gate spectra")
    func gatedRunsTrain() throws {
        let yaml = """
            name: gated
            model: {hidden_size: 6, cell: lstm, proj_size: 3, init: chrono}
            task: {name: recall, sequence_length: 5, classes: 2}
            training: {iterations: 6, eval_interval: 3, eval_size: 8, batch_size: 4}
            probes: {batch_size: 4}
            variants:
              lstm: {}
              gru: {cell: gru, proj_size: 0, init: forget-bias}

            """
        let config = try ExperimentConfig.parse(yaml, path: "g.yaml")
        let root = try makeTemporaryDirectory("gated-sweep")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        try SweepPlan(experiment: config.name, runs: config.runs, shardCount: 1).write(into: store)
        let outcome = SweepRunner(store: store, jobs: 2, showsProgress: false).run(config.runs)
        #expect(outcome.completed.count == 2 && outcome.failed.isEmpty, "\(outcome.failed)")
        for run in config.runs {
            guard case .done(let summary) = store.state(of: run) else {
                Issue.record("\(run.id) not stored")
                continue
            }
            #expect(summary.divergedAt == nil && summary.blocksAtStart.first?.decayFit != nil, "\(run.id)")
            // Per-gate spectra at both ends: the LSTM's H × P blocks have no spectral radius.
            let gates = run.model.cell == .lstm ? ["i", "f", "g", "o"] : ["r", "z", "n"]
            for blocks in [summary.blocksAtStart, summary.blocksAtEnd] {
                let spectra = try #require(blocks.first?.gates)
                #expect(spectra.map(\.gate) == gates && spectra.allSatisfy { $0.sigmaMax.map { $0 > 0 } == true })
                #expect(spectra.allSatisfy { ($0.spectralRadius == nil) == (run.model.cell == .lstm) })
            }
            // The LSTM's runs also store ‖∂L/∂c_t‖, read back with the run.
            let stored = try #require(store.completedRuns(of: config.name).runs.first { $0.id == run.id })
            #expect((stored.initialCellLogNorms?.count == 6) == (run.model.cell == .lstm))  // recall: T + 1 steps
        }
        #expect(config.runs.map(\.model.cell) == [.lstm, .gru])
        // runs.csv names each run's cell, and an nn.RNN's nonlinearity only.
        let records = try #require(CSVReader.records(try String(contentsOf: root.appendingPathComponent("gated/runs.csv"), encoding: .utf8)))
        let header = records[0]
        let cell = try #require(header.firstIndex(of: "cell")), nonlinearity = try #require(header.firstIndex(of: "nonlinearity"))
        #expect(records.dropFirst().map { $0[cell] } == ["lstm", "gru"] && records.dropFirst().allSatisfy { $0[nonlinearity].isEmpty })
    }

    @Test("what does not fit the cell is one line at the key that does not fit", arguments: [
        ("{hidden_size: 8, cell: lstm, init: eye}", "c.yaml:2:43: model.init: eye initialization (IRNN) applies to rnn cells only, not lstm"),
        ("{hidden_size: 8, init: forget-bias}", "c.yaml:2:31: model.init: forget-bias initialization applies to gated cells"),
        ("{hidden_size: 8, cell: gru, bias: false, init: chrono}", "c.yaml:2:55: model.init: chrono initialization sets gate biases; the network has none"),
        ("{hidden_size: 8, cell: gru, init: {scheme: chrono, t_max: 2}}", "c.yaml:2:42: model.init: chrono initialization: T_max must be a finite number above 2, got 2.0"),
        ("{hidden_size: 8, cell: gru, proj_size: 3}", "c.yaml:2:47: model.proj_size: applies to lstm cells only, and model.cell is gru"),
        ("{hidden_size: 8, cell: lstm, proj_size: 8}", "c.yaml:2:48: model.proj_size: must be below hidden_size (8), got 8"),
        ("{hidden_size: 8, cell: lstm, nonlinearity: relu}", "c.yaml:2:51: model.nonlinearity: applies to rnn cells only"),
        ("{hidden_size: 8, cell: transformer}", "c.yaml:2:31: model.cell: unknown cell 'transformer'"),
        ("{hidden_size: 8, cell: 'lstm'}", "c.yaml:2:31: model.cell: expected a cell name (one of: rnn, lstm, gru), got 'lstm' in quotes"),
    ])
    func misfits(model: String, message: String) throws {
        let yaml = Self.base.replacingOccurrences(of: "{hidden_size: 8}", with: model)
        do {
            _ = try ExperimentConfig.parse(yaml, path: "c.yaml")
            Issue.record("accepted: \(model)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }
}
