import Plot
import RealModule
import Recurrence
import Theory

/// The reproduction's figures, each drawn from `ReproductionData`.
enum ReproductionFigures {
    /// Figure 1: ‖∂L/∂h_t‖ at initialization against the distance from the loss, per variant;
    /// the mean over seeds in log space with a min–max band, the fitted factor in the legend.
    static func gradientDecay(_ data: ReproductionData) -> Figure {
        let figure = Figure(width: 9.5, height: 5.4)
        let axes = figure.axes(yScale: .log)
        let drawn = data.decay.filter { ($0.curves.map(\.count).min() ?? 0) > 0 }
        let bands = drawn.map { LogBand($0.curves) }
        let dashes = distinctDashes(bands.map(\.mean), base: drawn.map { $0.nonlinearity == .relu ? .dashed : .solid })
        for ((variant, band), dash) in zip(zip(drawn, bands), dashes) {
            let distances = (0..<band.mean.count).map(Double.init)
            let color = axes.nextColor()
            axes.band(distances, lower: band.lower, upper: band.upper, color: color, alpha: 0.2)
            axes.line(distances, band.mean, label: String(format: "%@: ×%.3f per step", variant.name, Double.exp(variant.slopes.mean)),
                      color: color, dash: dash)
        }
        axes.legend = .outside
        axes.xLabel = "steps back from the loss"
        axes.yLabel = "‖∂L/∂hₜ‖ at initialization"
        axes.title = "‖∂L/∂hₜ‖ at initialization, H = \(data.decaySetting.hiddenSize) (mean and range over seeds)"
        axes.grid = true
        return figure
    }

    /// Line patterns for curves drawn in order on a log axis: each its `base` pattern, unless it
    /// runs within `decades` of a curve drawn before it over at least half their shared points;
    /// then the next pattern (solid → dash-dot, dashed → dotted), so the earlier curve shows
    /// through.
    static func distinctDashes(_ curves: [[Double]], base: [Dash], decades: Double = 0.5) -> [Dash] {
        var dashes: [Dash] = []
        for (index, curve) in curves.enumerated() {
            let coincides = curves[..<index].contains { earlier in
                let shared = zip(earlier, curve).filter { $0 > 0 && $1 > 0 }
                let close = shared.filter { abs(Double.log10($0) - Double.log10($1)) < decades }
                return !shared.isEmpty && 2 * close.count >= shared.count
            }
            let pattern = base[index]
            dashes.append(coincides ? (pattern == .solid ? .dashDot : .dotted) : pattern)
        }
        return dashes
    }

    /// Figure 2: the fitted decay rate against σ_w, measured (each seed, and the mean) and
    /// predicted by mean field (½ ln χ), with the edge of chaos (χ = 1) marked.
    static func decayVersusWeightScale(_ data: ReproductionData, hiddenSize: Int, inputSize: Int, inputVariance: Double) -> Figure {
        let figure = Figure(width: 9.5, height: 5.4)
        let axes = figure.axes()
        let gains = stride(from: 0.3, through: 2.2, by: 0.01).map { $0 }
        for nonlinearity in [Nonlinearity.tanh, .relu] {
            let color = axes.nextColor()
            let model = { (gain: Double) in
                MeanField.forDefaultInputWeights(hiddenSize: hiddenSize, inputSize: inputSize, inputVariance: inputVariance,
                                                 sigmaW: gain, nonlinearity: nonlinearity)
            }
            axes.line(gains, gains.map { model($0).predictedSlope() }, label: "\(nonlinearity): mean field ½ ln χ", color: color)
            let points = data.scale.filter { $0.nonlinearity == nonlinearity }
            axes.scatter(points.flatMap { p in p.slopes.map { _ in p.sigmaW } }, points.flatMap(\.slopes),
                         label: "\(nonlinearity): measured (each seed)", color: color.withAlpha(0.45), size: 5)
            axes.scatter(points.map(\.sigmaW), points.map(\.slopes.mean), label: "\(nonlinearity): measured (seed mean)",
                         color: color, size: 7, marker: .diamond)
            let critical = MeanField.criticalSigmaW(sigmaB2PlusIn2: model(1).drivingVariance, nonlinearity: nonlinearity)
            axes.verticalLine(at: critical, color: color, dash: .dotted)
            // tanh's edge is labelled to its left, relu's to its right, so neither text leaves the axes.
            axes.text(String(format: " χ = 1: %@, σ_w = %.2f ", nonlinearity.rawValue, critical), x: critical,
                      y: nonlinearity == .tanh ? -1.2 : -1.5,
                      anchor: TextAnchor(nonlinearity == .tanh ? .right : .left, .bottom))
        }
        axes.horizontalLine(at: 0, color: Color(hex: 0x888888), width: 0.8, dash: .solid)
        axes.legend = .outside
        axes.xLabel = "σ_w   (W_hh ~ N(0, σ_w²/H), H = \(hiddenSize))"
        axes.yLabel = "d ln‖∂L/∂hₜ‖ per step back (nats)"
        axes.title = "Decay rate against weight scale"
        axes.grid = true
        return figure
    }

