import Recurrence

/// Layer 0's forward direction along one forward pass, in Double and time-major: what the
/// backward maps need to rebuild each step's Jacobian.
///
/// The gates are recomputed here from the states the engine recorded (`.hiddenStates`), the
/// input and the weights, rather than read from the engine: that keeps `Recurrence` free of
/// a probe only the theory needs, and gives the gates in Double also for a Float model. Each
/// step's gates depend on h_{t−1} and x_t only, so they are the engine's own gates up to the
/// rounding of its scalar.
struct ForwardTrajectory {
    let steps: Int
    let batch: Int
    let inputSize: Int
    /// H.
    let hiddenSize: Int
    /// S, the width of h_t: P when the LSTM projects, else H.
    let stateSize: Int
    /// h_t, (T, N, S).
    let states: [Double]
    /// h_{t−1}, (T, N, S): h0 at t = 0, then `states` shifted by one step.
    let previousStates: [Double]
    /// An LSTM's c_t, (T, N, H); empty for the other cells.
    let cells: [Double]
    /// An LSTM's c_{t−1}, (T, N, H), c0 at t = 0; empty for the other cells.
    let previousCells: [Double]
    /// A gated cell's x_t W_ihᵀ + b_ih, (T, N, G·H); empty for nn.RNN, whose Jacobian needs
    /// only h_t.
    let inputProjections: [Double]
    /// A gated cell's h_{t−1} W_hhᵀ + b_hh, (T, N, G·H), kept apart from the input side
    /// because the GRU's reset gate multiplies only this side of n; empty for nn.RNN.
    let hiddenProjections: [Double]

    /// Runs `rnn.forward` (replacing the pass a pending `backward` would use; `rnn.probes` is
    /// restored afterwards) and keeps block 0 of its states.
    init<S: RNNScalar>(rnn: RNN<S>, input: Tensor<S>, initialState: Tensor<S>?, initialCell: Tensor<S>?) throws {
        let configuration = rnn.configuration
        let savedProbes = rnn.probes
        rnn.probes = [.hiddenStates]
        defer { rnn.probes = savedProbes }
        let output = try rnn.forward(input, initialState: initialState, initialCell: initialCell)
        let recorded = output.hiddenStates!
        steps = recorded.shape[1]
        batch = recorded.rank == 4 ? recorded.shape[2] : 1
        inputSize = configuration.inputSize
        hiddenSize = configuration.hiddenSize
        stateSize = configuration.stateSize
        let (rowState, rowCell) = (batch * stateSize, batch * hiddenSize)

        states = recorded.scalars[0..<steps * rowState].map { Double($0) }
        let h0 = initialState.map { $0.scalars[0..<rowState].map { Double($0) } } ?? Array(repeating: 0, count: rowState)
        previousStates = h0 + states.dropLast(rowState)
        if let recordedCells = output.cellStates {
            cells = recordedCells.scalars[0..<steps * rowCell].map { Double($0) }
            let c0 = initialCell.map { $0.scalars[0..<rowCell].map { Double($0) } } ?? Array(repeating: 0, count: rowCell)
            previousCells = c0 + cells.dropLast(rowCell)
        } else {
            (cells, previousCells) = ([], [])
        }

        guard configuration.cell != .rnn else {
            (inputProjections, hiddenProjections) = ([], [])
            return
        }
        // The input as (T, N, I), whatever its layout.
        var timeMajor = input.scalars.map { Double($0) }
        if configuration.batchFirst && input.rank == 3 {
            for n in 0..<batch {
                for t in 0..<steps {
                    for i in 0..<inputSize {
                        timeMajor[(t * batch + n) * inputSize + i] = Double(input.scalars[(n * steps + t) * inputSize + i])
                    }
                }
            }
        }

        let width = configuration.cell.gateCount * hiddenSize
        func parameter(_ name: String) -> [Double]? { rnn.parameters[name]?.scalars.map { Double($0) } }
        inputProjections = Self.affine(timeMajor, rows: steps * batch, columns: inputSize,
                                       weight: parameter("weight_ih_l0")!, bias: parameter("bias_ih_l0"), outputs: width)
        hiddenProjections = Self.affine(previousStates, rows: steps * batch, columns: stateSize,
                                        weight: parameter("weight_hh_l0")!, bias: parameter("bias_hh_l0"), outputs: width)
    }

    /// x Wᵀ + b for `rows` rows x of `columns`, W (outputs, columns) row-major.
    private static func affine(_ x: [Double], rows: Int, columns: Int, weight: [Double], bias: [Double]?,
                               outputs: Int) -> [Double] {
        var result = [Double](repeating: 0, count: rows * outputs)
        if let bias {
            for r in 0..<rows { for j in 0..<outputs { result[r * outputs + j] = bias[j] } }
        }
        Double.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: columns, alpha: 1, a: x, lda: columns,
                    b: weight, ldb: columns, beta: 1, c: &result, ldc: outputs)
        return result
    }
}
