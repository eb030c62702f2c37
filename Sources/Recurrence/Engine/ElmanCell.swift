/// The cell of `nn.RNN`: h_t = φ(z_t), z_t = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh, with φ
/// tanh or relu. One gate.
struct ElmanCell<Scalar: RNNScalar>: RecurrentCell {
    let nonlinearity: Nonlinearity

    static var gateCount: Int { 1 }

    /// z_t is computed where h_t will live and activated in place: the states are all that
    /// backward needs (φ′ is taken from h_t), so the cell keeps nothing else.
    func projections(states: UnsafeMutablePointer<Scalar>) -> UnsafeMutablePointer<Scalar> { states }

    /// `state` and `projection` are one block (see `projections(states:)`): z_t += h_prev W_hhᵀ,
    /// then h_t = φ(z_t) in place.
    @inline(__always)
    func forward(_ state: UnsafeMutablePointer<Scalar>,
                 projection: UnsafeMutablePointer<Scalar>, previous: UnsafePointer<Scalar>,
                 packedWeight: UnsafePointer<Scalar>,
                 shape: LayerShape) {
        let hiddenSize = shape.hiddenSize
        Scalar.gemm(transposeA: false, m: shape.batch, n: hiddenSize, k: hiddenSize,
                    alpha: 1, a: previous, lda: hiddenSize, packed: packedWeight,
                    beta: 1, c: projection, ldc: hiddenSize)
        Scalar.activate(state, count: shape.stepSize, nonlinearity)
    }

    /// dz = φ′ ⊙ dh, φ′ from h_t (tanh: 1 − h², relu: 1 where h > 0).
    @inline(__always)
    func backward(dz: UnsafeMutablePointer<Scalar>, dh: UnsafePointer<Scalar>, state: UnsafePointer<Scalar>,
                  shape: LayerShape) {
        Scalar.backward(dz: dz, dh: dh, h: state, count: shape.hiddenSize, nonlinearity)
    }

    /// dhNext = dz W_hh.
    @inline(__always)
    func backwardRecurrence(dhNext: UnsafeMutablePointer<Scalar>,
                            dz: UnsafePointer<Scalar>,
                            packedWeight: UnsafePointer<Scalar>,
                            shape: LayerShape) {
        let hiddenSize = shape.hiddenSize
        Scalar.gemm(transposeA: false, m: shape.batch, n: hiddenSize, k: hiddenSize,
                    alpha: 1, a: dz, lda: hiddenSize, packed: packedWeight,
                    beta: 0, c: dhNext, ldc: hiddenSize)
    }

    /// z_t is the pre-activation, so the probes' ∂L/∂z_t and dW_hh terms are dz's.
    @inline(__always)
    func record(into recorder: GradientProbeRecorder<Scalar>, time t: Int,
                dh: ScaledRows<Scalar>, dz: ScaledRows<Scalar>, previous: UnsafePointer<Scalar>) {
        recorder.record(time: t, dh: dh, dz: dz, previous: previous)
    }
}
