import Recurrence
import Testing

/// The log-domain probes of the gated cells far below Float's range: a Float network with
/// small weights, whose gradient decays by about ln 2 a step (gates near ½), against the same
/// weights in Double, whose direct norms still hold it 400 steps from the loss.
@Suite("Log-domain probes of gated cells")
struct GatedLogDomainTests {
    /// Float and Double twins with PyTorch's default parameters times 0.2, rounded to Float so
    /// that both hold exactly the same weights.
    private func twins(_ config: RNNConfiguration) throws -> (RNN<Float>, RNN<Double>) {
        var parameters = try RNN<Double>(config, seed: 12).parameters
        parameters.storage = parameters.storage.map { Double(Float(0.2 * $0)) }
        var single = ParameterSet<Float>(zerosFor: parameters.layout)
        single.storage = parameters.storage.map { Float($0) }
        let pair = (try RNN<Float>(config, parameters: single), try RNN<Double>(config, parameters: parameters))
        pair.0.probes = [.gradientNorms, .logGradientNorms]
        pair.1.probes = [.gradientNorms, .logGradientNorms]
        return pair
    }

    @Test("ln‖∂L/∂h_t‖ and the LSTM's ln‖∂L/∂c_t‖ stay exact where Float underflows",
          arguments: [RecurrentCellKind.lstm, .gru])
    func belowFloatRange(_ cell: RecurrentCellKind) throws {
        let (steps, batch, hidden) = (400, 3, 16)
        let config = RNNConfiguration(inputSize: 4, hiddenSize: hidden, cell: cell)
        let (single, double) = try twins(config)
        var generator = SeededGenerator(seed: 13)
        let input = (0..<steps * batch * 4).map { _ in Double(Float(generator.normal())) }
        // The loss at the last step only.
        var gradient = [Double](repeating: 0, count: steps * batch * hidden)
        for i in 0..<batch * hidden { gradient[(steps - 1) * batch * hidden + i] = Double(Float(generator.normal())) }
        _ = try single.forward(Tensor(shape: [steps, batch, 4], scalars: input.map { Float($0) }))
        _ = try double.forward(Tensor(shape: [steps, batch, 4], scalars: input))
        let probe32 = try single.backward(gradOutput: Tensor(shape: [steps, batch, hidden], scalars: gradient.map { Float($0) }))
            .probes[0]
        let probe64 = try double.backward(gradOutput: Tensor(shape: [steps, batch, hidden], scalars: gradient)).probes[0]

        var pairs = [("h", probe32.logGradientNorm, probe32.gradientNorm, probe64.gradientNorm)]
        if cell == .lstm {
            pairs.append(("c", probe32.cellLogGradientNorm, probe32.cellGradientNorm, probe64.cellGradientNorm))
        }
        for (state, logs, direct, reference) in pairs {
            #expect(reference.allSatisfy { $0 > 0 && $0.isFinite }, "the Double reference of ∂L/∂\(state) must not underflow")
            #expect(direct.contains { $0 < Double(Float.leastNormalMagnitude) },
                    "‖∂L/∂\(state)_t‖ should fall below Float's range within \(steps) steps")
            #expect(logs.allSatisfy { $0.isFinite })
            var worst = 0.0, worstStep = 0
            for t in 0..<steps {
                let difference = (logs[t] - Double.log(reference[t])).magnitude
                if difference > worst { (worst, worstStep) = (difference, t) }
                #expect((logs[t] - Double.log(direct[t])).magnitude < 1e-9)
            }
            #expect(worst < 1e-3, "ln‖∂L/∂\(state)_t‖ off by \(worst) nats at t = \(worstStep): Float \(logs[worstStep]), Double \(Double.log(reference[worstStep]))")
            #expect(logs[0] < -150, "ln‖∂L/∂\(state)_0‖ = \(logs[0]): the gradient should have decayed far below Float's range")
        }
    }
}
