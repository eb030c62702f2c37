import Foundation

extension RunSummary {
    /// A few lines for the terminal.
    public func overview(directory: String) -> String {
        var lines = ["\(runID): \(task), T = \(sequenceLength), seed \(seed)\(variant.map { ", variant \($0)" } ?? "")"]
        if let divergedAt { lines.append("  diverged at iteration \(divergedAt)") }
        if let loss = finalEvalLoss {
            var line = String(format: "  held-out loss %.4g (baseline %.4g)", loss, baselineLoss)
            if let accuracy = finalEvalAccuracy { line += String(format: ", accuracy %.3f", accuracy) }
            lines.append(line + (success ? ": success" : ": no success"))
        }
        for (start, end) in zip(blocksAtStart, blocksAtEnd) {
            if let fit = start.decayFit {
                var line = "  \(start.name): ‖∂L/∂h‖ × " + String(format: "%.4g per step back at init", fit.factorPerStep)
                if let fit = end.decayFit { line += String(format: ", × %.4g after training", fit.factorPerStep) }
                lines.append(line)
            }
        }
        lines.append(String(format: "  %.1f s; wrote %@/", wallSeconds, directory))
        return lines.joined(separator: "\n")
    }
}
