/// One layer in one direction of a recurrent network: the time loop around a cell's steps,
/// written once for every `RecurrentCell`. Generic over the concrete cell, so that the steps
/// are specialized into the loop.
///
/// Shapes: T time, N batch, I input, H hidden, P projection, S state (P when an LSTM
/// projects, else H), G the cell's gates, K its `savedBlocks`. Activations are time-major,
/// h_t's rows at t·N in a (T·N, S) matrix, whichever way the direction runs.
struct RecurrentLayer<Cell: RecurrentCell> {
    typealias Scalar = Cell.Scalar

    let cell: Cell
    let shape: LayerShape

    /// Columns of the input projections and of each side of dz: G·H.
    var gateWidth: Int { Cell.gateCount * shape.hiddenSize }

    /// Columns of a dz row: the G·H of the hidden side, and the last gate's input side after
    /// them when the cell splits it.
    var gradientWidth: Int { Cell.splitsLastGate ? gateWidth + shape.hiddenSize : gateWidth }

    /// The leading columns of dz, and rows of W_ih, whose input and hidden sides agree: all
    /// G·H, or all but the last gate's when the cell splits it.
    var sharedWidth: Int { Cell.splitsLastGate ? gateWidth - shape.hiddenSize : gateWidth }

    /// Forward over all T steps.
    /// The block's states (T·N, S) receive h_t in time order; step t reads the state before it
    /// in its direction, or the block's h0 at the start. input (T·N, I); weights W_ih
    /// (G·H, I), W_hh (G·H, S), biases (G·H), W_hr (P, H). The block's packedWeight receives
    /// W_hhᵀ packed for the steps, and its packedProjection W_hrᵀ.
    func forward(_ block: BlockBuffers<Scalar>, input: UnsafePointer<Scalar>, weights: LayerWeights<Scalar>) {
        let (inputSize, hiddenSize, width) = (shape.inputSize, shape.hiddenSize, gateWidth)
        let rows = shape.steps * shape.batch
        // All steps' input projections at once, Z = X W_ihᵀ + b_ih + b_hh, where the cell wants
        // them: rows of K·H in its gates, or the states themselves.
        let (projections, stride) = Cell.savedBlocks == 0 ? (block.states, width)
            : (block.gates, Cell.savedBlocks * hiddenSize)
        if let biasIH = weights.biasIH, let biasHH = weights.biasHH {
            // The bias row b_ih + b_hh (b_ih alone past a split gate's shared columns) once, in
            // the scratch, which the steps overwrite later; the product adds it to each row as
            // it writes the row, the same sums as adding it afterwards.
            let (folded, bias) = (sharedWidth, block.scratch)
            _ = Scalar.add(bias, biasIH, biasHH, count: folded)
            (bias + folded).update(from: biasIH + folded, count: width - folded)
            Scalar.gemm(transposeA: false, transposeB: true, m: rows, n: width, k: inputSize,
                        a: input, lda: inputSize, b: weights.weightIH, ldb: inputSize,
                        addingRow: bias, c: projections, ldc: stride)
        } else {
            Scalar.gemm(transposeA: false, transposeB: true, m: rows, n: width, k: inputSize,
                        alpha: 1, a: input, lda: inputSize, b: weights.weightIH, ldb: inputSize,
                        beta: 0, c: projections, ldc: stride)
        }
        Scalar.pack(transposeB: true, k: shape.stateSize, n: width, b: weights.weightHH, ldb: shape.stateSize,
                    into: block.packedWeight)
        if let weightHR = weights.weightHR {
            Scalar.pack(transposeB: true, k: hiddenSize, n: shape.projectionSize, b: weightHR, ldb: hiddenSize,
                        into: block.packedProjection)
        }
        for step in 0..<shape.steps {
            let t = shape.reverse ? shape.steps - 1 - step : step
            cell.forward(step: t, block, weights: weights, shape: shape)
        }
    }
}
