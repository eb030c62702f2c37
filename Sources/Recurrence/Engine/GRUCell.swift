/// The cell of `nn.GRU`, with PyTorch's equations (b_hn inside the reset gate's product):
///
///     r = σ(W_ir x + b_ir + W_hr h + b_hr)
///     z = σ(W_iz x + b_iz + W_hz h + b_hz)
///     n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
///     h′ = (1 − z) ⊙ n + z ⊙ h
///
/// Three gates, r, z, n. Each step keeps r, z, n and W_hn h + b_hn (4·H per sample); the
/// input projections of n carry b_in only, since b_hn is multiplied by r.
struct GRUCell<Scalar: RNNScalar>: RecurrentCell {
    static var kind: RecurrentCellKind { .gru }

    static var savedBlocks: Int { 4 }

    /// z.
    static var statisticsGate: Int? { 1 }

    static var splitsLastGate: Bool { true }

    /// The hidden-side products h W_hhᵀ (N, 3·H) go to the scratch; then per sample, in one
    /// pass over its row of `gates` (the projections p_r, p_z, p_n on entry;
    /// `RNNScalar.gruForward`): r and z, W_hn h + b_hn in the fourth block, n, and h′ into the
    /// states.
    @inline(__always)
    func forward(step t: Int, _ block: BlockBuffers<Scalar>, weights: LayerWeights<Scalar>, shape: LayerShape) {
        let hiddenSize = shape.hiddenSize
        let (gateWidth, savedWidth) = (3 * hiddenSize, 4 * hiddenSize)
        let previous = shape.previousState(t, states: block.states, initial: block.initial)
        let products = block.scratch
        Scalar.gemm(transposeA: false, m: shape.batch, n: gateWidth, k: hiddenSize,
                    alpha: 1, a: previous, lda: hiddenSize, packed: block.packedWeight,
                    beta: 0, c: products, ldc: gateWidth)
        let candidateBias = weights.biasHH.map { $0 + 2 * hiddenSize }
        for n in 0..<shape.batch {
            Scalar.gruForward(gates: block.gates + (t * shape.batch + n) * savedWidth, products: products + n * gateWidth,
                              bias: candidateBias, before: previous + n * hiddenSize,
                              state: block.states + t * shape.stepSize + n * hiddenSize, count: hiddenSize)
        }
    }

    /// With a = the pre-activation of n: ∂L/∂a = dh ⊙ (1 − z) ⊙ (1 − n²); then
    /// dz = [∂L/∂a ⊙ (W_hn h + b_hn) ⊙ r(1 − r), dh ⊙ (h − n) ⊙ z(1 − z), ∂L/∂a ⊙ r, ∂L/∂a]:
    /// the hidden side's r, z, n blocks and the input side's n block. The direct path
    /// h′ = … + z ⊙ h gives dhNext = dh ⊙ z, to which the recurrence adds. One pass over the
    /// row (`RNNScalar.gruBackward`).
    @inline(__always)
    func backward(row n: Int, step t: Int, dz: UnsafeMutablePointer<Scalar>, _ gradients: StepGradients<Scalar>,
                  _ block: BlockBuffers<Scalar>, shape: LayerShape) {
        let hiddenSize = shape.hiddenSize
        let width = 4 * hiddenSize
        let gates = block.gates + (t * shape.batch + n) * width
        let before = shape.previousState(t, states: block.states, initial: block.initial) + n * hiddenSize
        Scalar.gruBackward(gates: gates, before: before, dh: gradients.dh + n * hiddenSize,
                           dhNext: gradients.dhNext + n * hiddenSize, dz: dz + n * width, count: hiddenSize)
    }

    /// dhNext += dz_h W_hh, dz_h the hidden side's 3·H columns of dz's 4·H.
    @inline(__always)
    func backwardRecurrence(step t: Int, dz: UnsafePointer<Scalar>, _ gradients: StepGradients<Scalar>,
                            _ block: BlockBuffers<Scalar>, shape: LayerShape) {
        let hiddenSize = shape.hiddenSize
        Scalar.gemm(transposeA: false, m: shape.batch, n: hiddenSize, k: 3 * hiddenSize,
                    alpha: 1, a: dz, lda: 4 * hiddenSize, packed: block.packedWeight,
                    beta: 1, c: gradients.dhNext, ldc: hiddenSize)
    }
}
