/// The result of `RNN.forward`, shaped as PyTorch's `output, h_n = rnn(input, h0)` or, for an
/// LSTM, `output, (h_n, c_n) = lstm(input, (h0, c0))`.
public struct RNNOutput<Scalar: RNNScalar>: Sendable {
    /// (T, N, D·H); (N, T, D·H) batch-first; (T, D·H) unbatched.
    public let output: Tensor<Scalar>
    /// (D·L, N, H), row layer·D + direction; (D·L, H) unbatched. Never batch-first.
    public let finalState: Tensor<Scalar>
    /// c_n of an LSTM, shaped as h_n; nil for the other cells.
    public let finalCell: Tensor<Scalar>?
    /// With the `.hiddenStates` probe: (D·L, T, N, H), or (D·L, T, H) unbatched; else nil.
    public let hiddenStates: Tensor<Scalar>?
    /// With the `.hiddenStates` probe, an LSTM's c_t of every block, shaped as `hiddenStates`;
    /// else nil.
    public let cellStates: Tensor<Scalar>?
}

/// The result of `RNN.backward`: gradients of the loss for everything the forward pass read.
public struct RNNGradients<Scalar: RNNScalar>: Sendable {
    /// ∂L/∂θ in the parameters' layout and names.
    public let parameters: ParameterSet<Scalar>
    /// ∂L/∂input, shaped as the input; nil when `backward` was told not to compute it
    /// (`inputGradient: false`).
    public let input: Tensor<Scalar>?
    /// ∂L/∂h0, shaped as h0 (also when h0 was left to its default of zeros).
    public let initialState: Tensor<Scalar>
    /// ∂L/∂c0 of an LSTM, shaped as c0 (also when c0 was left to its default of zeros); nil
    /// for the other cells.
    public let initialCell: Tensor<Scalar>?
    /// One per layer and direction, in h_n's row order; empty without backward probes.
    public let probes: [GradientProbe]
}
