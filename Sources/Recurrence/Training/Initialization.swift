/// How to draw a recurrent network's initial parameters, with `torch.nn.init`'s semantics
/// where PyTorch has the scheme.
///
/// Fan-in is a weight matrix's column count, fan-out its row count (W_ih is H × I or H × D·H,
/// W_hh is H × H). A gated cell's weights and biases stack one H-row block per gate (LSTM
/// i, f, g, o; GRU r, z, n), and the schemes apply to each block as to a whole nn.RNN matrix
/// (orthogonal per block, fans per block, as is common); an LSTM's projection W_hr (P × H) is
/// one block. Every scheme draws from one generator in `named_parameters()` order, so a seed
/// fixes every number. Schemes that say "default" for a tensor draw it from PyTorch's default
/// U(−1/√H, 1/√H), exactly as `RNN(_:seed:)` does.
public enum Initialization: Equatable, Sendable, Codable {
    /// PyTorch's `nn.RNN` default: every parameter U(−1/√H, 1/√H). The same numbers as
    /// `RNN(configuration, seed: seed)`.
    case pytorchDefault
    /// `xavier_uniform_` on every weight: U(±a) with a = gain·√(6 / (fan_in + fan_out)).
    /// Biases zero.
    case xavierUniform(gain: Double)
    /// `xavier_normal_` on every weight: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)).
    /// Biases zero.
    case xavierNormal(gain: Double)
    /// `kaiming_normal_` (mode fan_in) on every weight: N(0, σ²) with σ = gain/√fan_in.
    /// Pass gain √2 for relu (PyTorch's `calculate_gain("relu")`), 5/3 for tanh. Biases zero.
    case kaiming(gain: Double)
    /// `orthogonal_` on every weight (Saxe et al. 2014): the Q of a Gaussian matrix's QR with
    /// the columns' signs fixed by sign(diag R), times gain. W_hh is orthogonal; a
    /// rectangular W_ih has orthonormal columns (rows ≥ columns) or rows (rows < columns).
    /// Biases zero.
    case orthogonal(gain: Double)
    /// IRNN (Le, Jaitly & Hinton 2015): W_hh = I, input weights N(0, inputStd²), biases zero.
    case identity(inputStd: Double = 1e-3)
    /// The mean-field axis: W_hh ~ N(0, gain²/H); W_ih and biases default, so that for
    /// unit-variance inputs the input term has variance σ_in² = I/(3H) per unit (layer 0)
    /// and the two biases together σ_b² = 2/(3H).
    case gaussian(gain: Double)
    /// W_hh ~ N(0, 1/H) rescaled so that its spectral radius is exactly the given value;
    /// W_ih and biases default.
    case spectralRadius(Double)
    /// Gated cells: PyTorch's default, then the forget gate's bias (a GRU's update gate z,
    /// which keeps h_{t−1} as f keeps c_{t−1}) set to this value, b_ih = value, b_hh = 0
    /// (Jozefowicz, Zaremba & Sutskever 2015 use 1).
    case forgetBias(Double)
    /// Gated cells (Tallec & Ollivier 2018): PyTorch's default, then the forget gate's bias
    /// b_f ~ ln U(1, T_max − 1) per unit and, for an LSTM, the input gate's b_i = −b_f (a GRU's
    /// update gate z takes b_f), in b_ih with b_hh = 0: memory time scales spread up to T_max.
    case chrono(tMax: Double)

    /// A short stable name for run ids and figure legends, e.g. "pytorch-default".
    public var name: String {
        switch self {
        case .pytorchDefault: "pytorch-default"
        case .xavierUniform: "xavier-uniform"
        case .xavierNormal: "xavier-normal"
        case .kaiming: "kaiming"
        case .orthogonal: "orthogonal"
        case .identity: "identity"
        case .gaussian: "gaussian"
        case .spectralRadius: "spectral-radius"
        case .forgetBias: "forget-bias"
        case .chrono: "chrono"
        }
    }

