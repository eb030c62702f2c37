import Plot
import RealModule
import Recurrence

/// Figures 8 and 9: the tanh RNN against the gated cells. One encoding in both: the colour
/// says the init (the tanh RNN is black), the line pattern and marker say the cell.
enum GatedFigures {
    /// Figure 8: left ‖∂L/∂h_t‖, right an LSTM's ‖∂L/∂c_t‖, at initialization against the
    /// distance from the loss; the geometric mean over seeds with the min–max band, the fitted
    /// factor per step in the legend.
    static func decay(_ data: GatedData) -> Figure {
        let figure = Figure(width: 13, height: 5.6)
        let panels = figure.grid(rows: 1, columns: 2, yScale: .log)
        let (hidden, cell) = (panels[0], panels[1])
        for variant in data.decay {
            draw(variant.curves, slopes: variant.slopes, of: variant, on: hidden)
            if variant.cell == .lstm { draw(variant.cellCurves, slopes: variant.cellSlopes, of: variant, on: cell) }
        }
        hidden.title = "‖∂L/∂hₜ‖: tanh RNN, LSTM, GRU"
        cell.title = "LSTM cell state ‖∂L/∂cₜ‖ (the constant error carousel)"
        for axes in panels {
            axes.xLabel = "steps back from the loss"
            axes.grid = true
            axes.legend = .automatic
        }
        hidden.yLabel = "gradient norm at initialization"
        cell.yLabel = "cell-state gradient norm at initialization"
        figure.title = "Which path keeps the gradient: H = \(data.decaySetting.hiddenSize), T = \(data.decaySetting.steps), "
            + "recall inputs (mean and range over seeds)"
        return figure
    }

    private static func draw(_ curves: [[Double]], slopes: [Double], of variant: GatedData.DecayVariant, on axes: Axes) {
        guard (curves.map(\.count).min() ?? 0) > 0 else { return }
        let band = LogBand(curves)
        let distances = (0..<band.mean.count).map(Double.init)
        let color = Self.color(variant.kind)
        axes.band(distances, lower: band.lower, upper: band.upper, color: color, alpha: 0.15)
        axes.line(distances, band.mean, label: String(format: "%@: ×%.3f per step", variant.name, Double.exp(slopes.mean)),
                  color: color, dash: dash(variant.cell))
    }

    /// Figure 9: success rate against T per task, with 95 % Wilson intervals over the seeds.
    /// Variants are nudged apart along the T axis so that their intervals do not hide each
    /// other; one legend serves both panels.
    static func learnability(_ data: GatedData) -> Figure {
        let tasks = Array(Set(data.learnability.map(\.task))).sorted(by: >)
        let figure = Figure(width: 13, height: 5.2)
        let panels = figure.grid(rows: 1, columns: tasks.count)
        for (column, (axes, task)) in zip(panels, tasks).enumerated() {
            let points = data.learnability.filter { $0.task == task }
            let variants = Array(Set(points.map(\.variant))).sorted()
            let lengths = Set(points.map(\.length))
            let nudge = Double((lengths.max() ?? 1) - (lengths.min() ?? 0)) * 0.008
            for (index, name) in variants.enumerated() {
                guard let kind = data.learnabilityKinds[name] else { continue }
                let mine = points.filter { $0.variant == name }.sorted { $0.length < $1.length }
                let color = color(kind)
                let x = mine.map { Double($0.length) + nudge * (Double(index) - Double(variants.count - 1) / 2) }
                let intervals = mine.map(\.successInterval)
                axes.errorBars(x, lower: intervals.map(\.lower), upper: intervals.map(\.upper), color: color)
                axes.line(x, mine.map(\.successRate), label: name, color: color, dash: dash(kind.cell), marker: marker(kind.cell))
            }
            axes.yLimits = Limits(-0.03, 1.03)
            axes.horizontalLine(at: 0.5, color: Color(hex: 0x999999), dash: .dotted)
            axes.title = "\(task): success rate over seeds, 95 % Wilson interval"
            axes.xLabel = "dependency length T"
            axes.grid = true
            axes.legend = column == tasks.count - 1 ? .outside : .hidden
        }
        panels.first?.yLabel = "success rate"
        return figure
    }

    /// Black for nn.RNN; per init for the gated cells (Okabe–Ito: default blue, forget bias
    /// orange, chrono green, anything else purple).
    static func color(_ kind: GatedData.Kind) -> Color {
        guard kind.cell != .rnn else { return ColorCycle.okabeIto[7] }
        switch kind.initialization {
        case "pytorch-default": return ColorCycle.okabeIto[3]
        case "forget-bias": return ColorCycle.okabeIto[0]
        case "chrono": return ColorCycle.okabeIto[2]
        default: return ColorCycle.okabeIto[5]
        }
    }

    static func dash(_ cell: RecurrentCellKind) -> Dash {
        switch cell {
        case .rnn: .dotted
        case .lstm: .solid
        case .gru: .dashed
        }
    }

    static func marker(_ cell: RecurrentCellKind) -> Marker {
        switch cell {
        case .rnn: .diamond
        case .lstm: .circle
        case .gru: .square
        }
    }
}
