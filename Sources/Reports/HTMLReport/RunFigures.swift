import Foundation
import Plot
import RealModule
import Sweeps
import TensorIO

/// The figure of one run's page, kept light so that a store of a thousand runs renders in
/// seconds and its pages stay small: one figure of stacked panels (one drawing, one set of
/// glyphs in the SVG), a few hundred points per line at most.
enum RunFigures {
    /// One panel: how to draw it, and what it shows in words.
    struct Panel {
        let title: String
        let draw: (Axes) -> Void
        let description: String
    }
    /// Points per curve at most; longer curves are thinned evenly, keeping both ends.
    static let maximumPoints = 250
    /// Probed iterations drawn at most; more are thinned evenly, keeping the first and last.
    static let maximumSnapshots = 6
    /// All text at one size: an SVG holds the outline of each glyph once per size, and those
    /// outlines are most of a small figure's bytes and of the time to write it.
    static let style: Style = {
        var style = Style.standard
        style.titleScale = 1
        style.legendFontScale = 1
        return style
    }()

    /// A panel for each thing the run has data for: its training curve, ‖∂L/∂h_t‖ at each
    /// probed iteration, and its hidden states when they were recorded; nil when it has none.
    static func figure(_ run: StoredRun) -> DescribedFigure? {
        let panels = [training(run), gradients(run), hiddenStates(run)].compactMap { $0 }
        guard !panels.isEmpty else { return nil }
        let figure = Figure(width: 6.4, height: 3.3 * Double(panels.count), style: style)
        for (axes, panel) in zip(figure.grid(rows: panels.count, columns: 1), panels) {
            panel.draw(axes)
            axes.title = panel.title
        }
        let description = panels.map { "\($0.title): \($0.description)" }.joined(separator: " ")
        return DescribedFigure(name: "figure", title: panels.map(\.title).joined(separator: "; "), figure: figure,
                               description: description)
    }

    /// Evenly spaced indices into `count` items, at most `limit`, the first and last included.
    static func thinned(_ count: Int, limit: Int) -> [Int] {
        guard count > limit, limit >= 2 else { return Array(0..<count) }
        return (0..<limit).map { Int((Double($0) * Double(count - 1) / Double(limit - 1)).rounded()) }
    }

    static func training(_ run: StoredRun) -> Panel? {
        guard let last = run.metrics.last else { return nil }
        let final = run.summary.finalEvalLoss.map { String(format: ", final held-out loss %.4g", $0) } ?? ", no finite held-out loss"
        let diverged = run.summary.divergedAt.map { ", diverged at iteration \($0)" } ?? ""
        let description = String(format: "loss against iteration on a log axis: training loss %.4g at iteration %d%@ (baseline %.4g)%@.",
                                 last.trainLoss, last.step, final, run.summary.baselineLoss, diverged)
        return Panel(title: "Training curve", draw: { axes in
            axes.yScale = .log
            let kept = thinned(run.metrics.count, limit: maximumPoints).map { run.metrics[$0] }
            axes.line(kept.map { Double($0.step) }, kept.map(\.trainLoss), label: "training loss", width: 1)
            let evaluated = run.metrics.filter { $0.evalLoss != nil }
            if !evaluated.isEmpty {
                axes.line(evaluated.map { Double($0.step) }, evaluated.map { $0.evalLoss! }, label: "held-out loss", marker: .circle)
            }
            axes.horizontalLine(at: run.summary.baselineLoss, label: "baseline")
            axes.xLabel = "iteration"
            axes.yLabel = "loss"
            axes.grid = true
        }, description: description)
    }

    static func gradients(_ run: StoredRun) -> Panel? {
        let snapshots = thinned(run.gradientSnapshots.count, limit: maximumSnapshots).map { run.gradientSnapshots[$0] }
        guard let steps = snapshots.first?.logNorms.first?.count, steps > 0 else { return nil }
        let logs = snapshots.map { $0.logNorms[0] }
        // Below Double's range (e^−700) the axis shows log₁₀ on a linear scale, so no step is dropped.
        let representable = logs.joined().allSatisfy { !$0.isFinite || $0 > -700 }
        let facts = zip(snapshots, logs).map { snapshot, curve in
            String(format: "iteration %d: %@ at t = 0, %@ at t = %d", snapshot.iteration, norm(curve.first!), norm(curve.last!), steps - 1)
        }
        let description = "‖∂L/∂h_t‖ of layer 0 against t, \(representable ? "log axis" : "as log₁₀"): " + facts.joined(separator: "; ") + "."
        return Panel(title: "‖∂L/∂hₜ‖ at each probed iteration", draw: { axes in
            axes.yScale = representable ? .log : .linear
            let kept = thinned(steps, limit: maximumPoints)
            for (snapshot, curve) in zip(snapshots, logs) {
                let values = kept.map { curve[$0] }
                axes.line(kept.map(Double.init), representable ? values.map { Double.exp($0) } : values.map { $0 / Double.log(10) },
                          label: "iteration \(snapshot.iteration)", width: 1)
            }
            axes.xLabel = "time step t"
            axes.yLabel = representable ? "‖∂L/∂hₜ‖" : "log₁₀ ‖∂L/∂hₜ‖"
            axes.grid = true
        }, description: description)
    }

    /// ‖·‖ from its logarithm as "1.2e-05", or "10^-400.3" beyond Double's range.
    private static func norm(_ log: Double) -> String {
        guard log.isFinite else { return "–" }
        return log > -700 ? String(format: "%.3g", Double.exp(log)) : String(format: "10^%.1f", log / Double.log(10))
    }

    /// Layer 0's hidden states of the probe batch's first sample at the last iteration they
    /// were saved at, units against time steps (thinned to 64 × 250 at most).
    static func hiddenStates(_ run: StoredRun) -> Panel? {
        guard let iteration = run.hiddenStateIterations.last, let array = try? run.hiddenStates(iteration: iteration),
              array.shape.count == 4 else { return nil }
        let (steps, batch, units) = (array.shape[1], array.shape[2], array.shape[3])
        let values: [Double]
        switch array.storage {
        case .float32(let floats): values = floats.map(Double.init)
        case .float64(let doubles): values = doubles
        default: return nil
        }
        guard steps > 0, units > 0 else { return nil }
        let keptSteps = thinned(steps, limit: maximumPoints), keptUnits = thinned(units, limit: 64)
        var grid: [Double] = []
        grid.reserveCapacity(keptSteps.count * keptUnits.count)
        for unit in keptUnits {
            for step in keptSteps { grid.append(values[(step * batch) * units + unit]) }
        }
        let finite = grid.filter(\.isFinite)
        let description = String(format: "heatmap of layer 0's hidden state, first probe sample, %d units over %d steps; values from %.3g to %.3g.",
                                 units, steps, finite.min() ?? .nan, finite.max() ?? .nan)
        return Panel(title: "Hidden states at iteration \(iteration)", draw: { axes in
            axes.heatmap(grid, rows: keptUnits.count, columns: keptSteps.count, x: 0...Double(steps), y: 0...Double(units),
                         colormap: .viridis, colorbarLabel: "hₜ")
            axes.xLabel = "time step t"
            axes.yLabel = "hidden unit"
        }, description: description)
    }
}
