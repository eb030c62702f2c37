/// The memory one layer in one direction (a block) runs its steps in: what forward keeps for
/// backward, the packed weights and a step's scratch. Views into the workspace, valid while it
/// is; built once per block and pass.
///
/// Shapes: T time, N batch, H hidden, P projection, S state (P when an LSTM projects, else
/// H), G gates, K the cell's `savedBlocks`.
struct BlockBuffers<Scalar: RNNScalar> {
    /// h_t for t = 0..<T in time order, (T·N, S).
    let states: UnsafeMutablePointer<Scalar>
    /// h0, (N, S).
    let initial: UnsafeMutablePointer<Scalar>
    /// The input projections, then what each step keeps for backward, (T·N, K·H); empty when
    /// K = 0.
    let gates: UnsafeMutablePointer<Scalar>
    /// c_t for t = 0..<T in time order, (T·N, H), of a cell with a cell state; else empty.
    let cells: UnsafeMutablePointer<Scalar>
    /// c0, (N, H), of a cell with a cell state; else empty.
    let initialCell: UnsafeMutablePointer<Scalar>
    /// An LSTM's o ⊙ tanh(c_t) before W_hr projects it to h_t, (T·N, H), when it projects;
    /// else empty.
    let unprojected: UnsafeMutablePointer<Scalar>
    /// W_hh packed for the per-step products: W_hhᵀ (S, G·H) forward, W_hh (G·H, S) backward.
    let packedWeight: UnsafeMutablePointer<Scalar>
    /// W_hr packed likewise when projecting: W_hrᵀ (H, P) forward, W_hr (P, H) backward.
    let packedProjection: UnsafeMutablePointer<Scalar>
    /// (N, G·H) for a step's intermediate rows (the GRU's hidden-side products, an LSTM's
    /// dh W_hr), and before the steps the bias row that forward adds to every projection.
    let scratch: UnsafeMutablePointer<Scalar>
}