    /// Figure 3: success rate and final loss / baseline against T, per task and variant.
    static func learnability(_ data: ReproductionData) -> Figure {
        let tasks = Array(Set(data.learnability.map(\.task))).sorted(by: >)
        let figure = Figure(width: 12, height: 6.5)
        let panels = figure.grid(rows: 2, columns: tasks.count)
        for (column, task) in tasks.enumerated() {
            let points = data.learnability.filter { $0.task == task }
            let success = panels[column], loss = panels[tasks.count + column]
            for variant in Array(Set(points.map(\.variant))).sorted() {
                let mine = points.filter { $0.variant == variant }.sorted { $0.length < $1.length }
                let color = success.nextColor()
                let lengths = mine.map { Double($0.length) }
                success.line(lengths, mine.map { Double($0.successes.filter { $0 }.count) / Double($0.successes.count) },
                             label: variant, color: color, marker: .circle)
                loss.line(lengths, mine.map(\.lossRatios.mean), label: variant, color: color, marker: .circle)
            }
            // One legend per column, beside the success panel: the panels are dense, and the
            // loss panel below uses the same colours.
            success.legend = .outside
            loss.legend = .hidden
            success.yLimits = Limits(-0.05, 1.05)
            success.horizontalLine(at: 0.5, label: "50%", color: Color(hex: 0x999999), dash: .dotted)
            loss.horizontalLine(at: 1, label: "memoryless baseline")
            success.title = "\(task): success rate over seeds"
            loss.title = "\(task): final held-out loss / baseline"
            success.yLabel = "success rate"
            loss.yLabel = "loss / baseline"
            loss.xLabel = "dependency length T"
        }
        return figure
    }

    /// Figure 7: the top Lyapunov exponent of the backward dynamics against the fitted
    /// gradient slope, per variant and seed; they should lie on the diagonal.
    static func lyapunov(_ data: ReproductionData) -> Figure {
        let figure = Figure(width: 9.5, height: 5.4)
        let axes = figure.axes()
        let finite = data.decay.flatMap { zip($0.slopes, $0.lyapunov).filter { $0.0.isFinite && $0.1.isFinite } }
        let low = min(finite.map(\.0).min() ?? -1, finite.map(\.1).min() ?? -1) - 0.05
        axes.line([low, 0.1], [low, 0.1], label: "λ₁ = fitted slope", color: Color(hex: 0x888888), width: 1, dash: .dashed)
        var unplotted: [String] = []
        for variant in data.decay {
            let pairs = zip(variant.slopes, variant.lyapunov).filter { $0.0.isFinite && $0.1.isFinite }
            guard !pairs.isEmpty else {
                // λ₁ = −∞: the slope exists but the point cannot be drawn; say so on the axes.
                unplotted.append(String(format: "%@: λ₁ = −∞ in every seed (slope %.3f)", variant.name, variant.slopes.mean))
                _ = axes.nextColor()  // keep each variant's colour as in figure 1
                continue
            }
            axes.scatter(pairs.map(\.0), pairs.map(\.1), label: variant.name, size: 7,
                         marker: variant.nonlinearity == .relu ? .square : .circle)
        }
        for (index, note) in unplotted.enumerated() {
            axes.text(note, x: low + 0.02, y: 0.05 - 0.07 * Double(index), anchor: TextAnchor(.left, .top))
        }
        axes.legend = .outside
        axes.xLabel = "fitted slope of ln‖∂L/∂hₜ‖ (nats per step)"
        axes.yLabel = "top Lyapunov exponent λ₁ (nats per step)"
        axes.title = "Top Lyapunov exponent against the gradient's decay rate"
        axes.grid = true
        return figure
    }
}

