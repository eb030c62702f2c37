/// What the backward probes recorded for one layer and direction, indexed by time step t
/// (time order, also for the reverse direction). An array is empty when its probe was off.
/// Norms are Frobenius norms over the batch unless the name says per sample.
public struct GradientProbe: Equatable, Sendable {
    public let layer: Int
    public let direction: Int
    /// ‖∂L/∂h_t‖, shape (T).
    public internal(set) var gradientNorm: [Double] = []
    /// ‖∂L/∂h_t[n]‖ per sample, shape (T, N) flattened.
    public internal(set) var gradientNormPerSample: [Double] = []
    /// ‖∂L/∂z_t‖, shape (T).
    public internal(set) var preactivationGradientNorm: [Double] = []
    /// ‖Σ_n dz_t[n] h_{t−1}[n]ᵀ‖, step t's term of ∂L/∂W_hh, shape (T).
    public internal(set) var recurrentWeightGradientNorm: [Double] = []
    /// ln‖∂L/∂h_t‖ from the log-domain probe, shape (T): finite wherever the gradient is nonzero,
    /// also far outside the scalar's range; −∞ where it is exactly zero, NaN where the data are.
    public internal(set) var logGradientNorm: [Double] = []

    init(layer: Int, direction: Int) {
        self.layer = layer
        self.direction = direction
    }
}
