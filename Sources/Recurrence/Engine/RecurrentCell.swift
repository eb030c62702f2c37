/// What happens inside one time step of a kind of recurrent cell; `RecurrentLayer` runs the
/// steps and owns everything around them, the same for every cell: the order of steps, the
/// workspace, the input projections of all steps as one GEMM, W_hh packed once per layer,
/// the carried gradient in `RowScaling`'s form, the chunked weight and input gradients, and
/// the probe recorder.
///
/// A cell with G gates (1 for the Elman RNN; 4 for an LSTM: i, f, g, o; 3 for a GRU: r, z, n)
/// stacks G blocks of H rows in W_ih (G·H, I), W_hh (G·H, S) and the biases (G·H), in
/// PyTorch's order. h_t is S wide: H, or P for an LSTM that projects it with W_hr (P, H). A
/// cell may carry a cell state c_t (N, H) beside h_t (the LSTM); its gradient then travels
/// with dh's, in the same row scales. Shapes: T time, N batch, I input, H hidden, P
/// projection, S state, G gates.
///
/// The gradient of a step's gates, dz, has two sides: the hidden side, ∂L/∂(h W_hhᵀ + b_hh)
/// (G·H), which dW_hh, db_hh and the recurrence read, and the input side,
/// ∂L/∂(x W_ihᵀ + b_ih) (G·H), which dW_ih, db_ih and dX read. They are one and the same
/// unless a gate multiplies only the hidden side (the GRU's n = tanh(W_in x + b_in +
/// r ⊙ (W_hn h + b_hn))); then `splitsLastGate`, and a dz row holds the G hidden-side blocks
/// followed by the last gate's input-side block.
///
/// Conforming types are small structs, and `RecurrentLayer` is generic over the concrete
/// cell, so the step functions are specialized and inlined into the time loop: no
/// dynamic dispatch, and nothing allocated per step.
protocol RecurrentCell {
    associatedtype Scalar: RNNScalar

    /// The module this cell makes; its `gateCount` is G.
    static var kind: RecurrentCellKind { get }

    /// K, the width in blocks of H of the row each step keeps per sample in the block's
    /// `gates` for backward, where the layer writes the input projections first; 0 for a cell
    /// whose projections are computed in its states' buffer and that keeps nothing else
    /// (Elman: backward needs only h_t).
    static var savedBlocks: Int { get }

    /// The block of the kept gates whose activations the gate statistics describe, the one
    /// that keeps the past (the LSTM's forget gate f, the GRU's update gate z); nil for a cell
    /// that keeps no gates.
    static var statisticsGate: Int? { get }

    /// Whether the last gate's input side differs from its hidden side (see above): its block
    /// of b_hh is then not folded into the input projections, and dz is (G + 1)·H wide.
    static var splitsLastGate: Bool { get }

    /// Step t's forward: h_t (N, S) into the block's states (and c_t into its cells) from the
    /// step's rows of the input projections (N, G·H, in `gates` with a row stride of K·H, or in
    /// the states when K = 0) and the state the step reads (`LayerShape.previousState`, and
    /// `previousCell`). Keeps in the block's buffers what `backward` needs. The block's
    /// packedWeight holds W_hhᵀ (S, G·H), its packedProjection W_hrᵀ (H, P) when projecting.
    func forward(step t: Int, _ block: BlockBuffers<Scalar>, weights: LayerWeights<Scalar>, shape: LayerShape)

    /// Sample n's share of step t's backward: its row of the step's dz (N, dz width), which
    /// the layer's chunk GEMMs read, from its row of dh = ∂L/∂h_t (and of dcNext) and what
    /// `forward` kept. May write its row of dhNext (consumed by then), the part of ∂L/∂(the
    /// state step t read) that does not flow through W_hh; a cell with a cell state writes its
    /// rows of dc = ∂L/∂c_t and of dcNext, ∂L/∂c_{t−1} (c_{t+1} in reverse, or c0). The row is
    /// scaled by a power of two (RowScaling); the step is linear in dh and dcNext, so what it
    /// writes takes the same scale. Called for each row right after the layer has summed it,
    /// while it is in cache; when the state is projected (P > 0), after every row is summed
    /// and `backwardProjection` has run.
    func backward(row n: Int, step t: Int, dz: UnsafeMutablePointer<Scalar>, _ gradients: StepGradients<Scalar>,
                  _ block: BlockBuffers<Scalar>, shape: LayerShape)

    /// Step t's ∂L/∂(the unprojected state) of a cell whose h_t is a projection (P > 0), for
    /// all N rows of dh at once, one product per step, into the block's scratch (N, H), in
    /// dh's row scales; the rows' `backward` read it there. Never called without projection.
    func backwardProjection(step t: Int, _ gradients: StepGradients<Scalar>, _ block: BlockBuffers<Scalar>,
                            shape: LayerShape)

    /// The rest of step t's backward once all N rows of dz are written: the part of dhNext
    /// (N, S) that flows through W_hh, from the hidden side of dz, in dz's row scales. The
    /// block's packedWeight holds W_hh (G·H, S), its packedProjection W_hr (P, H) when
    /// projecting.
    func backwardRecurrence(step t: Int, dz: UnsafePointer<Scalar>, _ gradients: StepGradients<Scalar>,
                            _ block: BlockBuffers<Scalar>, shape: LayerShape)
}

extension RecurrentCell {
    /// G.
    static var gateCount: Int { kind.gateCount }

    /// Whether the cell carries a cell state c_t beside h_t (the LSTM): the block's `cells`
    /// and the step's dc and dcNext are its, and the layer rescales dcNext's rows with dh's.
    static var hasCellState: Bool { kind.hasCellState }

    /// Cells that never project have nothing to do.
    func backwardProjection(step t: Int, _ gradients: StepGradients<Scalar>, _ block: BlockBuffers<Scalar>,
                            shape: LayerShape) {}
}