extension ReproductionFigures {
    /// Figure 4: a trained tanh network's hidden states on a long input (units × time), and
    /// how far apart the states of two inputs that differ only in the first symbol stay.
    static func hiddenStates(_ hidden: (values: [Double], units: Int, steps: Int, trace: [Double], run: String)) -> Figure {
        let figure = Figure(width: 9, height: 6.5)
        let panels = figure.grid(rows: 2, columns: 1)
        panels[0].heatmap(hidden.values, rows: hidden.units, columns: hidden.steps,
                          x: 0...Double(hidden.steps), y: 0...Double(hidden.units),
                          colormap: .diverging, colorLimits: Limits(-1, 1), colorbarLabel: "hₜ")
        panels[0].title = "Trained tanh RNN (recall): class shown at t = 0, then noise"
        panels[0].yLabel = "unit"
        let t = (0..<hidden.steps).map(Double.init)
        panels[1].yScale = .log
        // The same time axis as the heatmap above, also where the distance has become exactly 0.
        panels[1].xLimits = Limits(0, Double(hidden.steps))
        panels[1].line(t, hidden.trace, label: "‖hₜ(class 0) − hₜ(class 1)‖, same noise")
        // A log axis cannot show 0: say where the two trajectories became identical.
        if let last = hidden.trace.lastIndex(where: { $0 > 0 }), last + 1 < hidden.steps,
           hidden.trace[(last + 1)...].allSatisfy({ $0 == 0 }) {
            panels[1].text(" exactly 0 (identical states in Double) from t = \(last + 1) on", x: Double(last + 1),
                           y: hidden.trace[last], anchor: TextAnchor(.left, .middle))
        }
        panels[1].title = "The trace of the first symbol"
        panels[1].xLabel = "time step t"
        panels[1].yLabel = "distance"
        panels[1].grid = true
        return figure
    }

    /// Figure 5: ln‖∂L_t/∂h_k‖ over (t, k) for a loss at every step, at initialization.
    static func gradientFlow(_ flow: (values: [Double], steps: Int, run: String)) -> Figure {
        let figure = Figure(width: 7, height: 6)
        let axes = figure.axes()
        axes.heatmap(flow.values.map { $0.isFinite ? $0 / Double.log(10) : .nan }, rows: flow.steps, columns: flow.steps,
                     x: 0...Double(flow.steps), y: 0...Double(flow.steps), colorbarLabel: "log₁₀ ‖∂Lₜ/∂hₖ‖")
        // The grey half has no value: a state after the loss does not affect it.
        let size = Double(flow.steps)
        axes.text("k > t: no gradient (h_k comes after the loss L_t) ", x: size, y: 0.04 * size,
                  anchor: TextAnchor(.right, .bottom))
        axes.xLimits = Limits(0, size)
        axes.yLimits = Limits(0, size)
        axes.xLabel = "k (step of the hidden state)"
        axes.yLabel = "t (step of the loss)"
        axes.title = "Gradient flow, tanh at PyTorch's default init (H = 128)"
        return figure
    }

    /// Figure 6: ‖∂L/∂h‖ at a few distances from the loss over training.
    static func trainingDynamics(_ dynamics: (iterations: [Double], distances: [Int], logNorms: [[Double]], run: String)) -> Figure {
        let figure = Figure()
        let axes = figure.axes(yScale: .log)
        for (distance, logs) in zip(dynamics.distances, dynamics.logNorms) {
            axes.line(dynamics.iterations, logs.map { Double.exp($0) }, label: "\(distance) step(s) back", marker: .circle)
        }
        axes.xLabel = "training iteration"
        axes.yLabel = "‖∂L/∂hₜ‖ on the probe batch"
        axes.title = "‖∂L/∂hₜ‖ during training (recall, T = 20, tanh)"
        axes.grid = true
        return figure
    }
}
