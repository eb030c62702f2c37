import Recurrence
import Testing

@Suite("Optional input gradient")
struct InputGradientTests {
    static let configurations: [RNNConfiguration] = [
        RNNConfiguration(inputSize: 4, hiddenSize: 5),
        RNNConfiguration(inputSize: 4, hiddenSize: 5, numLayers: 2, nonlinearity: .relu, batchFirst: true,
                         dropout: 0.3, bidirectional: true),
        RNNConfiguration(inputSize: 4, hiddenSize: 5, numLayers: 2, bidirectional: true, cell: .lstm),
        RNNConfiguration(inputSize: 4, hiddenSize: 5, numLayers: 2, batchFirst: true, cell: .lstm, projSize: 3),
        RNNConfiguration(inputSize: 4, hiddenSize: 5, numLayers: 2, dropout: 0.3, bidirectional: true, cell: .gru),
    ]

    @Test("backward(inputGradient: false) returns no ∂L/∂input and every other gradient and probe bit for bit",
          arguments: configurations)
    func skipsOnlyTheInputGradient(_ config: RNNConfiguration) throws {
        try compare(config, Float.self)
        try compare(config, Double.self)
    }

    private func compare<S: RNNScalar>(_ config: RNNConfiguration, _: S.Type) throws {
        // Two networks with the same seeds, so that their dropout masks agree.
        let full = try RNN<S>(config, seed: 5), partial = try RNN<S>(config, seed: 5)
        full.probes = .all
        partial.probes = .all
        var generator = SeededGenerator(seed: 6)
        func tensor(_ shape: [Int]) -> Tensor<S> {
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in S(generator.normal()) })
        }
        let (steps, batch) = (40, 3)
        let sequence = config.batchFirst ? [batch, steps] : [steps, batch]
        let input = tensor(sequence + [config.inputSize])
        let gradOutput = tensor(sequence + [config.directions * config.stateSize])
        let gradFinal = tensor([config.numLayers * config.directions, batch, config.stateSize])
        for _ in 0..<2 {  // twice: the second pass reuses the workspace the first one left
            let a = try full.forward(input, training: true), b = try partial.forward(input, training: true)
            #expect(a.output == b.output)
            let all = try full.backward(gradOutput: gradOutput, gradFinalState: gradFinal)
            let some = try partial.backward(gradOutput: gradOutput, gradFinalState: gradFinal, inputGradient: false)
            #expect(all.input?.shape == input.shape)
            #expect(some.input == nil)
            #expect(bits(all.parameters.storage) == bits(some.parameters.storage))
            #expect(bits(all.initialState.scalars) == bits(some.initialState.scalars))
            #expect(bits(all.initialCell?.scalars ?? []) == bits(some.initialCell?.scalars ?? []))
            #expect(all.probes == some.probes)
        }
    }

    /// The values' bit patterns (through Double, exactly), for equality that tells −0 from 0.
    private func bits<S: RNNScalar>(_ values: [S]) -> [UInt64] {
        values.map { Double($0).bitPattern }
    }
}
