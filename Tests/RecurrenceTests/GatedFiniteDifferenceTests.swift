import Recurrence
import Testing

/// Central finite differences in Double on random elements of every parameter (W_hr
/// included), the input, h0 and c0, for the loss L = Σ output ⊙ G + Σ h_n ⊙ G_hn
/// (+ Σ c_n ⊙ G_cn for an LSTM) with random G, G_hn and G_cn.
@Suite("Gated cells' gradients against finite differences")
struct GatedFiniteDifferenceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let configuration: RNNConfiguration
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "LSTM P=2, 2 layers, bidirectional", configuration: RNNConfiguration(
            inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, cell: .lstm, projSize: 2)),
        Case(name: "GRU, 2 layers, bidirectional", configuration: RNNConfiguration(
            inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, cell: .gru)),
        Case(name: "LSTM, 3 layers, batch-first, no bias, dropout", configuration: RNNConfiguration(
            inputSize: 2, hiddenSize: 3, numLayers: 3, bias: false, batchFirst: true, dropout: 0.4, cell: .lstm)),
        Case(name: "GRU, 2 layers, batch-first, no bias, dropout", configuration: RNNConfiguration(
            inputSize: 2, hiddenSize: 3, numLayers: 2, bias: false, batchFirst: true, dropout: 0.4,
            bidirectional: true, cell: .gru)),
    ]

    @Test(arguments: cases)
    func gradientsMatchFiniteDifferences(_ testCase: Case) throws {
        let config = testCase.configuration
        let (steps, batch) = (5, 2)
        let isLSTM = config.cell == .lstm
        var generator = SeededGenerator(seed: 17)
        func random(_ shape: [Int]) -> Tensor<Double> {
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.normal() })
        }
        let blocks = config.numLayers * config.directions
        let width = config.directions * config.stateSize
        let input = random(config.batchFirst ? [batch, steps, config.inputSize] : [steps, batch, config.inputSize])
        let initial = (state: random([blocks, batch, config.stateSize]), cell: random([blocks, batch, config.hiddenSize]))
        let gradOutput = random(config.batchFirst ? [batch, steps, width] : [steps, batch, width])
        let gradFinal = (state: random([blocks, batch, config.stateSize]), cell: random([blocks, batch, config.hiddenSize]))
        let rnn = try RNN<Double>(config, seed: 6)
        let training = config.dropout > 0

        // The same dropout masks for every evaluation: reseed before each forward pass.
        func loss(_ parameters: ParameterSet<Double>, _ input: Tensor<Double>,
                  _ initial: (state: Tensor<Double>, cell: Tensor<Double>)) throws -> Double {
            let probe = try RNN<Double>(config, parameters: parameters)
            probe.reseedDropout(99)
            let result = try probe.forward(input, initialState: initial.state, initialCell: isLSTM ? initial.cell : nil,
                                           training: training)
            func weighted(_ values: Tensor<Double>, _ weights: Tensor<Double>) -> Double {
                zip(values.scalars, weights.scalars).map(*).reduce(0, +)
            }
            let cellTerm = result.finalCell.map { weighted($0, gradFinal.cell) } ?? 0
            return weighted(result.output, gradOutput) + weighted(result.finalState, gradFinal.state) + cellTerm
        }
        rnn.reseedDropout(99)
        _ = try rnn.forward(input, initialState: initial.state, initialCell: isLSTM ? initial.cell : nil, training: training)
        let analytic = try rnn.backward(gradOutput: gradOutput, gradFinalState: gradFinal.state,
                                        gradFinalCell: isLSTM ? gradFinal.cell : nil)

        let epsilon = 1e-6
        func expectMatches(_ numeric: Double, _ exact: Double, _ what: String) {
            #expect((numeric - exact).magnitude <= 1e-6 * max(1, exact.magnitude),
                    "\(what): finite difference \(numeric), backward \(exact)")
        }
        /// (L(x + ε) − L(x − ε)) / 2ε for one element of x.
        func central(_ perturb: (Double) throws -> Double) rethrows -> Double {
            (try perturb(epsilon) - perturb(-epsilon)) / (2 * epsilon)
        }
        for entry in rnn.parameters.layout.entries {
            for _ in 0..<4 {
                let i = entry.offset + Int(generator.next() % UInt64(entry.count))
                let numeric = try central { step in
                    var parameters = rnn.parameters
                    parameters.storage[i] += step
                    return try loss(parameters, input, initial)
                }
                expectMatches(numeric, analytic.parameters.storage[i], "\(entry.name)[\(i - entry.offset)]")
            }
        }
        for _ in 0..<6 {
            let i = Int(generator.next() % UInt64(input.count))
            let numericInput = try central { step in
                var perturbed = input
                perturbed.scalars[i] += step
                return try loss(rnn.parameters, perturbed, initial)
            }
            expectMatches(numericInput, analytic.input!.scalars[i], "input[\(i)]")

            let j = Int(generator.next() % UInt64(initial.state.count))
            let numericH0 = try central { step in
                var perturbed = initial
                perturbed.state.scalars[j] += step
                return try loss(rnn.parameters, input, perturbed)
            }
            expectMatches(numericH0, analytic.initialState.scalars[j], "h0[\(j)]")

            guard isLSTM else { continue }
            let k = Int(generator.next() % UInt64(initial.cell.count))
            let numericC0 = try central { step in
                var perturbed = initial
                perturbed.cell.scalars[k] += step
                return try loss(rnn.parameters, input, perturbed)
            }
            expectMatches(numericC0, try #require(analytic.initialCell).scalars[k], "c0[\(k)]")
        }
    }
}
