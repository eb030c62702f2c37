import Recurrence
import Testing

/// Pins the engine's exact bits: a hash of every output, gradient and probe of forward +
/// backward for configurations covering every cell, both scalars, stacked and bidirectional
/// layers, H = 1024 and long sequences whose gradients are rescaled, against hashes computed
/// before the performance work that must not change a single bit (reorderings of loops,
/// skipped work, re-blocking). Every kernel path computes the same bits, so the hashes hold on
/// every instruction set (`VANISH_KERNELS` picks one). A change that is meant to change results
/// (a kernel's summation order) updates them: a failure prints the new hash. They were updated
/// once, when the kernels' sums of squares took one fixed 16-lane order on every path.
@Suite("Bit identity")
struct BitIdentityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let config: RNNConfiguration
        let double: Bool
        /// N, T; N = 0 for an unbatched input.
        let batch: Int
        let steps: Int
        /// Scales the default initialization (above 1: gradients that grow).
        let gain: Double
        let probes: ProbeOptions
        /// The hash of everything, on every kernel path.
        let expected: UInt64

        var testDescription: String { name }

        init(_ name: String, _ config: RNNConfiguration, double: Bool = false, batch: Int = 3, steps: Int = 7,
             gain: Double = 1, probes: ProbeOptions = .all, _ expected: UInt64) {
            (self.name, self.config, self.double, self.batch, self.steps, self.gain, self.probes, self.expected) =
                (name, config, double, batch, steps, gain, probes, expected)
        }
    }

    static let large = ProbeOptions.all.subtracting(.recurrentWeightGradientNorms)

    static let cases: [Case] = [
        Case("RNN tanh", RNNConfiguration(inputSize: 5, hiddenSize: 6), 0xaf40009f38b4c4e0),
        Case("RNN relu", RNNConfiguration(inputSize: 5, hiddenSize: 6, nonlinearity: .relu), 0x12519c6c99293260),
        Case("RNN tanh Double", RNNConfiguration(inputSize: 5, hiddenSize: 6), double: true, 0x2727c13ac4d12a85),
        Case("RNN 2 layers bidirectional", RNNConfiguration(inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true),
             0x515d2f6071b3a60d),
        Case("RNN relu Double 2 layers bidirectional batch-first",
             RNNConfiguration(inputSize: 5, hiddenSize: 6, numLayers: 2, nonlinearity: .relu, batchFirst: true,
                              bidirectional: true), double: true, 0xd910467389014a8a),
        Case("RNN unbatched", RNNConfiguration(inputSize: 5, hiddenSize: 6), batch: 0, 0x9e28e47811818978),
        Case("LSTM", RNNConfiguration(inputSize: 5, hiddenSize: 6, cell: .lstm), 0x88b49fe75e8dcea8),
        Case("LSTM Double", RNNConfiguration(inputSize: 5, hiddenSize: 6, cell: .lstm), double: true, 0xc827965902b90cc2),
        Case("LSTM projecting", RNNConfiguration(inputSize: 5, hiddenSize: 6, cell: .lstm, projSize: 3), 0x7fef17fcc1cc04ba),
        Case("LSTM Double projecting 2 layers bidirectional",
             RNNConfiguration(inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true, cell: .lstm, projSize: 4),
             double: true, 0x4c3ff3b4e05387a8),
        Case("LSTM 2 layers bidirectional", RNNConfiguration(inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true,
                                                              cell: .lstm), 0x960299f1e5415c79),
        Case("GRU", RNNConfiguration(inputSize: 5, hiddenSize: 6, cell: .gru), 0x6251263c96c2c39d),
        Case("GRU Double", RNNConfiguration(inputSize: 5, hiddenSize: 6, cell: .gru), double: true, 0x18294fd83abe8b1c),
        Case("GRU 2 layers bidirectional", RNNConfiguration(inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true,
                                                             cell: .gru), 0xc097fdeae63e6bad),
        Case("GRU Double without bias", RNNConfiguration(inputSize: 5, hiddenSize: 6, bias: false, cell: .gru),
             double: true, 0xd928769c68373fc8),
        // Without the probe of Σ_n dz h_{t−1}ᵀ, which takes seconds at this size in a debug build.
        Case("RNN H = 1024", RNNConfiguration(inputSize: 16, hiddenSize: 1024), batch: 2, steps: 3, probes: large,
             0x37fb55697eb08821),
        Case("LSTM H = 1024", RNNConfiguration(inputSize: 16, hiddenSize: 1024, cell: .lstm), batch: 2, steps: 3,
             probes: large, 0x129e30a35b213cd2),
        Case("GRU H = 1024", RNNConfiguration(inputSize: 16, hiddenSize: 1024, cell: .gru), batch: 2, steps: 3,
             probes: large, 0x4efed421eee539c5),
        // Long sequences: two backward chunks (4096 rows each), and gradients that leave
        // [2^−32, 2^32] and are rescaled, falling or (gain 4) growing.
        Case("RNN long", RNNConfiguration(inputSize: 3, hiddenSize: 8), batch: 4, steps: 1500, 0x890429456d89d77b),
        Case("RNN long growing", RNNConfiguration(inputSize: 3, hiddenSize: 8), batch: 4, steps: 1500, gain: 4,
             0x165fe5863b3fe763),
        Case("LSTM long", RNNConfiguration(inputSize: 3, hiddenSize: 8, cell: .lstm), batch: 4, steps: 1500,
             0xc75d94ad7f3f2e53),
        Case("GRU Double long", RNNConfiguration(inputSize: 3, hiddenSize: 8, cell: .gru), double: true, batch: 4,
             steps: 1500, 0x487390fb63ce27ac),
    ]

    @Test("forward + backward's every bit is unchanged", arguments: cases)
    func unchanged(_ testCase: Case) throws {
        let hash = testCase.double ? try Self.hash(testCase, Double.self) : try Self.hash(testCase, Float.self)
        #expect(hash == testCase.expected, "\(testCase.name): hash 0x\(String(hash, radix: 16))")
    }

    /// `FNV` over the bits of the output, h_n, c_n, the probes' states, every gradient and
    /// every probe record, in that order.
    static func hash<S: RNNScalar & BinaryFloatingPoint>(_ testCase: Case, _: S.Type) throws -> UInt64 {
        let config = testCase.config
        let rnn = try RNN<S>(config, seed: 7)
        if testCase.gain != 1 {
            for i in rnn.parameters.storage.indices { rnn.parameters.storage[i] *= S(testCase.gain) }
        }
        rnn.probes = testCase.probes
        var generator = SeededGenerator(seed: 8)
        func tensor(_ shape: [Int]) -> Tensor<S> {
            Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in S(generator.normal()) })
        }
        let (n, t) = (testCase.batch, testCase.steps)
        let width = config.directions * config.stateSize
        let blocks = config.numLayers * config.directions
        func sequence(_ columns: Int) -> [Int] {
            n == 0 ? [t, columns] : config.batchFirst ? [n, t, columns] : [t, n, columns]
        }
        let rows = n == 0 ? [blocks] : [blocks, n]
        let output = try rnn.forward(tensor(sequence(config.inputSize)), initialState: tensor(rows + [config.stateSize]),
                                     initialCell: config.cell == .lstm ? tensor(rows + [config.hiddenSize]) : nil)
        let gradients = try rnn.backward(gradOutput: tensor(sequence(width)), gradFinalState: tensor(rows + [config.stateSize]),
                                         gradFinalCell: config.cell == .lstm ? tensor(rows + [config.hiddenSize]) : nil)
        var hasher = FNV()
        for values in [output.output.scalars, output.finalState.scalars, output.finalCell?.scalars ?? [],
                       output.hiddenStates?.scalars ?? [], output.cellStates?.scalars ?? [],
                       gradients.parameters.storage, gradients.input?.scalars ?? [], gradients.initialState.scalars,
                       gradients.initialCell?.scalars ?? []] {
            hasher.add(values.map(Double.init))
        }
        for probe in gradients.probes {
            for values in [probe.gradientNorm, probe.gradientNormPerSample, probe.preactivationGradientNorm,
                           probe.recurrentWeightGradientNorm, probe.logGradientNorm, probe.cellGradientNorm,
                           probe.cellLogGradientNorm, probe.gateMean, probe.gateSaturatedHigh, probe.gateSaturatedLow] {
                hasher.add(values)
            }
        }
        return hasher.value
    }

    /// A 64-bit FNV-1a over whole words (values' bit patterns and their counts): one multiply
    /// per value, which a debug build runs over H = 1024's millions of gradients in time.
    struct FNV {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func add(_ values: [Double]) {
            mix(UInt64(values.count))
            for v in values { mix(v.bitPattern) }
        }

        private mutating func mix(_ word: UInt64) {
            value = (value ^ word) &* 0x100_0000_01b3
        }
    }
}