    /// Checks the scheme's numbers: gains, the input std and the radius must be finite and
    /// positive.
    public func validate() throws(RNNError) {
        func positive(_ value: Double, _ what: String) throws(RNNError) {
            guard value.isFinite, value > 0 else {
                throw RNNError("\(name) initialization: \(what) must be a finite number above 0, got \(value)")
            }
        }
        switch self {
        case .pytorchDefault: break
        case .xavierUniform(let gain), .xavierNormal(let gain), .kaiming(let gain), .orthogonal(let gain),
             .gaussian(let gain):
            try positive(gain, "gain")
        case .identity(let inputStd): try positive(inputStd, "inputStd")
        case .spectralRadius(let radius): try positive(radius, "spectral radius")
        case .forgetBias(let bias):
            guard bias.isFinite else { throw RNNError("forget-bias initialization: the bias must be finite, got \(bias)") }
        case .chrono(let tMax):
            guard tMax.isFinite, tMax > 2 else {
                throw RNNError("chrono initialization: T_max must be a finite number above 2, got \(tMax)")
            }
        }
    }

    /// Checks that the scheme applies to the configuration's cell: the identity (IRNN) and a
    /// spectral radius to square recurrent blocks of nn.RNN only or of unprojected gated
    /// cells; the gate-bias schemes to gated cells with biases.
    public func check(for configuration: RNNConfiguration) throws(RNNError) {
        let cell = configuration.cell
        switch self {
        case .identity where cell != .rnn:
            throw RNNError("eye initialization (IRNN) applies to rnn cells only, not \(cell.rawValue)")
        case .spectralRadius where configuration.projSize > 0:
            throw RNNError("spectral-radius initialization needs square recurrent blocks; not with proj_size")
        case .forgetBias, .chrono:
            guard cell != .rnn else { throw RNNError("\(name) initialization applies to gated cells (lstm, gru) only") }
            guard configuration.bias else { throw RNNError("\(name) initialization sets gate biases; the network has none (bias: false)") }
        default:
            break
        }
    }

    /// Parameters for a network of this configuration, drawn from a generator seeded with
    /// `seed` (the stream `RNN(_:seed:)` draws from) in `named_parameters()` order.
    /// - Throws: `RNNError` for an invalid configuration or scheme.
    public func parameters<Scalar: RNNScalar>(
        for configuration: RNNConfiguration, seed: UInt64, as _: Scalar.Type = Scalar.self
    ) throws(RNNError) -> ParameterSet<Scalar> {
        try configuration.validate()
        try validate()
        try check(for: configuration)
        var parameters = ParameterSet<Scalar>(zerosFor: ParameterLayout(configuration))
        var generator = SeededGenerator(seed: seed).derived(0)
        let hidden = configuration.hiddenSize
        let defaultBound = 1 / Scalar(hidden).squareRoot()

        let gates = configuration.cell.gateCount
        for entry in parameters.layout.entries {
            let isBias = entry.shape.count == 1
            let isRecurrent = entry.name.hasPrefix("weight_hh")
            // One block per gate; a projection W_hr is one block of its own.
            let blocks = entry.name.hasPrefix("weight_hr") ? 1 : gates
            let rows = entry.shape[0] / blocks
            let columns = isBias ? 1 : entry.shape[1]
            let (fanIn, fanOut) = (Double(columns), Double(rows))
            var values: [Double] = []

            switch self {
            case .pytorchDefault, .forgetBias, .chrono,
                 .gaussian where !isRecurrent, .spectralRadius where !isRecurrent:
                for i in entry.offset..<entry.offset + entry.count {
                    parameters.storage[i] = generator.uniform(-defaultBound, defaultBound)
                }
                continue
            case _ where isBias:
                continue  // zero
            case .xavierUniform(let gain):
                let bound = gain * (6 / (fanIn + fanOut)).squareRoot()
                values = (0..<entry.count).map { _ in generator.uniform(-bound, bound) }
            case .xavierNormal(let gain):
                let std = gain * (2 / (fanIn + fanOut)).squareRoot()
                values = (0..<entry.count).map { _ in std * generator.normal() }
            case .kaiming(let gain):
                let std = gain / fanIn.squareRoot()
                values = (0..<entry.count).map { _ in std * generator.normal() }
            case .orthogonal(let gain):
                for _ in 0..<blocks {
                    values += Self.orthogonal(rows: rows, columns: columns, using: &generator).map { gain * $0 }
                }
            case .identity(let inputStd):
                if isRecurrent {
                    values = [Double](repeating: 0, count: entry.count)
                    for i in 0..<min(rows, columns) { values[i * columns + i] = 1 }
                } else {
                    values = (0..<entry.count).map { _ in inputStd * generator.normal() }
                }
            case .gaussian(let gain):
                let std = gain / Double(hidden).squareRoot()
                values = (0..<entry.count).map { _ in std * generator.normal() }
            case .spectralRadius(let target):
                for _ in 0..<blocks {
                    values += try Self.withSpectralRadius(target, size: hidden, name: entry.name, using: &generator)
                }
            }
            for (k, value) in values.enumerated() {
                parameters.storage[entry.offset + k] = Scalar(value)
            }
        }
        try setGateBiases(&parameters, configuration: configuration, using: &generator)
        return parameters
    }
}

