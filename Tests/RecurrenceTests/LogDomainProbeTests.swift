import Recurrence
import Testing

/// The log-domain probe against direct norms computed where they do not underflow: a Float
/// network against the same weights in Double, whose range reaches ~1290 steps further.
@Suite("Log-domain gradient probe")
struct LogDomainProbeTests {
    /// PyTorch's default init, tanh: about −0.55 nats a step, so Float underflows near step 160.
    let config = RNNConfiguration(inputSize: 4, hiddenSize: 64)

    private func inputs(steps: Int, batch: Int) -> (Tensor<Float>, Tensor<Double>) {
        var generator = SeededGenerator(seed: 8)
        let values = (0..<steps * batch * 4).map { _ in generator.normal() }
        return (Tensor(shape: [steps, batch, 4], scalars: values.map { Float($0) }),
                Tensor(shape: [steps, batch, 4], scalars: values))
    }

    private func twins() throws -> (RNN<Float>, RNN<Double>) {
        let single = try RNN<Float>(config, seed: 21)
        var parameters = ParameterSet<Double>(zerosFor: single.parameters.layout)
        parameters.storage = single.parameters.storage.map { Double($0) }
        let double = try RNN<Double>(config, parameters: parameters)
        single.probes = [.gradientNorms, .logGradientNorms]
        double.probes = [.gradientNorms, .logGradientNorms]
        return (single, double)
    }

    /// dL/dOutput with `weights[t]` times a fixed random direction at step t.
    private func gradient(steps: Int, batch: Int, weights: [Int: Double]) -> (Tensor<Float>, Tensor<Double>) {
        var generator = SeededGenerator(seed: 9)
        var values = [Double](repeating: 0, count: steps * batch * 64)
        for (t, weight) in weights {
            for i in 0..<batch * 64 { values[t * batch * 64 + i] = weight * generator.normal() }
        }
        return (Tensor(shape: [steps, batch, 64], scalars: values.map { Float($0) }),
                Tensor(shape: [steps, batch, 64], scalars: values))
    }

    @Test("equals ln of the direct norm, and stays exact where Float underflows")
    func matchesDoubleReference() throws {
        let (steps, batch) = (400, 3)
        let (single, double) = try twins()
        let (x32, x64) = inputs(steps: steps, batch: batch)
        // Loss at the last step, plus a tiny one far back: the probe must add it in at the
        // right weight although both it and the propagated gradient are far below Float's range.
        let (g32, g64) = gradient(steps: steps, batch: batch, weights: [steps - 1: 1, 100: 1e-30, 60: 1e-37])
        _ = try single.forward(x32)
        _ = try double.forward(x64)
        let probe32 = try single.backward(gradOutput: g32).probes[0]
        let probe64 = try double.backward(gradOutput: g64).probes[0]
        let reference = probe64.gradientNorm.map { Double.log($0) }
        #expect(reference.allSatisfy { $0.isFinite }, "the Double reference itself must not underflow")
        #expect(probe32.gradientNorm.contains { $0 > 0 && $0 < Double(Float.leastNormalMagnitude) },
                "the gradient should fall below Float's range somewhere in 400 steps")
        for t in 0..<steps {
            let difference = (probe32.logGradientNorm[t] - reference[t]).magnitude
            #expect(difference < 1e-3, "t = \(t): probe \(probe32.logGradientNorm[t]), Double \(reference[t])")
            #expect((probe32.logGradientNorm[t] - Double.log(probe32.gradientNorm[t])).magnitude < 1e-9)
        }
        // The injection at step 100 shows as a kink: the gradient just before it is larger
        // than the decay from the last step alone would leave.
        #expect(probe32.logGradientNorm[100] > probe32.logGradientNorm[101] + 10)
    }

    @Test("finite and linear at T = 2000")
    func longSequence() throws {
        let (steps, batch) = (2000, 2)
        let (single, double) = try twins()
        let (x32, x64) = inputs(steps: steps, batch: batch)
        let (g32, g64) = gradient(steps: steps, batch: batch, weights: [steps - 1: 1])
        _ = try single.forward(x32)
        _ = try double.forward(x64)
        let logs = try single.backward(gradOutput: g32).probes[0].logGradientNorm
        let logs64 = try double.backward(gradOutput: g64).probes[0].logGradientNorm
        #expect(logs.allSatisfy { $0.isFinite })
        // Least-squares line over distance from the loss.
        let distances = (0..<steps).map { Double(steps - 1 - $0) }
        let meanX = distances.reduce(0, +) / Double(steps), meanY = logs.reduce(0, +) / Double(steps)
        let sxy = zip(distances, logs).map { ($0 - meanX) * ($1 - meanY) }.reduce(0, +)
        let sxx = distances.map { ($0 - meanX) * ($0 - meanX) }.reduce(0, +)
        let syy = logs.map { ($0 - meanY) * ($0 - meanY) }.reduce(0, +)
        let slope = sxy / sxx
        #expect(slope < -0.4 && slope > -0.7, "slope \(slope) nats per step")
        #expect(sxy * sxy / (sxx * syy) > 0.999, "ln‖∂L/∂h_t‖ should fall on a line")
        // Float and Double probes agree to a small fraction of the ~1000 nats they span.
        #expect((logs[0] - logs64[0]).magnitude < 0.5, "Float \(logs[0]) vs Double \(logs64[0])")
    }
}
