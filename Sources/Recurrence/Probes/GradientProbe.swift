/// What the backward probes recorded for one layer and direction, indexed by time step t
/// (time order, also for the reverse direction). An array is empty when its probe was off or
/// the cell has no such quantity (a cell state, gates).
/// Norms are Frobenius norms over the batch unless the name says per sample. The backward pass
/// carries gradients with per-sample power-of-two scales (`RowScaling`), so every norm is
/// exact wherever Double can hold it (about 10^±308), far beyond the scalar's own range; the
/// logarithm is exact everywhere.
public struct GradientProbe: Equatable, Sendable {
    public let layer: Int
    public let direction: Int
    /// ‖∂L/∂h_t‖, shape (T).
    public internal(set) var gradientNorm: [Double] = []
    /// ‖∂L/∂h_t[n]‖ per sample, shape (T, N) flattened.
    public internal(set) var gradientNormPerSample: [Double] = []
    /// ‖∂L/∂z_t‖ of the pre-activations, shape (T): nn.RNN's z_t; a gated cell's gates' (G·H),
    /// the GRU's n at W_in x + b_in + r ⊙ (W_hn h + b_hn).
    public internal(set) var preactivationGradientNorm: [Double] = []
    /// ‖Σ_n dz_t[n] h_{t−1}[n]ᵀ‖, step t's term of ∂L/∂W_hh, shape (T); dz_t is the gradient of
    /// h_{t−1} W_hhᵀ + b_hh (z_t itself for nn.RNN).
    public internal(set) var recurrentWeightGradientNorm: [Double] = []
    /// ln‖∂L/∂h_t‖, shape (T): finite wherever the gradient is nonzero, also where even Double
    /// could not hold ‖∂L/∂h_t‖ itself; −∞ where it is exactly zero, NaN where the data are.
    public internal(set) var logGradientNorm: [Double] = []
    /// An LSTM's ‖∂L/∂c_t‖, shape (T): the total derivative of the cell state, through c_{t+1}
    /// and through h_t (with `.gradientNorms`).
    public internal(set) var cellGradientNorm: [Double] = []
    /// ln‖∂L/∂c_t‖, shape (T), exact as `logGradientNorm` is (with `.logGradientNorms`).
    public internal(set) var cellLogGradientNorm: [Double] = []
    /// The mean over the batch and the H units of the gate that keeps the past, the LSTM's
    /// forget gate f_t and the GRU's update gate z_t, shape (T) (with `.gateStatistics`; a
    /// forward quantity, read from the gates forward kept).
    public internal(set) var gateMean: [Double] = []
    /// The fraction of that gate's values above 0.99, shape (T).
    public internal(set) var gateSaturatedHigh: [Double] = []
    /// The fraction of that gate's values below 0.01, shape (T).
    public internal(set) var gateSaturatedLow: [Double] = []

    init(layer: Int, direction: Int) {
        self.layer = layer
        self.direction = direction
    }
}
