import Recurrence
import Testing

@Suite("Training kit: linear readout")
struct LinearTrainingKitTests {
    @Test("forward is x·Wᵀ + b, as a hand computation, in Float and Double")
    func forwardByHand() throws {
        func check<S: RNNScalar>(_: S.Type) throws {
            // W = [[1, 2, 3], [4, 5, 6]], b = [0.5, −1]; rows x = [1, 0, −1] and [2, 1, 0.5].
            let layer = try Linear<S>(weight: Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
                                      bias: Tensor(shape: [2], scalars: [0.5, -1]))
            let output = try layer.forward([1, 0, -1, 2, 1, 0.5])
            // Row 0: 1−3+0.5 = −1.5, 4−6−1 = −3; row 1: 2+2+1.5+0.5 = 6, 8+5+3−1 = 15.
            #expect(output == [-1.5, -3, 6, 15])
            #expect(layer.weight.shape == [2, 3] && layer.bias.scalars == [0.5, -1])
            #expect(layer.entries.map(\.name) == ["weight", "bias"] && layer.entries.map(\.offset) == [0, 6])
        }
        try check(Float.self)
        try check(Double.self)
    }

    @Test("backward matches central finite differences in Double and adds into the gradients")
    func backwardFiniteDifferences() throws {
        let (rows, inputs, outputs) = (5, 4, 3)
        var generator = SeededGenerator(seed: 21)
        let layer = try Linear<Double>(inputSize: inputs, outputSize: outputs, seed: 3)
        let input = TrainingKit.normals(rows * inputs, &generator)
        let g = TrainingKit.normals(rows * outputs, &generator)  // L = Σ out ⊙ G
        func loss(_ parameters: [Double], _ input: [Double]) throws -> Double {
            var probe = layer
            probe.storage = parameters
            return zip(try probe.forward(input), g).map(*).reduce(0, +)
        }
        var gradients = [Double](repeating: 0, count: layer.storage.count)
        let dInput = try layer.backward(g, input: input, into: &gradients)
        for i in layer.storage.indices {
            let numeric = try TrainingKit.centralDifference(layer.storage, i) { try loss($0, input) }
            #expect((numeric - gradients[i]).magnitude < 1e-7, "parameter \(i): finite difference \(numeric), backward \(gradients[i])")
        }
        for i in input.indices {
            let numeric = try TrainingKit.centralDifference(input, i) { try loss(layer.storage, $0) }
            #expect((numeric - dInput[i]).magnitude < 1e-7, "input \(i): finite difference \(numeric), backward \(dInput[i])")
        }
        // A second backward adds the same gradient again.
        let once = gradients
        _ = try layer.backward(g, input: input, into: &gradients)
        #expect(TrainingKit.maxDifference(gradients, once.map { 2 * $0 }) < 1e-12)
    }

    @Test("the pointer forms: forward overwrites, backward adds into dInput too")
    func pointerForms() throws {
        let layer = try Linear<Float>(inputSize: 2, outputSize: 2, seed: 1)
        let input: [Float] = [1, 2]
        var output: [Float] = [99, 99]
        output.withUnsafeMutableBufferPointer { out in layer.forward(out.baseAddress!, input, rows: 1) }
        #expect(output == (try layer.forward(input)))
        var dInput: [Float] = [1, 1]
        var gradients = [Float](repeating: 0, count: layer.storage.count)
        let dOutput: [Float] = [1, -1]
        let expected = try layer.backward(dOutput, input: input, into: &gradients).map { $0 + 1 }
        gradients = [Float](repeating: 0, count: layer.storage.count)
        dInput.withUnsafeMutableBufferPointer { dInp in
            gradients.withUnsafeMutableBufferPointer { dParameters in
                layer.backward(dInp.baseAddress!, dParameters.baseAddress!, dOutput, input, rows: 1)
            }
        }
        #expect(dInput == expected)
    }

    @Test("nn.Linear's default: U(±1/√I) for weight and bias, deterministic per seed, not the RNN's stream")
    func defaultInitialization() throws {
        let layer = try Linear<Double>(inputSize: 256, outputSize: 64, seed: 5)
        let bound = 1 / 16.0
        #expect(layer.storage.count == 64 * 256 + 64)
        #expect(layer.storage.allSatisfy { $0.magnitude <= bound })
        #expect(layer.bias.scalars.contains { $0 != 0 })
        let variance = TrainingKit.moments(layer.weight.scalars).variance
        #expect((variance / (bound * bound / 3) - 1).magnitude < 0.04)
        #expect(layer == (try Linear<Double>(inputSize: 256, outputSize: 64, seed: 5)))
        #expect(layer != (try Linear<Double>(inputSize: 256, outputSize: 64, seed: 6)))
        // An RNN of input size 256 built from the same seed draws other numbers.
        let rnn = try RNN<Double>(RNNConfiguration(inputSize: 256, hiddenSize: 256), seed: 5)
        #expect(Array(rnn.parameters.storage.prefix(8)) != Array(layer.storage.prefix(8)))
    }

    @Test("shape errors name what was wrong")
    func errors() throws {
        #expect(throws: RNNError.self) { try Linear<Float>(inputSize: 0, outputSize: 2) }
        #expect(throws: RNNError.self) {
            try Linear<Float>(weight: Tensor(shape: [2, 3], scalars: [Float](repeating: 0, count: 6)), bias: Tensor(shape: [3], scalars: [0, 0, 0]))
        }
        let layer = try Linear<Float>(inputSize: 3, outputSize: 2)
        #expect(throws: RNNError("input: 4 values are not rows of 3 features")) { try layer.forward([1, 2, 3, 4]) }
        var gradients = [Float](repeating: 0, count: layer.storage.count)
        #expect(throws: RNNError.self) { try layer.backward([1, 2, 3], input: [1, 2, 3], into: &gradients) }
        var short = [Float](repeating: 0, count: 3)
        #expect(throws: RNNError.self) { try layer.backward([1, 2], input: [1, 2, 3], into: &short) }
    }
}
