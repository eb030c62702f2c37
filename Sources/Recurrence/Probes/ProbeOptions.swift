/// Which quantities the engine records while it runs. All off by default; a probe that is
/// off costs nothing, and a probe that is on never changes a result.
public struct ProbeOptions: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// h_t of every layer and direction, and an LSTM's c_t (forward).
    public static let hiddenStates = ProbeOptions(rawValue: 1 << 0)
    /// ‖∂L/∂h_t‖, the total derivative, over the batch and per sample, and an LSTM's ‖∂L/∂c_t‖
    /// (backward).
    public static let gradientNorms = ProbeOptions(rawValue: 1 << 1)
    /// ‖∂L/∂z_t‖ of the pre-activation z_t (backward).
    public static let preactivationGradientNorms = ProbeOptions(rawValue: 1 << 2)
    /// ‖dz_tᵀ h_{t−1}‖, step t's contribution to ∂L/∂W_hh (backward; costs O(N²H) a step).
    public static let recurrentWeightGradientNorms = ProbeOptions(rawValue: 1 << 3)
    /// ln‖∂L/∂h_t‖ (and an LSTM's ln‖∂L/∂c_t‖) carried in the log domain, exact where the
    /// direct norm underflows (backward).
    public static let logGradientNorms = ProbeOptions(rawValue: 1 << 4)
    /// Per step, the mean and the saturated fractions (above 0.99, below 0.01) of the LSTM's
    /// forget gate or the GRU's update gate. Forward quantities, read by the backward pass from
    /// the gates forward keeps for it, so they come with the backward probes.
    public static let gateStatistics = ProbeOptions(rawValue: 1 << 5)

    /// Everything.
    public static let all: ProbeOptions = [
        .hiddenStates, .gradientNorms, .preactivationGradientNorms, .recurrentWeightGradientNorms, .logGradientNorms,
        .gateStatistics,
    ]
}
