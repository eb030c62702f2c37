import Foundation
import Recurrence
import Testing

@Suite("Training kit: initializations")
struct InitializationTrainingKitTests {
    /// H = 256, I = 64: W_ih has 16384 and W_hh 65536 elements, so variances are within ≈1%.
    static let wide = RNNConfiguration(inputSize: 64, hiddenSize: 256)
    static let every: [Initialization] = [
        .pytorchDefault, .xavierUniform(gain: 1), .xavierNormal(gain: 1.5), .kaiming(gain: 2.0.squareRoot()),
        .orthogonal(gain: 1), .identity(), .gaussian(gain: 1.2), .spectralRadius(0.9),
    ]

    func tensor<S: RNNScalar>(_ rnn: RNN<S>, _ name: String) -> [Double] {
        rnn.parameters[name]!.scalars.map { Double($0) }
    }

    func expectVariance(_ values: [Double], _ expected: Double, tolerance: Double = 0.04, _ what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let (mean, variance) = TrainingKit.moments(values)
        #expect((variance / expected - 1).magnitude < tolerance,
                "\(what): variance \(variance), expected \(expected)", sourceLocation: sourceLocation)
        #expect(mean.magnitude < 4 * (expected / Double(values.count)).squareRoot(),
                "\(what): mean \(mean) is not 0 within 4 standard errors", sourceLocation: sourceLocation)
    }

    func expectZeroBiases<S: RNNScalar>(_ rnn: RNN<S>, sourceLocation: SourceLocation = #_sourceLocation) {
        for entry in rnn.parameters.layout.entries where entry.name.hasPrefix("bias") {
            #expect(tensor(rnn, entry.name).allSatisfy { $0 == 0 }, "\(entry.name) is not zero", sourceLocation: sourceLocation)
        }
    }

    func expectDefault<S: RNNScalar>(_ rnn: RNN<S>, _ names: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let bound = 1 / Double(rnn.configuration.hiddenSize).squareRoot()
        for name in names {
            let values = tensor(rnn, name)
            #expect(values.allSatisfy { $0.magnitude <= bound }, "\(name) leaves U(±1/√H)", sourceLocation: sourceLocation)
            if values.count >= 16384 {
                expectVariance(values, bound * bound / 3, name, sourceLocation: sourceLocation)
            }
        }
    }

    @Test("pytorch-default reproduces RNN(seed:) exactly, for Float and Double")
    func pytorchDefault() throws {
        func check<S: RNNScalar>(_: S.Type) throws {
            let config = RNNConfiguration(inputSize: 3, hiddenSize: 7, numLayers: 2, bidirectional: true)
            let rnn = try RNN<S>(config, seed: 99)
            try rnn.initialize(.pytorchDefault, seed: 42)
            #expect(rnn.parameters == (try RNN<S>(config, seed: 42)).parameters)
        }
        try check(Float.self)
        try check(Double.self)
    }

    @Test("xavier uniform: bounds gain·√(6/(fan_in+fan_out)), variance 2·gain²/(fan_in+fan_out), zero biases")
    func xavierUniform() throws {
        let rnn = try RNN<Float>(Self.wide)
        let gain = 1.5
        try rnn.initialize(.xavierUniform(gain: gain), seed: 1)
        for (name, fanIn, fanOut) in [("weight_ih_l0", 64.0, 256.0), ("weight_hh_l0", 256.0, 256.0)] {
            let values = tensor(rnn, name)
            let bound = gain * (6 / (fanIn + fanOut)).squareRoot()
            #expect(values.allSatisfy { $0.magnitude <= bound * (1 + 1e-6) })
            #expect(values.map(\.magnitude).max()! > 0.99 * bound, "\(name): the draws do not reach the bound")
            expectVariance(values, 2 * gain * gain / (fanIn + fanOut), name)
        }
        expectZeroBiases(rnn)
    }

    @Test("xavier normal: variance 2·gain²/(fan_in+fan_out), zero biases")
    func xavierNormal() throws {
        let rnn = try RNN<Double>(Self.wide)
        try rnn.initialize(.xavierNormal(gain: 0.5), seed: 2)
        expectVariance(tensor(rnn, "weight_ih_l0"), 0.25 * 2 / 320, "weight_ih_l0")
        expectVariance(tensor(rnn, "weight_hh_l0"), 0.25 * 2 / 512, "weight_hh_l0")
        expectZeroBiases(rnn)
    }

    @Test("kaiming normal: variance gain²/fan_in, zero biases")
    func kaiming() throws {
        let rnn = try RNN<Float>(Self.wide)
        try rnn.initialize(.kaiming(gain: 2.0.squareRoot()), seed: 3)
        expectVariance(tensor(rnn, "weight_ih_l0"), 2.0 / 64, "weight_ih_l0")
        expectVariance(tensor(rnn, "weight_hh_l0"), 2.0 / 256, "weight_hh_l0")
        expectZeroBiases(rnn)
    }

    @Test("orthogonal: WᵀW or WWᵀ = gain²·I to 1e-10 in Double (square, tall and wide), zero biases")
    func orthogonalDouble() throws {
        // Layer 0: W_ih 32 × 8 (tall); layer 1: W_ih 32 × 64 (wide, bidirectional); W_hh 32 × 32.
        let config = RNNConfiguration(inputSize: 8, hiddenSize: 32, numLayers: 2, bidirectional: true)
        let rnn = try RNN<Double>(config)
        let gain = 2.0
        try rnn.initialize(.orthogonal(gain: gain), seed: 4)
        for entry in rnn.parameters.layout.entries where entry.name.hasPrefix("weight") {
            let (rows, columns) = (entry.shape[0], entry.shape[1])
            let w = tensor(rnn, entry.name), wT = TrainingKit.transpose(w, rows: rows, columns: columns)
            let gram = rows >= columns
                ? TrainingKit.matmul(wT, w, rows: columns, inner: rows, columns: columns)
                : TrainingKit.matmul(w, wT, rows: rows, inner: columns, columns: rows)
            let n = min(rows, columns)
            let error = TrainingKit.maxDifference(gram, TrainingKit.identity(n, scale: gain * gain))
            #expect(error < 1e-10, "\(entry.name) (\(rows)×\(columns)): largest deviation of the Gram matrix from gain²·I is \(error)")
        }
        expectZeroBiases(rnn)
    }

    @Test("orthogonal in Float: W_hh orthogonal to Float precision at H = 256")
    func orthogonalFloat() throws {
        let rnn = try RNN<Float>(Self.wide)
        try rnn.initialize(.orthogonal(gain: 1), seed: 5)
        let w = tensor(rnn, "weight_hh_l0")
        let gram = TrainingKit.matmul(TrainingKit.transpose(w, rows: 256, columns: 256), w, rows: 256, inner: 256, columns: 256)
        #expect(TrainingKit.maxDifference(gram, TrainingKit.identity(256)) < 1e-5)
        // A Haar orthogonal matrix has entries of variance 1/H.
        expectVariance(w, 1.0 / 256, "weight_hh_l0")
    }

    /// torch's orthogonal_ is the Q of the QR of the Gaussian draw with R's diagonal made
    /// positive: so Qᵀ G (tall) or Q Gᵀ (wide) must be upper triangular with a positive
    /// diagonal. The Gaussian is redrawn here from the documented stream.
    @Test("orthogonal is the Q of the Gaussian's QR with sign(diag R) corrected", arguments: [(6, 4), (4, 6)])
    func orthogonalSignCorrection(hidden: Int, input: Int) throws {
        let config = RNNConfiguration(inputSize: input, hiddenSize: hidden)
        let rnn = try RNN<Double>(config)
        try rnn.initialize(.orthogonal(gain: 1), seed: 6)
        var generator = SeededGenerator(seed: 6).derived(0)
        let g = TrainingKit.normals(hidden * input, &generator)  // weight_ih_l0 is drawn first
        let w = tensor(rnn, "weight_ih_l0")
        let r = hidden >= input
            ? TrainingKit.matmul(TrainingKit.transpose(w, rows: hidden, columns: input), g, rows: input, inner: hidden, columns: input)
            : TrainingKit.matmul(w, TrainingKit.transpose(g, rows: hidden, columns: input), rows: hidden, inner: input, columns: hidden)
        let n = min(hidden, input)
        for i in 0..<n {
            #expect(r[i * n + i] > 0.1, "diag R[\(i)] = \(r[i * n + i])")
            for j in 0..<i { #expect(r[i * n + j].magnitude < 1e-12, "R[\(i)][\(j)] = \(r[i * n + j]) below the diagonal") }
        }
    }

    @Test("identity (IRNN): W_hh exactly I, W_ih ~ N(0, inputStd²), zero biases")
    func identity() throws {
        for inputStd in [1e-3, 0.1] {
            let rnn = try RNN<Float>(Self.wide)
            try rnn.initialize(.identity(inputStd: inputStd), seed: 7)
            #expect(tensor(rnn, "weight_hh_l0") == TrainingKit.identity(256))
            expectVariance(tensor(rnn, "weight_ih_l0"), inputStd * inputStd, "weight_ih_l0")
            expectZeroBiases(rnn)
        }
        #expect(Initialization.identity() == .identity(inputStd: 1e-3))
    }

    @Test("gaussian: W_hh ~ N(0, g²/H); W_ih and biases keep U(±1/√H)")
    func gaussian() throws {
        func check<S: RNNScalar>(_: S.Type) throws {
            let rnn = try RNN<S>(Self.wide)
            let gain = 1.7
            try rnn.initialize(.gaussian(gain: gain), seed: 8)
            expectVariance(tensor(rnn, "weight_hh_l0"), gain * gain / 256, "weight_hh_l0")
            expectDefault(rnn, ["weight_ih_l0", "bias_ih_l0", "bias_hh_l0"])
            // The biases are drawn, not left at zero.
            #expect(tensor(rnn, "bias_ih_l0").contains { $0 != 0 })
        }
        try check(Float.self)
        try check(Double.self)
    }

    @Test("spectral radius: exactly the target (1e-9 in Double); W_ih and biases default")
    func spectralRadius() throws {
        for target in [0.5, 1.0, 1.3] {
            let rnn = try RNN<Double>(Self.wide)
            try rnn.initialize(.spectralRadius(target), seed: 9)
            let radius = Spectrum.spectralRadius(tensor(rnn, "weight_hh_l0"), size: 256)
            #expect((radius - target).magnitude < 1e-9, "radius \(radius), target \(target)")
            expectDefault(rnn, ["weight_ih_l0", "bias_ih_l0", "bias_hh_l0"])
        }
        let float = try RNN<Float>(RNNConfiguration(inputSize: 2, hiddenSize: 64, numLayers: 2))
        try float.initialize(.spectralRadius(1.1), seed: 10)
        for spectrum in float.recurrentWeightSpectra() {
            #expect((spectrum.spectralRadius - 1.1).magnitude < 1e-5)
        }
    }

    @Test("the same seed gives identical parameters; another seed different ones", arguments: every)
    func determinism(_ scheme: Initialization) throws {
        let config = RNNConfiguration(inputSize: 5, hiddenSize: 16, numLayers: 2, bidirectional: true)
        let a = try RNN<Float>(config), b = try RNN<Float>(config, seed: 3), c = try RNN<Float>(config)
        try a.initialize(scheme, seed: 11)
        try b.initialize(scheme, seed: 11)
        try c.initialize(scheme, seed: 12)
        #expect(a.parameters == b.parameters)
        #expect(a.parameters.storage.allSatisfy { $0.isFinite })
        #expect(a.parameters != c.parameters)
        // Without biases too.
        let noBias = try RNN<Double>(RNNConfiguration(inputSize: 5, hiddenSize: 16, bias: false))
        try noBias.initialize(scheme, seed: 11)
        #expect(noBias.parameters.names == ["weight_ih_l0", "weight_hh_l0"])
        #expect(noBias.parameters.storage.allSatisfy { $0.isFinite })
        // The smallest network: 1 × 1 matrices (an orthogonal one is ±gain).
        let tiny = try RNN<Double>(RNNConfiguration(inputSize: 1, hiddenSize: 1))
        try tiny.initialize(scheme, seed: 13)
        #expect(tiny.parameters.storage.allSatisfy { $0.isFinite })
        if case .orthogonal = scheme { #expect(tensor(tiny, "weight_hh_l0").map(\.magnitude) == [1]) }
    }

    @Test("invalid gains, input std and radii are errors that name the scheme; parameters stay")
    func errors() throws {
        let rnn = try RNN<Float>(RNNConfiguration(inputSize: 2, hiddenSize: 4), seed: 1)
        let before = rnn.parameters
        let invalid: [Initialization] = [
            .xavierUniform(gain: 0), .xavierNormal(gain: -1), .kaiming(gain: .nan), .orthogonal(gain: .infinity),
            .gaussian(gain: 0), .identity(inputStd: -1e-3), .identity(inputStd: .nan), .spectralRadius(0), .spectralRadius(-0.5),
        ]
        for scheme in invalid {
            #expect {
                try rnn.initialize(scheme, seed: 1)
            } throws: { error in
                (error as? RNNError)?.message.contains(scheme.name) == true
            }
            #expect(rnn.parameters == before)
        }
    }

    @Test("names are distinct and stable; the scheme round-trips through Codable")
    func namesAndCoding() throws {
        #expect(Self.every.map(\.name) == [
            "pytorch-default", "xavier-uniform", "xavier-normal", "kaiming", "orthogonal", "identity", "gaussian", "spectral-radius",
        ])
        let decoded = try JSONDecoder().decode([Initialization].self, from: JSONEncoder().encode(Self.every))
        #expect(decoded == Self.every)
    }
}

extension Initialization: CustomTestStringConvertible {
    public var testDescription: String { name }
}
