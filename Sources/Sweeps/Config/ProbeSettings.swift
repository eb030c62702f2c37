/// What to record besides the training curve (`probes:` in a config).
public struct ProbeSettings: Equatable, Sendable {
    /// Training iterations at which to record ‖∂L/∂h_t‖ (direct and log-domain) on a fixed
    /// probe batch; 0 is at initialization; the final iteration is always included.
    public var gradientSteps: [Int] = [0]
    /// Also save the hidden states of the probe batch at those iterations.
    public var hiddenStates = false
    /// Probe batch size.
    public var batchSize = 32

    public init() {}
}
