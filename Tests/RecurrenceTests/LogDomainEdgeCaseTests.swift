import Recurrence
import Testing

/// The log-domain probe where a single scale would fail: subnormal injections, lower layers,
/// the reverse direction, samples that decay at different rates, and exploding gradients.
/// Each compares a Float network's probe with ln of the direct norms of the same weights in
/// Double, whose range is far wider.
@Suite("Log-domain probe edge cases")
struct LogDomainEdgeCaseTests {
    /// ln of the smallest norm the Double reference is trusted at: e^−650, well above Double's
    /// least normal number (e^−708), below which the reference norm itself loses digits.
    static let referenceFloor = -650.0

    /// Float and Double twins with the given weights, probes on.
    private func twins(_ config: RNNConfiguration, seed: UInt64,
                       adjust: (inout ParameterSet<Double>) throws -> Void = { _ in }) throws -> (RNN<Float>, RNN<Double>) {
        var parameters = try RNN<Double>(config, seed: seed).parameters
        try adjust(&parameters)
        // Round to Float first so that both networks hold exactly the same weights.
        parameters.storage = parameters.storage.map { Double(Float($0)) }
        var single = ParameterSet<Float>(zerosFor: parameters.layout)
        single.storage = parameters.storage.map { Float($0) }
        let a = try RNN<Float>(config, parameters: single), b = try RNN<Double>(config, parameters: parameters)
        a.probes = [.gradientNorms, .logGradientNorms]
        b.probes = [.gradientNorms, .logGradientNorms]
        return (a, b)
    }

    private func tensors(_ shape: [Int], _ values: (Int) -> Double) -> (Tensor<Float>, Tensor<Double>) {
        let count = shape.reduce(1, *)
        let doubles = (0..<count).map(values).map { Double(Float($0)) }
        return (Tensor(shape: shape, scalars: doubles.map { Float($0) }), Tensor(shape: shape, scalars: doubles))
    }

