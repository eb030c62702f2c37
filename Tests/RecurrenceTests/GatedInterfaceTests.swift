import Foundation
import Recurrence
import Testing
import TestSupport

@Suite("Gated cells' interface")
struct GatedInterfaceTests {
    @Test("GRU parameters are nn.GRU's named_parameters(): three gates stacked")
    func gruParameterNames() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, cell: .gru)
        let gru = try RNN<Float>(config)
        let entries = gru.parameters.layout.entries.map { "\($0.name)\($0.shape)" }
        #expect(entries == [
            "weight_ih_l0[15, 3]", "weight_hh_l0[15, 5]", "bias_ih_l0[15]", "bias_hh_l0[15]",
            "weight_ih_l0_reverse[15, 3]", "weight_hh_l0_reverse[15, 5]", "bias_ih_l0_reverse[15]", "bias_hh_l0_reverse[15]",
            "weight_ih_l1[15, 10]", "weight_hh_l1[15, 5]", "bias_ih_l1[15]", "bias_hh_l1[15]",
            "weight_ih_l1_reverse[15, 10]", "weight_hh_l1_reverse[15, 5]", "bias_ih_l1_reverse[15]", "bias_hh_l1_reverse[15]",
        ])
        // Default init: U(−1/√H, 1/√H) for every parameter.
        let bound = 1 / Float(5).squareRoot()
        #expect(gru.parameters.storage.allSatisfy { $0.magnitude <= bound })
        let noBias = try RNN<Double>(RNNConfiguration(inputSize: 3, hiddenSize: 5, bias: false, cell: .gru))
        #expect(noBias.parameters.names == ["weight_ih_l0", "weight_hh_l0"])
    }

    @Test("LSTM parameters are nn.LSTM's named_parameters(): four gates stacked")
    func lstmParameterNames() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, cell: .lstm)
        let lstm = try RNN<Double>(config)
        let entries = lstm.parameters.layout.entries.map { "\($0.name)\($0.shape)" }
        #expect(entries == [
            "weight_ih_l0[8, 3]", "weight_hh_l0[8, 2]", "bias_ih_l0[8]", "bias_hh_l0[8]",
            "weight_ih_l0_reverse[8, 3]", "weight_hh_l0_reverse[8, 2]", "bias_ih_l0_reverse[8]", "bias_hh_l0_reverse[8]",
            "weight_ih_l1[8, 4]", "weight_hh_l1[8, 2]", "bias_ih_l1[8]", "bias_hh_l1[8]",
            "weight_ih_l1_reverse[8, 4]", "weight_hh_l1_reverse[8, 2]", "bias_ih_l1_reverse[8]", "bias_hh_l1_reverse[8]",
        ])
        #expect(lstm.parameters.storage.allSatisfy { $0.magnitude <= 1 / 2.0.squareRoot() })
    }

    @Test("LSTM with proj_size: W_hr after each block's biases, W_hh and the layers above read P-wide states")
    func projectedParameterNames() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, cell: .lstm, projSize: 2)
        #expect(config.stateSize == 2 && config.layerInputSize(1) == 4)
        let lstm = try RNN<Float>(config)
        let entries = lstm.parameters.layout.entries.map { "\($0.name)\($0.shape)" }
        #expect(entries == [
            "weight_ih_l0[16, 3]", "weight_hh_l0[16, 2]", "bias_ih_l0[16]", "bias_hh_l0[16]", "weight_hr_l0[2, 4]",
            "weight_ih_l0_reverse[16, 3]", "weight_hh_l0_reverse[16, 2]", "bias_ih_l0_reverse[16]",
            "bias_hh_l0_reverse[16]", "weight_hr_l0_reverse[2, 4]",
            "weight_ih_l1[16, 4]", "weight_hh_l1[16, 2]", "bias_ih_l1[16]", "bias_hh_l1[16]", "weight_hr_l1[2, 4]",
            "weight_ih_l1_reverse[16, 4]", "weight_hh_l1_reverse[16, 2]", "bias_ih_l1_reverse[16]",
            "bias_hh_l1_reverse[16]", "weight_hr_l1_reverse[2, 4]",
        ])
        // Default init, W_hr included: U(−1/√H, 1/√H).
        #expect(lstm.parameters.storage.allSatisfy { $0.magnitude <= 0.5 })
        #expect(lstm.parameters["weight_hr_l1_reverse"]!.scalars.contains { $0 != 0 })
        let noBias = try RNN<Double>(RNNConfiguration(inputSize: 3, hiddenSize: 4, bias: false, cell: .lstm, projSize: 1))
        #expect(noBias.parameters.names == ["weight_ih_l0", "weight_hh_l0", "weight_hr_l0"])

        #expect(throws: RNNError("h0: expected shape [4, 5, 2] (D·num_layers, N, proj_size), got [4, 5, 4]")) {
            try lstm.forward(Tensor(zeros: [7, 5, 3]), initialState: Tensor(zeros: [4, 5, 4]))
        }
        lstm.probes = [.hiddenStates]
        let result = try lstm.forward(Tensor(zeros: [7, 5, 3]), initialState: Tensor(zeros: [4, 5, 2]),
                                      initialCell: Tensor(zeros: [4, 5, 4]))
        #expect(result.output.shape == [7, 5, 4] && result.finalState.shape == [4, 5, 2])
        #expect(result.finalCell?.shape == [4, 5, 4])
        #expect(result.hiddenStates?.shape == [4, 7, 5, 2] && result.cellStates?.shape == [4, 7, 5, 4])
        let gradients = try lstm.backward(gradOutput: Tensor(zeros: [7, 5, 4]), gradFinalState: Tensor(zeros: [4, 5, 2]),
                                          gradFinalCell: Tensor(zeros: [4, 5, 4]))
        #expect(gradients.initialState.shape == [4, 5, 2] && gradients.initialCell?.shape == [4, 5, 4])
    }

    @Test("proj_size is checked as PyTorch checks it")
    func projectionErrors() throws {
        #expect(throws: RNNError("proj_size must be smaller than hidden_size = 4, got 4")) {
            try RNN<Float>(RNNConfiguration(inputSize: 3, hiddenSize: 4, cell: .lstm, projSize: 4))
        }
        #expect(throws: RNNError("proj_size must be 0 (no projection) or positive, got -1")) {
            try RNN<Float>(RNNConfiguration(inputSize: 3, hiddenSize: 4, cell: .lstm, projSize: -1))
        }
        #expect(throws: RNNError("proj_size is only supported for nn.LSTM, not nn.GRU")) {
            try RNN<Float>(RNNConfiguration(inputSize: 3, hiddenSize: 4, cell: .gru, projSize: 2))
        }
        #expect(throws: RNNError("proj_size is only supported for nn.LSTM, not nn.RNN")) {
            try RNN<Float>(RNNConfiguration(inputSize: 3, hiddenSize: 4, projSize: 2))
        }
    }

    /// The loss is a sum over samples, so a wide batch's parameter gradients are the sums of
    /// its halves'. At N = 1000 the backward pass works through the steps in chunks of 4, at
    /// N = 500 of 8: the sums cross the chunks' edges differently, W_hr's included.
    @Test("a wide batch's gradients are the sums of its halves', across chunk edges", arguments: [RecurrentCellKind.lstm, .gru])
    func chunkEdges(_ cell: RecurrentCellKind) throws {
        let config = RNNConfiguration(inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true,
                                      cell: cell, projSize: cell == .lstm ? 2 : 0)
        #expect(try RNN<Double>(config, seed: 5).parameters.names.contains("weight_hr_l1") == (cell == .lstm))
        let (steps, batch, width) = (11, 1000, 2 * config.stateSize)
        var generator = SeededGenerator(seed: 31)
        let input = (0..<steps * batch * 2).map { _ in generator.normal() }
        let gradient = (0..<steps * batch * width).map { _ in generator.normal() }
        func gradients(samples: Range<Int>) throws -> ParameterSet<Double> {
            // Batch-first, so that a range of samples is a range of rows.
            var batchFirst = config
            batchFirst.batchFirst = true
            let network = try RNN<Double>(batchFirst, seed: 5)
            func rows(_ values: [Double], width: Int) -> Tensor<Double> {
                Tensor(shape: [samples.count, steps, width],
                       scalars: Array(values[samples.lowerBound * steps * width..<samples.upperBound * steps * width]))
            }
            let (x, g) = (rows(input, width: 2), rows(gradient, width: width))
            _ = try network.forward(x)
            return try network.backward(gradOutput: g).parameters
        }
        let whole = try gradients(samples: 0..<batch)
        let (first, second) = (try gradients(samples: 0..<batch / 2), try gradients(samples: batch / 2..<batch))
        expectClose(whole.storage, zip(first.storage, second.storage).map(+), relativeTolerance: 1e-12, "parameter gradients")
    }

    @Test("c0 and ∂L/∂c_n: checked shapes, LSTM only; c_n, ∂L/∂c0 and the cell states come back shaped as c0")
    func cellState() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 2, numLayers: 2, bidirectional: true, cell: .lstm)
        let lstm = try RNN<Float>(config)
        #expect(throws: RNNError("c0: expected shape [4, 5, 2] (D·num_layers, N, hidden_size), got [4, 2]")) {
            try lstm.forward(Tensor(zeros: [7, 5, 3]), initialCell: Tensor(zeros: [4, 2]))
        }
        lstm.probes = [.hiddenStates]
        let result = try lstm.forward(Tensor(zeros: [7, 5, 3]), initialCell: Tensor(zeros: [4, 5, 2]))
        #expect(result.finalCell?.shape == [4, 5, 2])
        #expect(result.hiddenStates?.shape == [4, 7, 5, 2] && result.cellStates?.shape == [4, 7, 5, 2])
        #expect(throws: RNNError("grad_c_n: expected c_n's shape [4, 5, 2], got [4, 5, 3]")) {
            try lstm.backward(gradOutput: Tensor(zeros: [7, 5, 4]), gradFinalCell: Tensor(zeros: [4, 5, 3]))
        }
        // ∂L/∂c0 also when c0 was left to its default.
        _ = try lstm.forward(Tensor(zeros: [7, 3]))
        let gradients = try lstm.backward(gradOutput: Tensor(zeros: [7, 4]), gradFinalCell: Tensor(zeros: [4, 2]))
        #expect(gradients.initialCell?.shape == [4, 2])

        let gru = try RNN<Float>(RNNConfiguration(inputSize: 3, hiddenSize: 2, cell: .gru))
        #expect(throws: RNNError("c0: only nn.LSTM has a cell state, not nn.GRU")) {
            try gru.forward(Tensor(zeros: [7, 5, 3]), initialCell: Tensor(zeros: [1, 5, 2]))
        }
        gru.probes = [.hiddenStates]
        let gruResult = try gru.forward(Tensor(zeros: [7, 5, 3]))
        #expect(gruResult.finalCell == nil && gruResult.cellStates == nil)
        #expect(throws: RNNError("grad_c_n: only nn.LSTM has a cell state, not nn.GRU")) {
            try gru.backward(gradOutput: Tensor(zeros: [7, 5, 2]), gradFinalCell: Tensor(zeros: [1, 5, 2]))
        }
        #expect(try gru.backward(gradOutput: Tensor(zeros: [7, 5, 2])).initialCell == nil)
    }

    @Test("the cell's kind reads from the raw values PyTorch's module names use")
    func cellKinds() throws {
        #expect(RecurrentCellKind.allCases.map(\.rawValue) == ["rnn", "lstm", "gru"])
        #expect(RecurrentCellKind(rawValue: "gru") == .gru)
        #expect(RNNConfiguration(inputSize: 1, hiddenSize: 1).cell == .rnn)
        // Configurations written before `cell` existed are nn.RNN's.
        let legacy = #"{"inputSize":2,"hiddenSize":3,"numLayers":1,"nonlinearity":"relu","bias":true,"batchFirst":false,"dropout":0,"bidirectional":false}"#
        let decoded = try JSONDecoder().decode(RNNConfiguration.self, from: Data(legacy.utf8))
        #expect(decoded == RNNConfiguration(inputSize: 2, hiddenSize: 3, nonlinearity: .relu))
        let gru = RNNConfiguration(inputSize: 2, hiddenSize: 3, cell: .gru)
        #expect(try JSONDecoder().decode(RNNConfiguration.self, from: JSONEncoder().encode(gru)) == gru)
    }

    @Test("probes never change a result", arguments: [RecurrentCellKind.lstm, .gru])
    func probesAreReadOnly(_ cell: RecurrentCellKind) throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 6, numLayers: 2, bidirectional: true, cell: cell)
        let plain = try RNN<Float>(config, seed: 3), probed = try RNN<Float>(config, seed: 3)
        probed.probes = .all
        var generator = SeededGenerator(seed: 4)
        let input = Tensor<Float>(shape: [9, 2, 3], scalars: (0..<54).map { _ in Float(generator.normal()) })
        let gradient = Tensor<Float>(shape: [9, 2, 12], scalars: (0..<216).map { _ in Float(generator.normal()) })
        let a = try plain.forward(input), b = try probed.forward(input)
        #expect(a.output == b.output && a.finalState == b.finalState)
        #expect(b.hiddenStates?.shape == [4, 9, 2, 6])
        let ga = try plain.backward(gradOutput: gradient), gb = try probed.backward(gradOutput: gradient)
        #expect(ga.parameters == gb.parameters && ga.input == gb.input && ga.initialState == gb.initialState)
        #expect(ga.initialCell == gb.initialCell && a.finalCell == b.finalCell)
        #expect(gb.probes.count == 4 && gb.probes.allSatisfy { $0.recurrentWeightGradientNorm.count == 9 })
    }
}

extension GatedInterfaceTests {
    @Test("every initialization scheme gives a gated cell its parameters, or a one-line error where W_hh must be square",
          arguments: [RecurrentCellKind.lstm, .gru])
    func gatedInitialization(_ cell: RecurrentCellKind) throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 4, cell: cell)
        let schemes: [Initialization] = [.pytorchDefault, .xavierUniform(gain: 1), .xavierNormal(gain: 1), .kaiming(gain: 1),
                                         .orthogonal(gain: 1), .identity(), .gaussian(gain: 1)]
        for scheme in schemes {
            let parameters = try scheme.parameters(for: config, seed: 1, as: Double.self)
            #expect(parameters.layout == ParameterLayout(config), "\(scheme.name)")
        }
        #expect(throws: RNNError("spectral-radius initialization needs a square W_hh; weight_hh_l0 is \(cell == .lstm ? 16 : 12)×4")) {
            try Initialization.spectralRadius(1).parameters(for: config, seed: 1, as: Double.self)
        }
    }
}
