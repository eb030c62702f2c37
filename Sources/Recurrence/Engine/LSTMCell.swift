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
    /// sample the gates are activated where they are, c′ goes to the cells and m′ to the
    /// states, or to the unprojected states, which W_hr then projects to the states.
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
            let gates = stepGates + n * width
            Kernels.sigmoid(gates, count: 2 * hiddenSize)
            Scalar.activate(gates + 2 * hiddenSize, count: hiddenSize, .tanh)
            Kernels.sigmoid(gates + 3 * hiddenSize, count: hiddenSize)
            let row = (t * batch + n) * hiddenSize
            let (cell, before, output) = (block.cells + row, previousCells + n * hiddenSize, unprojected + n * hiddenSize)
            for j in 0..<hiddenSize {
                cell[j] = gates[hiddenSize + j] * before[j] + gates[j] * gates[2 * hiddenSize + j]
            }
            output.update(from: cell, count: hiddenSize)
            Scalar.activate(output, count: hiddenSize, .tanh)
            for j in 0..<hiddenSize { output[j] *= gates[3 * hiddenSize + j] }
        }
        if projects {
            Scalar.gemm(transposeA: false, m: batch, n: stateSize, k: hiddenSize,
                        alpha: 1, a: unprojected, lda: hiddenSize, packed: block.packedProjection,
                        beta: 0, c: block.states + t * shape.stepSize, ldc: stateSize)
        }
    }

    /// With dm = ∂L/∂m′ (dh itself, or dh W_hr when projecting, in the scratch) and tanh(c′)
    /// recomputed (in dc's row, which it then becomes):
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
        let dm: UnsafePointer<Scalar>
        if shape.projectionSize > 0 {
            let projected = block.scratch + n * hiddenSize
            Scalar.gemm(transposeA: false, m: 1, n: hiddenSize, k: shape.projectionSize,
                        alpha: 1, a: gradients.dh + n * shape.projectionSize, lda: shape.projectionSize,
                        packed: block.packedProjection, beta: 0, c: projected, ldc: hiddenSize)
            dm = UnsafePointer(projected)
        } else {
            dm = UnsafePointer(gradients.dh + n * hiddenSize)
        }
        let dzRow = dz + n * width
        dc.update(from: block.cells + row, count: hiddenSize)
        Scalar.activate(dc, count: hiddenSize, .tanh)
        for j in 0..<hiddenSize {
            let (input, forget) = (gates[j], gates[hiddenSize + j])
            let (candidate, output) = (gates[2 * hiddenSize + j], gates[3 * hiddenSize + j])
            let squashed = dc[j]
            let total = dcNext[j] + dm[j] * output * (1 - squashed * squashed)
            dc[j] = total
            dzRow[j] = total * candidate * input * (1 - input)
            dzRow[hiddenSize + j] = total * before[j] * forget * (1 - forget)
            dzRow[2 * hiddenSize + j] = total * input * (1 - candidate * candidate)
            dzRow[3 * hiddenSize + j] = dm[j] * squashed * output * (1 - output)
            dcNext[j] = total * forget
        }
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
