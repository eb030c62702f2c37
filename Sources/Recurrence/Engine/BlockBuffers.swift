/// The memory one layer in one direction (a block) runs its steps in: what forward keeps for
/// backward, the packed weights and a step's scratch. Views into the workspace, valid while it
/// is; built once per block and pass.
///
/// Shapes: T time, N batch, H hidden, G gates, K the cell's `savedBlocks`.
struct BlockBuffers<Scalar: RNNScalar> {
    /// h_t for t = 0..<T in time order, (T·N, H).
    let states: UnsafeMutablePointer<Scalar>
    /// h0, (N, H).
    let initial: UnsafeMutablePointer<Scalar>
    /// The input projections, then what each step keeps for backward, (T·N, K·H); empty when
    /// K = 0.
    let gates: UnsafeMutablePointer<Scalar>
    /// c_t for t = 0..<T in time order, (T·N, H), of a cell with a cell state; else empty.
    let cells: UnsafeMutablePointer<Scalar>
    /// c0, (N, H), of a cell with a cell state; else empty.
    let initialCell: UnsafeMutablePointer<Scalar>
    /// W_hh packed for the per-step products: W_hhᵀ (H, G·H) forward, W_hh (G·H, H) backward.
    let packedWeight: UnsafeMutablePointer<Scalar>
    /// (N, G·H) for a step's intermediate rows (the GRU's hidden-side products).
    let scratch: UnsafeMutablePointer<Scalar>
}
