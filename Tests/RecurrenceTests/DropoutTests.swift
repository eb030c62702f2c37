@testable import Recurrence
import Testing

@Suite("Dropout between layers")
struct DropoutTests {
    let config = RNNConfiguration(inputSize: 3, hiddenSize: 8, numLayers: 3, dropout: 0.3)

    private func input() -> Tensor<Float> {
        var generator = SeededGenerator(seed: 1)
        return Tensor(shape: [7, 4, 3], scalars: (0..<84).map { _ in Float(generator.normal()) })
    }

    @Test("evaluation mode is the identity")
    func evaluationIsIdentity() throws {
        let rnn = try RNN<Float>(config, seed: 2)
        var plainConfig = config
        plainConfig.dropout = 0
        let plain = try RNN<Float>(plainConfig, parameters: rnn.parameters)
        #expect(try rnn.forward(input()).output == plain.forward(input()).output)
        // Training without dropout is the same network too.
        #expect(try plain.forward(input(), training: true).output == plain.forward(input()).output)
    }

    @Test("training mode drops and rescales")
    func trainingChangesOutput() throws {
        let rnn = try RNN<Float>(config, seed: 2)
        #expect(try rnn.forward(input(), training: true).output != rnn.forward(input()).output)
    }

    @Test("dropout falls between layers: not on the first layer's states, not on a one-layer network")
    func placement() throws {
        let rnn = try RNN<Float>(config, seed: 2)
        let training = try rnn.forward(input(), training: true)
        let evaluation = try rnn.forward(input())
        // h_n row 0 is layer 0's last state, computed before any mask.
        let rowSize = 4 * 8
        #expect(Array(training.finalState.scalars[0..<rowSize]) == Array(evaluation.finalState.scalars[0..<rowSize]))
        #expect(Array(training.finalState.scalars[rowSize...]) != Array(evaluation.finalState.scalars[rowSize...]))
        var single = config
        single.numLayers = 1
        let one = try RNN<Float>(single, seed: 2)
        #expect(try one.forward(input(), training: true).output == one.forward(input()).output)
    }

    @Test("masks keep 1 − p of the elements, scaled by 1/(1 − p)")
    func maskStatistics() {
        let count = 200_000
        let mask = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { mask.deallocate() }
        var generator = SeededGenerator(seed: 3)
        Dropout.fillMask(mask, count: count, probability: 0.3, using: &generator)
        let values = Array(UnsafeBufferPointer(start: mask, count: count))
        let kept = values.filter { $0 != 0 }
        #expect(Set(kept) == [1 / 0.7])
        // Binomial standard deviation is about 0.001; allow five.
        #expect((Double(kept.count) / Double(count) - 0.7).magnitude < 0.005)
    }

    @Test("the same seed gives the same masks, another seed other masks")
    func seededMasks() throws {
        let a = try RNN<Float>(config, seed: 4)
        let b = try RNN<Float>(config, seed: 4)
        let first = try a.forward(input(), training: true).output
        #expect(first == (try b.forward(input(), training: true).output))
        // The generator advances: the next pass draws new masks…
        #expect(first != (try a.forward(input(), training: true).output))
        // …and reseeding restarts it.
        a.reseedDropout(4)
        #expect(first == (try a.forward(input(), training: true).output))
        a.reseedDropout(5)
        #expect(first != (try a.forward(input(), training: true).output))
    }
}