    /// Runs both and expects every block's Float probe to match ln of Double's direct norms.
    private func expectAgreement(_ pair: (RNN<Float>, RNN<Double>), input: [Int], inputValues: (Int) -> Double,
                                 gradient: [Int], gradientValues: (Int) -> Double, tolerance: Double = 2e-3,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (x32, x64) = tensors(input, inputValues)
        let (g32, g64) = tensors(gradient, gradientValues)
        _ = try pair.0.forward(x32)
        _ = try pair.1.forward(x64)
        let single = try pair.0.backward(gradOutput: g32).probes
        let double = try pair.1.backward(gradOutput: g64).probes
        for (a, b) in zip(single, double) {
            let reference = b.gradientNorm.map { Double.log($0) }
            #expect(reference.allSatisfy { $0.isFinite } || reference.contains(-.infinity),
                    "reference must stay in Double's range", sourceLocation: sourceLocation)
            var worst = 0.0, worstStep = 0
            // Only where the Double reference itself is well inside Double's normal range.
            for t in reference.indices where reference[t].isFinite && reference[t] > Self.referenceFloor {
                let difference = (a.logGradientNorm[t] - reference[t]).magnitude
                if !(difference <= worst) { worst = difference; worstStep = t }
            }
            let detail = "layer \(a.layer) direction \(a.direction): off by \(worst) nats at t = \(worstStep) "
                + "(probe \(a.logGradientNorm[worstStep]), Double \(reference[worstStep]))"
            #expect(worst < tolerance, "\(detail)", sourceLocation: sourceLocation)
        }
    }

    @Test("a subnormal gradient injected far back is added at the right weight")
    func subnormalInjection() throws {
        let pair = try twins(RNNConfiguration(inputSize: 3, hiddenSize: 32), seed: 1)
        var noise = SeededGenerator(seed: 2)
        let steps = 400, batch = 2
        try expectAgreement(pair, input: [steps, batch, 3], inputValues: { _ in noise.normal() },
                            gradient: [steps, batch, 32], gradientValues: { i in
                                let t = i / (batch * 32)
                                return t == steps - 1 ? 1 : (t == 100 ? 1e-41 : 0)
                            })
    }

    @Test("lower layers stay exact when the layer above's gradient underflows (T = 2000)")
    func lowerLayers() throws {
        let config = RNNConfiguration(inputSize: 3, hiddenSize: 16, numLayers: 2)
        let pair = try twins(config, seed: 3) { parameters in
            for (name, gain) in [("weight_hh_l0", 0.5), ("weight_hh_l1", 1.3)] {
                var weights = parameters[name]!
                weights.scalars = weights.scalars.map { $0 * gain }
                try parameters.set(name, weights)
            }
        }
        var noise = SeededGenerator(seed: 4)
        let steps = 2000, batch = 2
        try expectAgreement(pair, input: [steps, batch, 3], inputValues: { _ in noise.normal() },
                            gradient: [steps, batch, 16], gradientValues: { $0 / (batch * 16) == steps - 1 ? 1 : 0 },
                            tolerance: 5e-3)
    }

    @Test("the reverse direction decays away from the loss at t = 0")
    func reverseDirection() throws {
        let pair = try twins(RNNConfiguration(inputSize: 3, hiddenSize: 32, bidirectional: true), seed: 5)
        var noise = SeededGenerator(seed: 6)
        let steps = 400, batch = 2
        try expectAgreement(pair, input: [steps, batch, 3], inputValues: { _ in noise.normal() },
                            gradient: [steps, batch, 64], gradientValues: { $0 / (batch * 64) == 0 ? 1 : 0 })
    }

    @Test("samples decaying at different rates: the slower one takes over the batch norm")
    func crossingSamples() throws {
        let pair = try twins(RNNConfiguration(inputSize: 1, hiddenSize: 16), seed: 7)
        let steps = 600, batch = 2
        // Sample 0 saturates (large inputs: small φ′, fast decay) and starts 10⁶ times larger.
        try expectAgreement(pair, input: [steps, batch, 1], inputValues: { i in i % 2 == 0 ? 6 * Double.sin(Double(i)) : 0.1 },
                            gradient: [steps, batch, 16], gradientValues: { i in
                                let t = i / (batch * 16), n = (i / 16) % batch
                                return t == steps - 1 ? (n == 0 ? 1e6 : 1) : 0
                            })
    }

    @Test("exploding gradients stay finite and exact beyond Float's range")
    func exploding() throws {
        // relu with W_hh = 1.05·I and positive inputs: every unit active, and the gradient grows
        // by exactly 1.05 a step back. It starts at 10³⁰, so it passes Float's largest number
        // ~400 steps back, while the hidden states (growing 1.05 a step forward from 0.01)
        // stay finite.
        let config = RNNConfiguration(inputSize: 1, hiddenSize: 8, nonlinearity: .relu, bias: false)
        let pair = try twins(config, seed: 8) { parameters in
            try parameters.set("weight_hh_l0", Tensor(shape: [8, 8], scalars: (0..<64).map { $0 % 9 == 0 ? 1.05 : 0 }))
            try parameters.set("weight_ih_l0", Tensor(shape: [8, 1], scalars: Array(repeating: 0.01, count: 8)))
        }
        let steps = 1000
        let (x32, _) = tensors([steps, 1, 1], { _ in 1 })
        let (g32, _) = tensors([steps, 1, 8], { $0 / 8 == steps - 1 ? 1e30 : 0 })
        _ = try pair.0.forward(x32)
        let result = try pair.0.backward(gradOutput: g32)
        let probe = result.probes[0]
        #expect(probe.gradientNorm.contains { $0 > Double(Float.greatestFiniteMagnitude) },
                "the gradient should pass Float's largest number, and still be measured")
        #expect(result.initialState.scalars.allSatisfy { $0 == .infinity }, "∂L/∂h0 itself overflows Float, as in PyTorch")
        for t in [0, 100, 500, steps - 1] {
            let expected = Double.log(Double(Float(1e30)) * 8.0.squareRoot()) + Double(steps - 1 - t) * Double.log(Double(Float(1.05)))
            #expect((probe.logGradientNorm[t] - expected).magnitude < 1e-3, "t = \(t): \(probe.logGradientNorm[t]) vs \(expected)")
            #expect((Double.log(probe.gradientNorm[t]) - expected).magnitude < 1e-3)
        }
    }
}
