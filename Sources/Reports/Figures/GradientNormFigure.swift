import Plot
import RealModule

/// ‖∂L/∂h_t‖ against t, one line per layer and direction, on a log axis. Values come from
/// the log-domain probe; when some are below Double's range (e^−700), the axis shows
/// log₁₀‖∂L/∂hₜ‖ on a linear scale instead, so no step is dropped.
enum GradientNormFigure {
    static func make(logNorms: [[Double]], labels: [String], title: String) -> Figure {
        let figure = Figure()
        let steps = logNorms.first?.count ?? 0
        let t = (0..<steps).map(Double.init)
        let representable = logNorms.joined().allSatisfy { !$0.isFinite || $0 > -700 }
        let axes = figure.axes(yScale: representable ? .log : .linear)
        for (logs, label) in zip(logNorms, labels) {
            axes.line(t, representable ? logs.map { Double.exp($0) } : logs.map { $0 / Double.log(10) }, label: label)
        }
        axes.xLabel = "time step t"
        axes.yLabel = representable ? "‖∂L/∂hₜ‖" : "log₁₀ ‖∂L/∂hₜ‖"
        axes.title = title
        axes.grid = true
        return figure
    }
}
