/// Dash patterns, scaled with the line width as in matplotlib.
public enum Dash: Equatable, Sendable {
    case solid, dashed, dotted, dashDot

    func pattern(width: Double) -> [Double] {
        switch self {
        case .solid: []
        case .dashed: [3.7 * width, 1.6 * width]
        case .dotted: [1 * width, 1.65 * width]
        case .dashDot: [6.4 * width, 1.6 * width, 1 * width, 1.6 * width]
        }
    }
}

/// Point markers for lines and scatter plots.
public enum Marker: Equatable, Sendable {
    case none, circle, square, triangle, diamond
}

/// One thing drawn in data coordinates. Validation waits until the figure is drawn, so that
/// a figure reads as a short chain of calls and reports every problem in one place.
enum PlotItem {
    case line(x: [Double], y: [Double], label: String?, color: Color, width: Double, dash: Dash, marker: Marker)
    case band(x: [Double], lower: [Double], upper: [Double], label: String?, color: Color, alpha: Double)
    case scatter(x: [Double], y: [Double], label: String?, color: Color, size: Double, marker: Marker)
    case errorBars(x: [Double], lower: [Double], upper: [Double], color: Color, width: Double)
    case horizontalLine(y: Double, label: String?, color: Color, width: Double, dash: Dash)
    case verticalLine(x: Double, label: String?, color: Color, width: Double, dash: Dash)
    case text(String, x: Double, y: Double, anchor: TextAnchor)

    var label: String? {
        switch self {
        case .line(_, _, let label, _, _, _, _), .band(_, _, _, let label, _, _), .scatter(_, _, let label, _, _, _),
             .horizontalLine(_, let label, _, _, _), .verticalLine(_, let label, _, _, _):
            label
        case .errorBars, .text: nil
        }
    }

    /// What kind of series this is, for error messages.
    var kind: String {
        switch self {
        case .line: "line"
        case .band: "band"
        case .scatter: "scatter"
        case .errorBars: "error bars"
        case .horizontalLine: "horizontal line"
        case .verticalLine: "vertical line"
        case .text: "text"
        }
    }

    var name: String { label.map { "\(kind) '\($0)'" } ?? kind }

    /// Checks that coordinate arrays pair up.
    func validate() throws(PlotError) {
        switch self {
        case .line(let x, let y, _, _, _, _, _), .scatter(let x, let y, _, _, _, _):
            guard x.count == y.count else { throw PlotError("\(name): x has \(x.count) values, y has \(y.count)") }
        case .band(let x, let lower, let upper, _, _, _), .errorBars(let x, let lower, let upper, _, _):
            guard x.count == lower.count, x.count == upper.count else {
                throw PlotError("\(name): x has \(x.count) values, lower \(lower.count), upper \(upper.count)")
            }
        case .horizontalLine, .verticalLine, .text:
            break
        }
    }

    /// The (x, y) points this item covers, for autoscaling and legend placement; nil marks
    /// a coordinate the item does not constrain (a horizontal line spans every x).
    var points: [(x: Double?, y: Double?)] {
        switch self {
        case .line(let x, let y, _, _, _, _, _), .scatter(let x, let y, _, _, _, _):
            return zip(x, y).map { ($0, $1) }
        case .band(let x, let lower, let upper, _, _, _), .errorBars(let x, let lower, let upper, _, _):
            return zip(x, lower).map { ($0, $1) } + zip(x, upper).map { ($0, $1) }
        case .horizontalLine(let y, _, _, _, _):
            return [(nil, y)]
        case .verticalLine(let x, _, _, _, _):
            return [(x, nil)]
        case .text(_, let x, let y, _):
            return [(x, y)]
        }
    }
}