extension Initialization {
    /// A rows × columns row-major matrix as `torch.nn.init.orthogonal_` makes it (gain 1):
    /// draw a Gaussian rows × columns matrix, transpose it if it is wide, take the Q of its
    /// QR factorization, multiply each column of Q by the sign of the matching diagonal
    /// element of R (so Q is Haar-distributed), and transpose back.
    static func orthogonal(rows: Int, columns: Int, using generator: inout SeededGenerator) -> [Double] {
        let gaussian = (0..<rows * columns).map { _ in generator.normal() }
        let wide = rows < columns
        // The tall matrix A (m × n, m ≥ n) to factor, column-major as LAPACK stores it.
        let (m, n) = wide ? (columns, rows) : (rows, columns)
        var a = [Double](repeating: 0, count: m * n)
        for r in 0..<rows {
            for c in 0..<columns {
                let (i, j) = wide ? (c, r) : (r, c)  // A[i][j]
                a[i + j * m] = gaussian[r * columns + c]
            }
        }
        let tau = householderQR(&a, rows: m, columns: n)
        // Q's first n columns = H_0 H_1 … H_{n−1} applied to the first n columns of I, with
        // H_k = I − τ_k v_k v_kᵀ, v_k = (0…0, 1, a[k+1…m−1, k]). Column-major m × n.
        var q = [Double](repeating: 0, count: m * n)
        for j in 0..<n { q[j + j * m] = 1 }
        for k in stride(from: n - 1, through: 0, by: -1) where tau[k] != 0 {
            for j in 0..<n {
                var dot = q[k + j * m]
                for i in k + 1..<m { dot += a[i + k * m] * q[i + j * m] }
                let s = tau[k] * dot
                q[k + j * m] -= s
                for i in k + 1..<m { q[i + j * m] -= s * a[i + k * m] }
            }
        }
        // Column j times sign(R[j][j]); a zero diagonal (probability 0) keeps its column.
        for j in 0..<n where a[j + j * m] < 0 {
            for i in 0..<m { q[i + j * m].negate() }
        }
        var result = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                let (i, j) = wide ? (c, r) : (r, c)
                result[r * columns + c] = q[i + j * m]
            }
        }
        return result
    }

    /// Householder QR of a column-major rows × columns matrix (rows ≥ columns) in place, as
    /// LAPACK's unblocked `dgeqr2` computes it: R in and above the diagonal, the reflectors'
    /// vectors v_k (with v_k[k] = 1 implied) below it; returns the τ_k of H_k = I − τ_k v_k v_kᵀ.
    ///
    /// Written out rather than called from LAPACK because OpenBLAS picks its kernels by CPU,
    /// and an init must give the same bits on every machine: this is plain Double arithmetic
    /// in one fixed order.
    static func householderQR(_ a: inout [Double], rows m: Int, columns n: Int) -> [Double] {
        var tau = [Double](repeating: 0, count: n)
        for k in 0..<n {
            // The reflector that zeroes column k below the diagonal (LAPACK's dlarfg).
            let alpha = a[k + k * m]
            var largest = 0.0
            for i in k + 1..<m { largest = max(largest, a[i + k * m].magnitude) }
            guard largest > 0 else { continue }  // already zero below: H_k = I, τ_k = 0
            var sum = 0.0
            for i in k + 1..<m { let x = a[i + k * m] / largest; sum += x * x }
            let norm = largest * sum.squareRoot()
            let beta = -(alpha >= 0 ? 1.0 : -1.0) * (alpha * alpha + norm * norm).squareRoot()
            tau[k] = (beta - alpha) / beta
            let scale = 1 / (alpha - beta)
            for i in k + 1..<m { a[i + k * m] *= scale }
            a[k + k * m] = beta
            // H_k applied to the columns on the right (dlarf): A_j −= τ (vᵀ A_j) v.
            for j in k + 1..<n {
                var dot = a[k + j * m]
                for i in k + 1..<m { dot += a[i + k * m] * a[i + j * m] }
                let s = tau[k] * dot
                a[k + j * m] -= s
                for i in k + 1..<m { a[i + j * m] -= s * a[i + k * m] }
            }
        }
        return tau
    }
}
