/// A fully connected layer identical to PyTorch's `nn.Linear`: y = x Wᵀ + b, the readout on
/// top of an RNN.
///
/// Shapes: M rows (e.g. T·N time steps and samples), I inputs, O outputs. The weight (O × I)
/// and the bias (O) live in one flat `storage`, weight first, with the names of PyTorch's
/// state_dict ("weight", "bias"); gradients share that layout.
public struct Linear<Scalar: RNNScalar>: Equatable, Sendable {
    /// I.
    public let inputSize: Int
    /// O.
    public let outputSize: Int
    /// weight (O × I, row-major) then bias (O).
    public var storage: [Scalar]

    /// A layer with `nn.Linear`'s default initialization: weight and bias U(−1/√I, 1/√I)
    /// (kaiming_uniform_ with a = √5 gives that bound for the weight), drawn weight first
    /// from a generator seeded with `seed`. The stream differs from the one `RNN(_:seed:)`
    /// draws from, so an RNN and its readout may share a seed.
    /// - Throws: `RNNError` for sizes below 1.
    public init(inputSize: Int, outputSize: Int, seed: UInt64 = 0) throws(RNNError) {
        guard inputSize >= 1 else { throw RNNError("in_features must be at least 1, got \(inputSize)") }
        guard outputSize >= 1 else { throw RNNError("out_features must be at least 1, got \(outputSize)") }
        self.inputSize = inputSize
        self.outputSize = outputSize
        var generator = SeededGenerator(seed: seed).derived(2)
        let bound = 1 / Scalar(inputSize).squareRoot()
        storage = (0..<(outputSize * inputSize + outputSize)).map { _ in generator.uniform(-bound, bound) }
    }

    /// A layer with the given parameters (e.g. from a state_dict).
    /// - Throws: `RNNError` if the shapes are not O × I and O.
    public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>) throws(RNNError) {
        guard weight.rank == 2, weight.shape.allSatisfy({ $0 >= 1 }) else {
            throw RNNError("weight: expected shape [out_features, in_features], got \(weight.shape)")
        }
        guard bias.shape == [weight.shape[0]] else {
            throw RNNError("bias: expected shape [\(weight.shape[0])], got \(bias.shape)")
        }
        outputSize = weight.shape[0]
        inputSize = weight.shape[1]
        storage = weight.scalars + bias.scalars
    }

    /// Offset of the bias in `storage` (the weight starts at 0).
    public var biasOffset: Int { outputSize * inputSize }

    /// "weight" (O × I) and "bias" (O) with their offsets in `storage`.
    public var entries: [ParameterLayout.Entry] {
        [ParameterLayout.Entry(name: "weight", shape: [outputSize, inputSize], offset: 0),
         ParameterLayout.Entry(name: "bias", shape: [outputSize], offset: biasOffset)]
    }

    public var weight: Tensor<Scalar> { Tensor(shape: [outputSize, inputSize], scalars: Array(storage[..<biasOffset])) }
    public var bias: Tensor<Scalar> { Tensor(shape: [outputSize], scalars: Array(storage[biasOffset...])) }

    // MARK: Forward and backward

    /// output (M × O) = input (M × I) · weightᵀ + bias.
    /// - Throws: `RNNError` if the input's count is not a multiple of I.
    public func forward(_ input: [Scalar]) throws(RNNError) -> [Scalar] {
        let rows = try rowCount(input, inputSize, "input")
        var output = [Scalar](repeating: 0, count: rows * outputSize)
        output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { inp in
                forward(out.baseAddress!, inp.baseAddress!, rows: rows)
            }
        }
        return output
    }

    /// out (M × O) = inp (M × I) · weightᵀ + bias, overwriting `out`. Invariant: both
    /// buffers hold M rows.
    public func forward(_ out: UnsafeMutablePointer<Scalar>, _ inp: UnsafePointer<Scalar>, rows: Int) {
        guard rows > 0 else { return }
        let (i, o) = (inputSize, outputSize)
        storage.withUnsafeBufferPointer { parameters in
            let weight = parameters.baseAddress!, bias = weight + biasOffset
            for m in 0..<rows { (out + m * o).update(from: bias, count: o) }
            Scalar.gemm(transposeA: false, transposeB: true, m: rows, n: o, k: i,
                        alpha: 1, a: inp, lda: i, b: weight, ldb: i, beta: 1, c: out, ldc: o)
        }
    }

    /// Backward of `forward` for M rows: adds dWeight (O × I) += dOutᵀ · input and
    /// dBias (O) += Σ_rows dOut into `gradients` (the parameters' layout; the caller zeroes
    /// it), and returns dInput (M × I) = dOut · weight.
    /// - Throws: `RNNError` if dOutput is not M × O for the input's M rows, or `gradients`
    ///   does not have the parameters' count.
    public func backward(_ dOutput: [Scalar], input: [Scalar], into gradients: inout [Scalar]) throws(RNNError) -> [Scalar] {
        let rows = try rowCount(input, inputSize, "input")
        guard dOutput.count == rows * outputSize else {
            throw RNNError("dOutput: expected \(rows)×\(outputSize) = \(rows * outputSize) values for \(rows) input rows, got \(dOutput.count)")
        }
        guard gradients.count == storage.count else {
            throw RNNError("gradients: expected \(storage.count) values (weight \(outputSize)×\(inputSize) and bias \(outputSize)), got \(gradients.count)")
        }
        var dInput = [Scalar](repeating: 0, count: rows * inputSize)
        dInput.withUnsafeMutableBufferPointer { dInp in
            gradients.withUnsafeMutableBufferPointer { dParameters in
                dOutput.withUnsafeBufferPointer { dOut in
                    input.withUnsafeBufferPointer { inp in
                        backward(dInp.baseAddress!, dParameters.baseAddress!, dOut.baseAddress!, inp.baseAddress!, rows: rows)
                    }
                }
            }
        }
        return dInput
    }

    /// Backward of `forward` for M rows, adding into every gradient buffer:
    /// dInp (M × I) += dOut · weight, dWeight += dOutᵀ · inp, dBias += Σ_rows dOut, where
    /// `dParameters` has the parameters' layout. Invariant: the buffers have those sizes.
    public func backward(
        _ dInp: UnsafeMutablePointer<Scalar>, _ dParameters: UnsafeMutablePointer<Scalar>,
        _ dOut: UnsafePointer<Scalar>, _ inp: UnsafePointer<Scalar>, rows: Int
    ) {
        guard rows > 0 else { return }
        let (i, o) = (inputSize, outputSize)
        let dWeight = dParameters, dBias = dParameters + biasOffset
        storage.withUnsafeBufferPointer { parameters in
            Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: i, k: o,
                        alpha: 1, a: dOut, lda: o, b: parameters.baseAddress!, ldb: i, beta: 1, c: dInp, ldc: i)
        }
        Scalar.gemm(transposeA: true, transposeB: false, m: o, n: i, k: rows,
                    alpha: 1, a: dOut, lda: o, b: inp, ldb: i, beta: 1, c: dWeight, ldc: i)
        for m in 0..<rows {
            for j in 0..<o { dBias[j] += dOut[m * o + j] }
        }
    }

    private func rowCount(_ values: [Scalar], _ width: Int, _ what: String) throws(RNNError) -> Int {
        guard values.count % width == 0 else {
            throw RNNError("\(what): \(values.count) values are not rows of \(width) features")
        }
        return values.count / width
    }
}
