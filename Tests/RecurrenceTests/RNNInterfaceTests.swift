import Recurrence
import Testing

@Suite("RNN interface")
struct RNNInterfaceTests {
    @Test("parameter names and shapes are PyTorch's named_parameters()")
    func parameterNames() throws {
        let rnn = try RNN<Float>(RNNConfiguration(inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true))
        let entries = rnn.parameters.layout.entries.map { "\($0.name)\($0.shape)" }
        #expect(entries == [
            "weight_ih_l0[5, 3]", "weight_hh_l0[5, 5]", "bias_ih_l0[5]", "bias_hh_l0[5]",
            "weight_ih_l0_reverse[5, 3]", "weight_hh_l0_reverse[5, 5]", "bias_ih_l0_reverse[5]", "bias_hh_l0_reverse[5]",
            "weight_ih_l1[5, 10]", "weight_hh_l1[5, 5]", "bias_ih_l1[5]", "bias_hh_l1[5]",
            "weight_ih_l1_reverse[5, 10]", "weight_hh_l1_reverse[5, 5]", "bias_ih_l1_reverse[5]", "bias_hh_l1_reverse[5]",
        ])
        let noBias = try RNN<Double>(RNNConfiguration(inputSize: 3, hiddenSize: 5, bias: false))
        #expect(noBias.parameters.names == ["weight_ih_l0", "weight_hh_l0"])
    }

    @Test("default init is U(−1/√H, 1/√H), seeded")
    func defaultInitialization() throws {
        let config = RNNConfiguration(inputSize: 10, hiddenSize: 100)
        let a = try RNN<Double>(config, seed: 7), b = try RNN<Double>(config, seed: 7), c = try RNN<Double>(config, seed: 8)
        #expect(a.parameters == b.parameters)
        #expect(a.parameters != c.parameters)
        let values = a.parameters.storage
        #expect(values.allSatisfy { $0.magnitude <= 0.1 })
        #expect(values.max()! > 0.099 && values.min()! < -0.099)
        let variance = values.map { $0 * $0 }.reduce(0, +) / Double(values.count)
        #expect((variance - 1.0 / 300).magnitude < 0.0002)
    }

    @Test("bad configurations and shapes are one-line errors")
    func errors() throws {
        #expect(throws: RNNError("hidden_size must be at least 1, got 0")) {
            try RNN<Float>(RNNConfiguration(inputSize: 3, hiddenSize: 0))
        }
        #expect(throws: RNNError("dropout must be in [0, 1), got 1.0")) {
            try RNN<Float>(RNNConfiguration(inputSize: 3, hiddenSize: 2, dropout: 1))
        }
        let rnn = try RNN<Float>(RNNConfiguration(inputSize: 3, hiddenSize: 2))
        #expect(throws: RNNError("input: last dimension must be input_size = 3, got shape [4, 1, 2]")) {
            try rnn.forward(Tensor(zeros: [4, 1, 2]))
        }
        #expect(throws: RNNError("input: expected a 2-D or 3-D tensor (T, N, 3) or (T, 3), got shape [3]")) {
            try rnn.forward(Tensor(zeros: [3]))
        }
        #expect(throws: RNNError("h0: expected shape [1, 5, 2] (D·num_layers, N, hidden_size), got [1, 2]")) {
            try rnn.forward(Tensor(zeros: [4, 5, 3]), initialState: Tensor(zeros: [1, 2]))
        }
        #expect(throws: RNNError("backward: call forward first")) {
            try rnn.backward(gradOutput: Tensor(zeros: [4, 5, 2]))
        }
        _ = try rnn.forward(Tensor(zeros: [4, 5, 3]))
        #expect(throws: RNNError("grad_output: expected the output's shape [4, 5, 2], got [4, 5, 3]")) {
            try rnn.backward(gradOutput: Tensor(zeros: [4, 5, 3]))
        }
    }

    @Test("probes never change a result")
    func probesAreReadOnly() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 6, numLayers: 2, bidirectional: true)
        let plain = try RNN<Float>(config, seed: 3), probed = try RNN<Float>(config, seed: 3)
        probed.probes = .all
        var generator = SeededGenerator(seed: 4)
        let input = Tensor<Float>(shape: [9, 2, 3], scalars: (0..<54).map { _ in Float(generator.normal()) })
        let gradient = Tensor<Float>(shape: [9, 2, 12], scalars: (0..<216).map { _ in Float(generator.normal()) })
        let a = try plain.forward(input), b = try probed.forward(input)
        #expect(a.output == b.output && a.finalState == b.finalState)
        #expect(a.hiddenStates == nil && b.hiddenStates?.shape == [4, 9, 2, 6])
        let ga = try plain.backward(gradOutput: gradient), gb = try probed.backward(gradOutput: gradient)
        #expect(ga.parameters == gb.parameters && ga.input == gb.input && ga.initialState == gb.initialState)
        #expect(ga.probes.isEmpty && gb.probes.count == 4)
    }

    @Test("backward measures gradients below Float's range exactly, and leaves the caller's floating-point mode as it was")
    func belowFloatRange() throws {
        // Loss at the last of 400 steps at default init: the gradient passes below Float's
        // least normal number (1.2e-38) far from the loss.
        let rnn = try RNN<Float>(RNNConfiguration(inputSize: 2, hiddenSize: 32), seed: 1)
        rnn.probes = [.gradientNorms, .logGradientNorms]
        var generator = SeededGenerator(seed: 2)
        let input = Tensor<Float>(shape: [400, 1, 2], scalars: (0..<800).map { _ in Float(generator.normal()) })
        var gradient = Tensor<Float>(zeros: [400, 1, 32])
        for j in 0..<32 { gradient.scalars[399 * 32 + j] = 1 }
        _ = try rnn.forward(input)
        let result = try rnn.backward(gradOutput: gradient)
        let probe = result.probes[0]
        #expect(probe.gradientNorm[0] > 0 && probe.gradientNorm[0] < Double(Float.leastNormalMagnitude),
                "far from the loss the gradient is below Float's range, and still measured")
        #expect((probe.logGradientNorm[0] - Double.log(probe.gradientNorm[0])).magnitude < 1e-9)
        #expect(result.initialState.scalars.allSatisfy { $0 == 0 }, "∂L/∂h0 itself is rounded to Float: 0")
        // Back in the caller, subnormal arithmetic works again.
        let tiny = Float(generator.nextUnit() + 1) * 1e-40
        #expect((tiny * 0.5).isSubnormal)
    }
}
