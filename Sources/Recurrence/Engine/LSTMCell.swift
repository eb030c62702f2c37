/// The cell of `nn.LSTM`, with PyTorch's equations:
///
///     i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
///     g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
///     c′ = f ⊙ c + i ⊙ g
///     h′ = o ⊙ tanh(c′), or with proj_size P > 0, h′ = W_hr (o ⊙ tanh(c′))
///
/// Four gates, i, f, g, o, and a cell state. Each step keeps the activated gates (4·H per
/// sample) where its projections were, c′ in the block's cells, and when projecting
/// m′ = o ⊙ tanh(c′) in its unprojected states. h is S wide: P when projecting, else H.
struct LSTMCell<Scalar: RNNScalar>: RecurrentCell {
    static var kind: RecurrentCellKind { .lstm }

    static var savedBlocks: Int { 4 }

    /// f.
    static var statisticsGate: Int? { 1 }

    static var splitsLastGate: Bool { false }

    /// The gates' pre-activations are the projections plus h W_hhᵀ, added in place; then per
    /// sample, in one pass over its row (`RNNScalar.lstmForward`), the gates are activated
    /// where they are, c′ goes to the cells and m′ to the states, or to the unprojected states,
    /// which W_hr then projects to the states.
    @inline(__always)
    func forward(step t: Int, _ block: BlockBuffers<Scalar>, weights: LayerWeights<Scalar>, shape: LayerShape) {
        let (batch, hiddenSize, stateSize) = (shape.batch, shape.hiddenSize, shape.stateSize)
        let width = 4 * hiddenSize
        let stepGates = block.gates + t * batch * width
        Scalar.gemm(transposeA: false, m: batch, n: width, k: stateSize,
                    alpha: 1, a: shape.previousState(t, states: block.states, initial: block.initial), lda: stateSize,
                    packed: block.packedWeight, beta: 1, c: stepGates, ldc: width)
        let previousCells = shape.previousCell(t, cells: block.cells, initial: block.initialCell)
        let projects = shape.projectionSize > 0
        let unprojected = (projects ? block.unprojected : block.states) + t * batch * hiddenSize
        for n in 0..<batch {
            Scalar.lstmForward(gates: stepGates + n * width, before: previousCells + n * hiddenSize,
                               cell: block.cells + (t * batch + n) * hiddenSize, output: unprojected + n * hiddenSize,
                               count: hiddenSize)
        }
        if projects {
            Scalar.gemm(transposeA: false, m: batch, n: stateSize, k: hiddenSize,
                        alpha: 1, a: unprojected, lda: hiddenSize, packed: block.packedProjection,
                        beta: 0, c: block.states + t * shape.stepSize, ldc: stateSize)
        }
    }

    /// With dm = ∂L/∂m′ (dh itself, or dh W_hr when projecting, in the scratch from
    /// `backwardProjection`) and tanh(c′) recomputed, in one pass over the row
    /// (`RNNScalar.lstmBackward`):
    /// dc = dcNext + dm ⊙ o ⊙ (1 − tanh²(c′)), the total ∂L/∂c′; the gates' pre-activation
    /// gradients dz = [dc ⊙ g ⊙ i(1 − i), dc ⊙ c ⊙ f(1 − f), dc ⊙ i ⊙ (1 − g²),
    /// dm ⊙ tanh(c′) ⊙ o(1 − o)]; and dcNext = dc ⊙ f, ∂L/∂c through the cell's own path.
    @inline(__always)
    func backward(row n: Int, step t: Int, dz: UnsafeMutablePointer<Scalar>, _ gradients: StepGradients<Scalar>,
                  _ block: BlockBuffers<Scalar>, shape: LayerShape) {
        let hiddenSize = shape.hiddenSize
        let width = 4 * hiddenSize
        let row = (t * shape.batch + n) * hiddenSize
        let gates = block.gates + (t * shape.batch + n) * width
        let before = shape.previousCell(t, cells: block.cells, initial: block.initialCell) + n * hiddenSize
        let (dc, dcNext) = (gradients.dc + n * hiddenSize, gradients.dcNext + n * hiddenSize)
        let dm = UnsafePointer(shape.projectionSize > 0 ? block.scratch + n * hiddenSize : gradients.dh + n * hiddenSize)
        Scalar.lstmBackward(gates: gates, before: before, cell: block.cells + row, dm: dm, dc: dc, dcNext: dcNext,
                            dz: dz + n * width, count: hiddenSize)
    }

    /// dm = dh W_hr (N, H) into the scratch.
    @inline(__always)
    func backwardProjection(step t: Int, _ gradients: StepGradients<Scalar>, _ block: BlockBuffers<Scalar>,
                            shape: LayerShape) {
        Scalar.gemm(transposeA: false, m: shape.batch, n: shape.hiddenSize, k: shape.projectionSize,
                    alpha: 1, a: gradients.dh, lda: shape.projectionSize,
                    packed: block.packedProjection, beta: 0, c: block.scratch, ldc: shape.hiddenSize)
    }

    /// dhNext = dz W_hh.
    @inline(__always)
    func backwardRecurrence(step t: Int, dz: UnsafePointer<Scalar>, _ gradients: StepGradients<Scalar>,
                            _ block: BlockBuffers<Scalar>, shape: LayerShape) {
        let (hiddenSize, stateSize) = (shape.hiddenSize, shape.stateSize)
        Scalar.gemm(transposeA: false, m: shape.batch, n: stateSize, k: 4 * hiddenSize,
                    alpha: 1, a: dz, lda: 4 * hiddenSize, packed: block.packedWeight,
                    beta: 0, c: gradients.dhNext, ldc: stateSize)
    }
}
