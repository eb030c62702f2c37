/// A part of the reproduction report, fed by the configs the suite's manifest names for it.
/// Every role must be given: a suite without one is refused, never reported without its section.
enum ReproductionRole: String, CaseIterable, Sendable {
    /// Figures 1 and 7 and the verdict: ‖∂L/∂h_t‖ at initialization per variant, with
    /// mean-field theory and Lyapunov exponents.
    case decay
    /// Figure 2: the decay rate against the recurrent weight scale σ_w (Gaussian inits).
    case weightScale = "weight-scale"
    /// Figure 3: success and final loss against the dependency length, per task and variant.
    case learnability
    /// Figure 4: a trained network's hidden states (one variant of a config).
    case hiddenStates = "hidden-states"
    /// Figure 5: the gradient-flow matrix of a per-timestep loss at initialization.
    case gradientFlow = "gradient-flow"
    /// Figure 6: ln‖∂L/∂h‖ over training (one variant at one sequence length).
    case trainingDynamics = "training-dynamics"
    /// Figure 8 and the gated theory: ‖∂L/∂h_t‖ and an LSTM's ‖∂L/∂c_t‖ at initialization for
    /// the tanh RNN, the LSTM and the GRU per init, with the Lyapunov exponents of their full
    /// backward maps.
    case gatedDecay = "gated-decay"
    /// Figure 9: success against the dependency length for the gated cells and the tanh RNN.
    case gatedLearnability = "gated-learnability"

    /// Whether the role draws from one variant (and may name one sequence length).
    var takesVariant: Bool { self == .hiddenStates || self == .gradientFlow || self == .trainingDynamics }
}
