/// The gradients a backward step reads and writes, in `RowScaling`'s form with one exponent
/// per sample that every row of it shares (the workspace's dhExponents). Views into the
/// workspace. Shapes: N batch, H hidden.
struct StepGradients<Scalar: RNNScalar> {
    /// ∂L/∂h_t, (N, H): the loss's or the layer above's share plus the carried one.
    let dh: UnsafeMutablePointer<Scalar>
    /// The carried gradient, (N, H): ∂L/∂h_t from the later steps on entry to step t, its
    /// successor's share on exit.
    let dhNext: UnsafeMutablePointer<Scalar>
}
