import RealModule
import Recurrence

/// J_tᵀ of nn.GRU, J_t = ∂h_t/∂h_{t−1}, the map BPTT applies to ∂L/∂h_t. With PyTorch's
/// h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}, n = tanh(a), a = W_in x + b_in + r ⊙ (W_hn h_{t−1} + b_hn),
/// and v = ∂L/∂h_t, it is GRUCell's backward step:
///
///     da = v ⊙ (1 − z) ⊙ (1 − n²)
///     dz = [da ⊙ (W_hn h_{t−1} + b_hn) ⊙ r(1 − r), v ⊙ (h_{t−1} − n) ⊙ z(1 − z), da ⊙ r]
///     v′ = v ⊙ z + dz W_hh
///
/// the direct path through z plus the paths through r, z and n.
struct GRUStepMap: Sendable {
    let hiddenSize: Int
    let batch: Int
    /// Per step and sample, five H-blocks: (1 − z)(1 − n²), (W_hn h + b_hn)·r(1 − r),
    /// (h_{t−1} − n)·z(1 − z), r, z; (T, N, 5·H).
    let coefficients: [Double]
    /// W_hh, (3·H, H) row-major.
    let weightHH: [Double]

    static let blocks = 5
    /// The block of `coefficients` that holds z, the gate that carries h_{t−1}.
    static let updateBlock = 4

    init<S: RNNScalar>(rnn: RNN<S>, trajectory: ForwardTrajectory) {
        let (hidden, batch, steps) = (trajectory.hiddenSize, trajectory.batch, trajectory.steps)
        hiddenSize = hidden
        self.batch = batch
        weightHH = rnn.parameters["weight_hh_l0"]!.scalars.map { Double($0) }
        let width = 3 * hidden
        var coefficients = [Double](repeating: 0, count: steps * batch * Self.blocks * hidden)
        for row in 0..<steps * batch {
            let (gates, out) = (row * width, row * Self.blocks * hidden)
            let (input, recurrent) = (trajectory.inputProjections, trajectory.hiddenProjections)
            for j in 0..<hidden {
                let r = sigmoid(input[gates + j] + recurrent[gates + j])
                let z = sigmoid(input[gates + hidden + j] + recurrent[gates + hidden + j])
                let hiddenCandidate = recurrent[gates + 2 * hidden + j]
                let n = Double.tanh(input[gates + 2 * hidden + j] + r * hiddenCandidate)
                let before = trajectory.previousStates[row * hidden + j]
                coefficients[out + j] = (1 - z) * (1 - n * n)
                coefficients[out + hidden + j] = hiddenCandidate * r * (1 - r)
                coefficients[out + 2 * hidden + j] = (before - n) * z * (1 - z)
                coefficients[out + 3 * hidden + j] = r
                coefficients[out + 4 * hidden + j] = z
            }
        }
        self.coefficients = coefficients
    }

    var dimension: Int { hiddenSize }

    /// dz (rows, 3·H).
    func scratchCount(rows: Int) -> Int { rows * 3 * hiddenSize }

    /// Applies J_tᵀ to the N·k rows of `vectors`, sample n's k rows from row n·k on.
    func apply(step t: Int, _ vectors: inout [Double], perSample k: Int, scratch: inout [Double]) {
        let hidden = hiddenSize
        let rows = batch * k
        vectors.withUnsafeMutableBufferPointer { v in
            scratch.withUnsafeMutableBufferPointer { dz in
                for n in 0..<batch {
                    let c = (t * batch + n) * Self.blocks * hidden
                    for i in 0..<k {
                        let r = n * k + i
                        let (row, dzRow) = (v.baseAddress! + r * hidden, dz.baseAddress! + r * 3 * hidden)
                        for j in 0..<hidden {
                            let da = row[j] * coefficients[c + j]
                            dzRow[j] = da * coefficients[c + hidden + j]
                            dzRow[hidden + j] = row[j] * coefficients[c + 2 * hidden + j]
                            dzRow[2 * hidden + j] = da * coefficients[c + 3 * hidden + j]
                            row[j] *= coefficients[c + 4 * hidden + j]
                        }
                    }
                }
                weightHH.withUnsafeBufferPointer { w in
                    Double.gemm(transposeA: false, transposeB: false, m: rows, n: hidden, k: 3 * hidden,
                                alpha: 1, a: dz.baseAddress!, lda: 3 * hidden, b: w.baseAddress!, ldb: hidden,
                                beta: 1, c: v.baseAddress!, ldc: hidden)
                }
            }
        }
    }

    /// The update gate z of step t and sample n, H values.
    func updateGate(step t: Int, sample n: Int) -> ArraySlice<Double> {
        let start = ((t * batch + n) * Self.blocks + Self.updateBlock) * hiddenSize
        return coefficients[start..<start + hiddenSize]
    }
}
