import Foundation

extension AnalysisSummary {
    /// A few lines for the terminal: what was analysed and the decay per layer and direction.
    public func overview(directory: String) -> String {
        var lines = [
            "\(model.path): \(model.numLayers) layer(s), \(model.bidirectional ? "bidirectional" : "unidirectional"), "
                + "\(model.nonlinearity), input_size \(model.inputSize), hidden_size \(model.hiddenSize), \(model.dtype)",
            "input: T = \(input.sequenceLength), N = \(input.batchSize); \(objective)"
                + (loss.map { String(format: " = %.6g", $0) } ?? ""),
        ]
        if !model.module.isEmpty || !model.otherTensors.isEmpty {
            lines.append("module \(model.module.isEmpty ? "(top level)" : model.module)"
                         + (model.otherTensors.isEmpty ? "" : "; not read: \(model.otherTensors.joined(separator: ", "))"))
        }
        if !model.upcast.isEmpty {
            lines.append("upcast to float32: " + model.upcast.map { "\($0.tensor) (\($0.storedDtype))" }.joined(separator: ", "))
        }
        for block in blocks {
            let diagnostics = block.diagnostics
            var line = "  \(diagnostics.name): σ_max(W_hh) = \(format(diagnostics.sigmaMax)), "
                + "spectral radius = \(format(diagnostics.spectralRadius))"
            if let fit = diagnostics.decayFit {
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
