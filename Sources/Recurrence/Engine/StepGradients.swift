/// The gradients a backward step reads and writes, in `RowScaling`'s form with one exponent
/// per sample that every row of it shares (the workspace's dhExponents). Views into the
/// workspace. Shapes: N batch, H hidden, S state (P when an LSTM projects, else H).
struct StepGradients<Scalar: RNNScalar> {
    /// ∂L/∂h_t, (N, S): the loss's or the layer above's share plus the carried one.
    let dh: UnsafeMutablePointer<Scalar>
    /// The carried gradient, (N, S): ∂L/∂h_t from the later steps on entry to step t, its
    /// successor's share on exit.
    let dhNext: UnsafeMutablePointer<Scalar>
    /// ∂L/∂c_t, (N, H), the total derivative (through c_{t+1} and through h_t), of a cell with a
    /// cell state; else empty.
    let dc: UnsafeMutablePointer<Scalar>
    /// The carried gradient of the cell state, (N, H): ∂L/∂c_t through the later steps on
    /// entry to step t, ∂L/∂(the cell state step t read) on exit; empty without one.
    let dcNext: UnsafeMutablePointer<Scalar>
}
