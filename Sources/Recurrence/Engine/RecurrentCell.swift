/// What happens inside one time step of a kind of recurrent cell; `RecurrentLayer` runs the
/// steps and owns everything around them, the same for every cell: the order of steps, the
/// workspace, the input projections of all steps as one GEMM, W_hh packed once per layer,
/// the carried gradient in `RowScaling`'s form, the chunked weight and input gradients, and
/// the probe recorder.
///
/// A cell with G gates (1 for the Elman RNN; 4 for an LSTM: i, f, g, o; 3 for a GRU: r, z, n)
/// stacks G blocks of H rows in W_ih (G·H, I), W_hh (G·H, H) and the biases (G·H), in
/// PyTorch's order. Shapes: T time, N batch, I input, H hidden.
///
/// Conforming types are small structs, and `RecurrentLayer` is generic over the concrete
/// cell, so the step functions are specialized and inlined into the time loop: no
/// dynamic dispatch, and nothing allocated per step.
protocol RecurrentCell {
    associatedtype Scalar: RNNScalar

    /// G.
    static var gateCount: Int { get }

    /// Where the layer writes all steps' input projections x_t W_ihᵀ + b_ih + b_hh,
    /// (T·N, G·H), before its time loop, given the (T·N, H) buffer h_t will take.
    func projections(states: UnsafeMutablePointer<Scalar>) -> UnsafeMutablePointer<Scalar>

    /// Step t's forward: writes h_t (N, H) into `state` from the step's row block of the
    /// input projections, `projection` (N, G·H), and the state it reads, `previous` (N, H):
    /// h_{t−1}, h_{t+1} in reverse, or h0. Keeps in `projection` and `state` what `backward`
    /// needs. packedWeight: W_hhᵀ (H, G·H) in `Scalar.pack`'s layout.
    func forward(_ state: UnsafeMutablePointer<Scalar>,
                 projection: UnsafeMutablePointer<Scalar>, previous: UnsafePointer<Scalar>,
                 packedWeight: UnsafePointer<Scalar>,
                 shape: LayerShape)

    /// One sample's share of step t's backward: its row of dz (G·H), the gradient of the
    /// step's input projection that the layer's chunk GEMMs read, from its row of
    /// dh = ∂L/∂h_t (H) and its row of what `forward` left for h_t, `state` (H). The row is
    /// scaled by a power of two (RowScaling); the step is linear in dh, so dz's row takes the
    /// same scale. Called for each row right after the layer has summed it, while it is in
    /// cache.
    func backward(dz: UnsafeMutablePointer<Scalar>, dh: UnsafePointer<Scalar>, state: UnsafePointer<Scalar>,
                  shape: LayerShape)

    /// The rest of step t's backward once all N rows of dz (N, G·H) are written: dhNext (N, H),
    /// the part of ∂L/∂(the state step t read) that flows through W_hh, in dz's row scales.
    /// packedWeight: W_hh (G·H, H) in `Scalar.pack`'s layout.
    func backwardRecurrence(dhNext: UnsafeMutablePointer<Scalar>,
                            dz: UnsafePointer<Scalar>,
                            packedWeight: UnsafePointer<Scalar>,
                            shape: LayerShape)

    /// Hands step t's gradients to the backward probes, after the step: dh (N, H) and
    /// dz (N, G·H) as `backward` saw and wrote them, and the state the step read (N, H).
    func record(into recorder: GradientProbeRecorder<Scalar>, time t: Int,
                dh: ScaledRows<Scalar>, dz: ScaledRows<Scalar>, previous: UnsafePointer<Scalar>)
}
