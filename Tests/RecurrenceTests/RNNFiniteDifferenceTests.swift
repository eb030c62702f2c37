import Recurrence
import Testing

/// Central finite differences in Double on random elements of every parameter, the input and
/// h0, for the loss L = Σ output ⊙ G + Σ h_n ⊙ G_hn with random G and G_hn.
@Suite("RNN gradients against finite differences")
struct RNNFiniteDifferenceTests {
    static let configurations: [RNNConfiguration] = [
        RNNConfiguration(inputSize: 3, hiddenSize: 4, numLayers: 2, nonlinearity: .tanh, bidirectional: true),
        RNNConfiguration(inputSize: 2, hiddenSize: 5, numLayers: 3, nonlinearity: .relu, bias: false, batchFirst: true),
        RNNConfiguration(inputSize: 3, hiddenSize: 4, numLayers: 2, nonlinearity: .tanh, dropout: 0.4, bidirectional: true),
    ]

    @Test(arguments: configurations)
    func gradientsMatchFiniteDifferences(_ config: RNNConfiguration) throws {
        let (steps, batch) = (5, 2)
        var generator = SeededGenerator(seed: 11)
        func random(_ shape: [Int]) -> Tensor<Double> {
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.normal() })
        }
        let blocks = config.numLayers * config.directions
        let input = random(config.batchFirst ? [batch, steps, config.inputSize] : [steps, batch, config.inputSize])
        let h0 = random([blocks, batch, config.hiddenSize])
        let gradOutput = random(config.batchFirst
            ? [batch, steps, config.directions * config.hiddenSize] : [steps, batch, config.directions * config.hiddenSize])
        let gradFinal = random([blocks, batch, config.hiddenSize])
        let rnn = try RNN<Double>(config, seed: 5)
        let training = config.dropout > 0

        // The same dropout masks for every evaluation: reseed before each forward pass.
        func loss(_ parameters: ParameterSet<Double>, _ input: Tensor<Double>, _ h0: Tensor<Double>) throws -> Double {
            let probe = try RNN<Double>(config, parameters: parameters)
            probe.reseedDropout(99)
            let result = try probe.forward(input, initialState: h0, training: training)
            return zip(result.output.scalars, gradOutput.scalars).map(*).reduce(0, +)
                + zip(result.finalState.scalars, gradFinal.scalars).map(*).reduce(0, +)
        }
        rnn.reseedDropout(99)
        _ = try rnn.forward(input, initialState: h0, training: training)
        let analytic = try rnn.backward(gradOutput: gradOutput, gradFinalState: gradFinal)

        let epsilon = 1e-6
        func expectMatches(_ numeric: Double, _ exact: Double, _ what: String) {
            #expect((numeric - exact).magnitude <= 1e-6 * max(1, exact.magnitude), "\(what): finite difference \(numeric), backward \(exact)")
        }
        for entry in rnn.parameters.layout.entries {
            for _ in 0..<4 {
                let i = entry.offset + Int(generator.next() % UInt64(entry.count))
                var plus = rnn.parameters, minus = rnn.parameters
                plus.storage[i] += epsilon
                minus.storage[i] -= epsilon
                let numeric = (try loss(plus, input, h0) - loss(minus, input, h0)) / (2 * epsilon)
                expectMatches(numeric, analytic.parameters.storage[i], "\(entry.name)[\(i - entry.offset)]")
            }
        }
        for _ in 0..<6 {
            let i = Int(generator.next() % UInt64(input.count))
            var plus = input, minus = input
            plus.scalars[i] += epsilon
            minus.scalars[i] -= epsilon
            let numeric = (try loss(rnn.parameters, plus, h0) - loss(rnn.parameters, minus, h0)) / (2 * epsilon)
            expectMatches(numeric, analytic.input!.scalars[i], "input[\(i)]")

            let j = Int(generator.next() % UInt64(h0.count))
            var h0Plus = h0, h0Minus = h0
            h0Plus.scalars[j] += epsilon
            h0Minus.scalars[j] -= epsilon
            let numericH0 = (try loss(rnn.parameters, input, h0Plus) - loss(rnn.parameters, input, h0Minus)) / (2 * epsilon)
            expectMatches(numericH0, analytic.initialState.scalars[j], "h0[\(j)]")
        }
    }
}

extension RNNConfiguration: CustomTestStringConvertible {
    public var testDescription: String {
        "L=\(numLayers) D=\(directions) \(nonlinearity) bias=\(bias) batchFirst=\(batchFirst) dropout=\(dropout)"
    }
}
