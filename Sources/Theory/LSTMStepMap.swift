import RealModule
import Recurrence

/// J_tᵀ of nn.LSTM on the backward state (∂L/∂h_t, ∂L/∂c_t), S + H wide: the transposed
/// Jacobian of (h_t, c_t) with respect to (h_{t−1}, c_{t−1}). ∂L/∂c_t here is the partial
/// derivative with h_t held fixed (the path through c_{t+1}, which the engine carries as
/// dcNext and which is ∂L/∂c_n at the last step); the probe's total ∂L/∂c_t adds
/// ∂L/∂h_t · ∂h_t/∂c_t, a linear image of the same state that decays at the same rate.
///
/// With τ = tanh(c_t) and (a, b) = (∂L/∂h_t, ∂L/∂c_t), the map is LSTMCell's backward step:
///
///     m = a W_hr (a itself without projection)   d = b + m ⊙ o ⊙ (1 − τ²)
///     dz = [d ⊙ g ⊙ i(1 − i), d ⊙ c_{t−1} ⊙ f(1 − f), d ⊙ i ⊙ (1 − g²), m ⊙ τ ⊙ o(1 − o)]
///     a′ = dz W_hh                                b′ = d ⊙ f
///
/// so a′ carries the feedback h_{t−1} → gates → c_t that the forget-gate product alone
/// leaves out.
struct LSTMStepMap: Sendable {
    let hiddenSize: Int
    let stateSize: Int
    let batch: Int
    /// Per step and sample, six H-blocks: o(1 − τ²), g·i(1 − i), c_{t−1}·f(1 − f), i(1 − g²),
    /// τ·o(1 − o), f; (T, N, 6·H).
    let coefficients: [Double]
    /// W_hh, (4·H, S) row-major.
    let weightHH: [Double]
    /// W_hr, (P, H) row-major; nil without projection.
    let weightHR: [Double]?

    static let blocks = 6
    /// The block of `coefficients` that holds f.
    static let forgetBlock = 5

    init<S: RNNScalar>(rnn: RNN<S>, trajectory: ForwardTrajectory) {
        let (hidden, batch, steps) = (trajectory.hiddenSize, trajectory.batch, trajectory.steps)
        hiddenSize = hidden
        stateSize = trajectory.stateSize
        self.batch = batch
        weightHH = rnn.parameters["weight_hh_l0"]!.scalars.map { Double($0) }
        weightHR = rnn.parameters["weight_hr_l0"]?.scalars.map { Double($0) }
        let width = 4 * hidden
        var coefficients = [Double](repeating: 0, count: steps * batch * Self.blocks * hidden)
        for row in 0..<steps * batch {
            let (gates, out) = (row * width, row * Self.blocks * hidden)
            for j in 0..<hidden {
                func preactivation(_ gate: Int) -> Double {
                    trajectory.inputProjections[gates + gate * hidden + j] + trajectory.hiddenProjections[gates + gate * hidden + j]
                }
                let (i, f) = (sigmoid(preactivation(0)), sigmoid(preactivation(1)))
                let (g, o) = (Double.tanh(preactivation(2)), sigmoid(preactivation(3)))
                let tau = Double.tanh(trajectory.cells[row * hidden + j])
                let before = trajectory.previousCells[row * hidden + j]
                coefficients[out + j] = o * (1 - tau * tau)
                coefficients[out + hidden + j] = g * i * (1 - i)
                coefficients[out + 2 * hidden + j] = before * f * (1 - f)
                coefficients[out + 3 * hidden + j] = i * (1 - g * g)
                coefficients[out + 4 * hidden + j] = tau * o * (1 - o)
                coefficients[out + 5 * hidden + j] = f
            }
        }
        self.coefficients = coefficients
    }

    var dimension: Int { stateSize + hiddenSize }

    /// m (rows, H), then dz (rows, 4·H).
    func scratchCount(rows: Int) -> Int { rows * 5 * hiddenSize }

    /// Applies J_tᵀ to the N·k rows (a | b) of `vectors`, sample n's k rows from row n·k on.
    func apply(step t: Int, _ vectors: inout [Double], perSample k: Int, scratch: inout [Double]) {
        let (hidden, state, width) = (hiddenSize, stateSize, dimension)
        let rows = batch * k
        let dzStart = rows * hidden
        vectors.withUnsafeMutableBufferPointer { v in
            scratch.withUnsafeMutableBufferPointer { buffer in
                let (m, dz) = (buffer.baseAddress!, buffer.baseAddress! + dzStart)
                if let weightHR {
                    weightHR.withUnsafeBufferPointer { w in
                        Double.gemm(transposeA: false, transposeB: false, m: rows, n: hidden, k: state,
                                    alpha: 1, a: v.baseAddress!, lda: width, b: w.baseAddress!, ldb: hidden,
                                    beta: 0, c: m, ldc: hidden)
                    }
                } else {
                    for r in 0..<rows { for j in 0..<hidden { m[r * hidden + j] = v[r * width + j] } }
                }
                for n in 0..<batch {
                    let c = (t * batch + n) * Self.blocks * hidden
                    for i in 0..<k {
                        let r = n * k + i
                        let (mRow, dzRow, b) = (m + r * hidden, dz + r * 4 * hidden, v.baseAddress! + r * width + state)
                        for j in 0..<hidden {
                            let d = b[j] + mRow[j] * coefficients[c + j]
                            dzRow[j] = d * coefficients[c + hidden + j]
                            dzRow[hidden + j] = d * coefficients[c + 2 * hidden + j]
                            dzRow[2 * hidden + j] = d * coefficients[c + 3 * hidden + j]
                            dzRow[3 * hidden + j] = mRow[j] * coefficients[c + 4 * hidden + j]
                            b[j] = d * coefficients[c + 5 * hidden + j]
                        }
                    }
                }
                weightHH.withUnsafeBufferPointer { w in
                    Double.gemm(transposeA: false, transposeB: false, m: rows, n: state, k: 4 * hidden,
                                alpha: 1, a: dz, lda: 4 * hidden, b: w.baseAddress!, ldb: state,
                                beta: 0, c: v.baseAddress!, ldc: width)
                }
            }
        }
    }

    /// The forget gate f of step t and sample n, H values.
    func forgetGate(step t: Int, sample n: Int) -> ArraySlice<Double> {
        let start = ((t * batch + n) * Self.blocks + Self.forgetBlock) * hiddenSize
        return coefficients[start..<start + hiddenSize]
    }
}
