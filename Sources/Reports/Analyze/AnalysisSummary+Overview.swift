import Foundation

extension AnalysisSummary {
    /// A few lines for the terminal: what was analysed and the decay per layer and direction.
    public func overview(directory: String) -> String {
        var lines = [
            "\(model.path): \(model.numLayers) layer(s), \(model.bidirectional ? "bidirectional" : "unidirectional"), "
                + "\(model.nonlinearity), input_size \(model.inputSize), hidden_size \(model.hiddenSize), \(model.dtype)",
            "input: T = \(input.sequenceLength), N = \(input.batchSize); \(loss)",
        ]
        for block in blocks {
            var line = "  layer \(block.layer) \(block.direction): σ_max(W_hh) = \(format(block.sigmaMax)), "
                + "spectral radius = \(format(block.spectralRadius))"
            if let fit = block.decayFit {
                line += String(format: "; ‖∂L/∂h‖ × %.4g per step back from t = T−1 (%.4f nats, R² = %.3f over %d steps)",
                               fit.factorPerStep, fit.logSlopePerStep, fit.rSquared, fit.fittedSteps)
            }
            if block.nonFiniteSteps > 0 { line += "; \(block.nonFiniteSteps) step(s) with zero or NaN gradient" }
            lines.append(line)
        }
        lines.append("wrote \(directory)/")
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? "n/a"
    }
}
