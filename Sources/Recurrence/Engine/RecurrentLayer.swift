/// One layer in one direction of a recurrent network: the time loop around a cell's steps,
/// written once for every `RecurrentCell`. Generic over the concrete cell, so that the steps
/// are specialized into the loop.
///
/// Shapes: T time, N batch, I input, H hidden, G the cell's gates. Activations are
/// time-major, h_t's rows at t·N in a (T·N, H) matrix, whichever way the direction runs.
struct RecurrentLayer<Cell: RecurrentCell> {
    typealias Scalar = Cell.Scalar

    let cell: Cell
    let shape: LayerShape

    /// Columns of the input projections and of dz: G·H.
    var gateWidth: Int { Cell.gateCount * shape.hiddenSize }

    /// Forward over all T steps.
    /// states (T·N, H) receives h_t in time order; step t reads the state before it in its
    /// direction, or `initial` (N, H) at the start. input (T·N, I); weights W_ih (G·H, I),
    /// W_hh (G·H, H), biases (G·H). The workspace's packedWeight receives W_hhᵀ packed for the
    /// steps.
    func forward(
        _ states: UnsafeMutablePointer<Scalar>,
        initial: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>,
        weights: LayerWeights<Scalar>,
        workspace ws: Workspace<Scalar>
    ) {
        let (inputSize, hiddenSize, width) = (shape.inputSize, shape.hiddenSize, gateWidth)
        let rows = shape.steps * shape.batch
        // All steps' input projections at once: Z = X W_ihᵀ + b_ih + b_hh, where the cell wants them.
        let projections = cell.projections(states: states)
        Scalar.gemm(transposeA: false, transposeB: true, m: rows, n: width, k: inputSize,
                    alpha: 1, a: input, lda: inputSize, b: weights.weightIH, ldb: inputSize,
                    beta: 0, c: projections, ldc: width)
        if let biasIH = weights.biasIH, let biasHH = weights.biasHH {
            for r in 0..<rows {
                let row = projections + r * width
                for j in 0..<width { row[j] += biasIH[j] + biasHH[j] }
            }
        }
        let packedWeight = ws.packedWeight.base
        Scalar.pack(transposeB: true, k: hiddenSize, n: width, b: weights.weightHH, ldb: hiddenSize,
                    into: packedWeight)
        for step in 0..<shape.steps {
            let t = shape.reverse ? shape.steps - 1 - step : step
            cell.forward(states + t * shape.stepSize,
                         projection: projections + t * shape.batch * width,
                         previous: shape.previousState(t, states: states, initial: initial),
                         packedWeight: packedWeight, shape: shape)
        }
    }
}
