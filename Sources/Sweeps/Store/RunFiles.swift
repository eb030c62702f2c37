/// The names of the files in a run directory, written by `RunRecord` and read by `RunStore`:
/// one place, so that the writer and the reader cannot drift apart.
enum RunFiles {
    /// The run's fully resolved config (`RunConfiguration.resolvedYAML`).
    static let config = "config.yaml"
    /// The training curve (`MetricRow.csv`).
    static let metrics = "metrics.csv"
    /// The trained `nn.RNN`'s state_dict and the `nn.Linear` readout's.
    static let weights = "model.safetensors"
    static let readout = "readout.safetensors"
    static let summary = "summary.json"
    /// FNV-1a 64 of `summary.json`, 16 hex digits.
    static let summaryChecksum = "summary.fnv1a64"

    private static let logNormsPrefix = "grad_log_norms_step"
    private static let hiddenPrefix = "hidden_step"

    /// ‖∂L/∂h_t‖ (blocks × T) at a probed iteration.
    static func gradientNorms(iteration: Int) -> String { "grad_norms_step\(iteration).npy" }

    /// ln‖∂L/∂h_t‖ (blocks × T) at a probed iteration.
    static func logGradientNorms(iteration: Int) -> String { "\(logNormsPrefix)\(iteration).npy" }

    /// An LSTM's ‖∂L/∂c_t‖ (blocks × T) at a probed iteration.
    static func cellGradientNorms(iteration: Int) -> String { "cell_grad_norms_step\(iteration).npy" }

    /// An LSTM's ln‖∂L/∂c_t‖ (blocks × T) at a probed iteration.
    static func cellLogGradientNorms(iteration: Int) -> String { "cell_grad_log_norms_step\(iteration).npy" }

    /// The probe batch's hidden states at a probed iteration.
    static func hiddenStates(iteration: Int) -> String { "\(hiddenPrefix)\(iteration).npy" }

    /// The iteration a `logGradientNorms` file name is for; nil for any other name.
    static func logGradientNormsIteration(_ name: String) -> Int? {
        iteration(of: name, prefix: logNormsPrefix)
    }

    /// The iteration a `hiddenStates` file name is for; nil for any other name.
    static func hiddenStatesIteration(_ name: String) -> Int? {
        iteration(of: name, prefix: hiddenPrefix)
    }

    private static func iteration(of name: String, prefix: String) -> Int? {
        guard name.hasPrefix(prefix), name.hasSuffix(".npy") else { return nil }
        return Int(name.dropFirst(prefix.count).dropLast(".npy".count))
    }
}
