import Foundation
import Recurrence
import Testing

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

    @Test("the cell's kind reads from the raw values PyTorch's module names use")
    func cellKinds() throws {
        #expect(RecurrentCellKind(rawValue: "gru") == .gru)
        #expect(RNNConfiguration(inputSize: 1, hiddenSize: 1).cell == .rnn)
        // Configurations written before `cell` existed are nn.RNN's.
        let legacy = #"{"inputSize":2,"hiddenSize":3,"numLayers":1,"nonlinearity":"relu","bias":true,"batchFirst":false,"dropout":0,"bidirectional":false}"#
        let decoded = try JSONDecoder().decode(RNNConfiguration.self, from: Data(legacy.utf8))
        #expect(decoded == RNNConfiguration(inputSize: 2, hiddenSize: 3, nonlinearity: .relu))
        let gru = RNNConfiguration(inputSize: 2, hiddenSize: 3, cell: .gru)
        #expect(try JSONDecoder().decode(RNNConfiguration.self, from: JSONEncoder().encode(gru)) == gru)
    }

    @Test("GRU probes never change a result")
    func gruProbesAreReadOnly() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 6, numLayers: 2, bidirectional: true, cell: .gru)
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
        #expect(gb.probes.count == 4 && gb.probes.allSatisfy { $0.recurrentWeightGradientNorm.count == 9 })
    }
}

extension GatedInterfaceTests {
    @Test("every initialization scheme gives a GRU its parameters, or a one-line error where W_hh must be square")
    func gruInitialization() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 4, cell: .gru)
        let schemes: [Initialization] = [.pytorchDefault, .xavierUniform(gain: 1), .xavierNormal(gain: 1), .kaiming(gain: 1),
                                         .orthogonal(gain: 1), .identity(), .gaussian(gain: 1)]
        for scheme in schemes {
            let parameters = try scheme.parameters(for: config, seed: 1, as: Double.self)
            #expect(parameters.layout == ParameterLayout(config), "\(scheme.name)")
        }
        #expect(throws: RNNError("spectral-radius initialization needs a square W_hh; weight_hh_l0 is 12×4")) {
            try Initialization.spectralRadius(1).parameters(for: config, seed: 1, as: Double.self)
        }
    }
}
