import Foundation
import Recurrence
import Sweeps
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

    @Test("what does not fit the cell is one line at the key that does not fit", arguments: [
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
