import Recurrence

/// J_tᵀ of nn.RNN, J_t = ∂h_t/∂h_{t−1} = diag(φ′(z_t)) W_hh: v ← (φ′(z_t) ⊙ v) W_hh, the map
/// BPTT applies to ∂L/∂h_t.
struct ElmanStepMap: Sendable {
    let hiddenSize: Int
    let batch: Int
    /// φ′(z_t), (T, N, H), from h_t = φ(z_t).
    let derivatives: [Double]
    /// W_hh, (H, H) row-major.
    let weightHH: [Double]

    init<S: RNNScalar>(rnn: RNN<S>, trajectory: ForwardTrajectory) {
        hiddenSize = trajectory.hiddenSize
        batch = trajectory.batch
        let nonlinearity = rnn.configuration.nonlinearity
        derivatives = trajectory.states.map { h in
            switch nonlinearity {
            case .tanh: return 1 - h * h
            case .relu: return h > 0 ? 1 : 0
            }
        }
        weightHH = rnn.parameters["weight_hh_l0"]!.scalars.map { Double($0) }
    }

    var dimension: Int { hiddenSize }

    func scratchCount(rows: Int) -> Int { rows * hiddenSize }

    /// Applies J_tᵀ to the N·k rows of `vectors`, sample n's k rows from row n·k on.
    func apply(step t: Int, _ vectors: inout [Double], perSample k: Int, scratch: inout [Double]) {
        for n in 0..<batch {
            let phi = (t * batch + n) * hiddenSize
            for i in 0..<k {
                let row = (n * k + i) * hiddenSize
                for j in 0..<hiddenSize { scratch[row + j] = derivatives[phi + j] * vectors[row + j] }
            }
        }
        let rows = batch * k
        scratch.withUnsafeBufferPointer { a in
            weightHH.withUnsafeBufferPointer { b in
                vectors.withUnsafeMutableBufferPointer { c in
                    Double.gemm(transposeA: false, transposeB: false, m: rows, n: hiddenSize, k: hiddenSize,
                                alpha: 1, a: a.baseAddress!, lda: hiddenSize, b: b.baseAddress!, ldb: hiddenSize,
                                beta: 0, c: c.baseAddress!, ldc: hiddenSize)
                }
            }
        }
    }
}
