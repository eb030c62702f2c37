/// The cell of `nn.RNN`: h_t = φ(z_t), z_t = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh, with φ
/// tanh or relu. One gate.
struct ElmanCell<Scalar: RNNScalar>: RecurrentCell {
    let nonlinearity: Nonlinearity

    static var kind: RecurrentCellKind { .rnn }

    /// z_t is computed where h_t will live and activated in place: the states are all that
    /// backward needs (φ′ is taken from h_t), so the cell keeps nothing else.
    static var savedBlocks: Int { 0 }

    static var statisticsGate: Int? { nil }

    static var splitsLastGate: Bool { false }

    /// z_t += h_prev W_hhᵀ where z_t's projection already is (h_t's rows), then h_t = φ(z_t)
    /// in place.
    @inline(__always)
    func forward(step t: Int, _ block: BlockBuffers<Scalar>, weights: LayerWeights<Scalar>, shape: LayerShape) {
        let hiddenSize = shape.hiddenSize
        let state = block.states + t * shape.stepSize
        Scalar.gemm(transposeA: false, m: shape.batch, n: hiddenSize, k: hiddenSize,
                    alpha: 1, a: shape.previousState(t, states: block.states, initial: block.initial), lda: hiddenSize,
                    packed: block.packedWeight, beta: 1, c: state, ldc: hiddenSize)
        Scalar.activate(state, count: shape.stepSize, nonlinearity)
    }

    /// dz = φ′ ⊙ dh, φ′ from h_t (tanh: 1 − h², relu: 1 where h > 0).
    @inline(__always)
    func backward(row n: Int, step t: Int, dz: UnsafeMutablePointer<Scalar>, _ gradients: StepGradients<Scalar>,
                  _ block: BlockBuffers<Scalar>, shape: LayerShape) {
        let hiddenSize = shape.hiddenSize
        let row = n * hiddenSize
        Scalar.backward(dz: dz + row, dh: gradients.dh + row, h: block.states + t * shape.stepSize + row,
                        count: hiddenSize, nonlinearity)
    }

    /// dhNext = dz W_hh.
    @inline(__always)
    func backwardRecurrence(step t: Int, dz: UnsafePointer<Scalar>, _ gradients: StepGradients<Scalar>,
                            _ block: BlockBuffers<Scalar>, shape: LayerShape) {
        let hiddenSize = shape.hiddenSize
        Scalar.gemm(transposeA: false, m: shape.batch, n: hiddenSize, k: hiddenSize,
                    alpha: 1, a: dz, lda: hiddenSize, packed: block.packedWeight,
                    beta: 0, c: gradients.dhNext, ldc: hiddenSize)
    }
}
