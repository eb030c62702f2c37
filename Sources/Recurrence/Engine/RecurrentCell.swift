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

    /// Step t's backward: from dh = ∂L/∂h_t (N, H) writes dz (N, G·H), the gradient of the
    /// step's input projection that the layer's chunk GEMMs read, and dhNext, the part of
    /// ∂L/∂(the state step t read) (N, H) that flows through W_hh. dh's row n is scaled by
    /// 2^exponent(n), and so are dz's and dhNext's rows: the step is linear in dh. `state` is
    /// what `forward` left for h_t (N, H). packedWeight: W_hh (G·H, H) in `Scalar.pack`'s layout.
    func backward(dz: UnsafeMutablePointer<Scalar>, dhNext: UnsafeMutablePointer<Scalar>,
                  dh: ScaledRows<Scalar>, state: UnsafePointer<Scalar>,
                  packedWeight: UnsafePointer<Scalar>,
                  shape: LayerShape)

    /// Hands step t's gradients to the backward probes, after `backward`: dh (N, H) and
    /// dz (N, G·H) as `backward` saw and wrote them, and the state the step read (N, H).
    func record(into recorder: GradientProbeRecorder<Scalar>, time t: Int,
                dh: ScaledRows<Scalar>, dz: ScaledRows<Scalar>, previous: UnsafePointer<Scalar>)
}
