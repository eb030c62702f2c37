/// Optional bounds of an axis; a nil bound is autoscaled from the data.
public struct Limits: Equatable, Sendable {
    public var lower: Double?
    public var upper: Double?

    public init(_ lower: Double? = nil, _ upper: Double? = nil) {
        self.lower = lower
        self.upper = upper
    }

    public static let automatic = Limits()
}

/// Where a panel's legend goes.
public enum LegendPlacement: Equatable, Sendable {
    /// Inside the axes, at the corner or edge that covers the least data.
    case automatic
    /// To the right of the axes, outside the data area.
    case outside
    case hidden
}

/// One panel: two scales, the series drawn on them, and their decorations.
/// Series are added with short calls and checked when the figure is drawn.
public final class Axes {
    public var xScale: ScaleKind
    public var yScale: ScaleKind
    public var xLimits = Limits.automatic
    public var yLimits = Limits.automatic
    public var xLabel: String?
    public var yLabel: String?
    public var title: String?
    /// Grid lines at the major ticks.
    public var grid = false
    public var legend = LegendPlacement.automatic

    let style: Style
    var items: [PlotItem] = []
    var heatmap: HeatmapItem?
    private var colorIndex = 0

    init(xScale: ScaleKind, yScale: ScaleKind, style: Style) {
        self.xScale = xScale
        self.yScale = yScale
        self.style = style
    }

    /// The next colour of the categorical cycle.
    public func nextColor() -> Color {
        defer { colorIndex += 1 }
        return style.categoricalColors[colorIndex % style.categoricalColors.count]
    }

    /// A line through (x[i], y[i]); points that cannot be placed (NaN, ±∞, ≤ 0 on a log axis)
    /// break it.
    public func line(_ x: [Double], _ y: [Double], label: String? = nil, color: Color? = nil,
                     width: Double? = nil, dash: Dash = .solid, marker: Marker = .none) {
        items.append(.line(x: x, y: y, label: label, color: color ?? nextColor(), width: width ?? style.lineWidth,
                           dash: dash, marker: marker))
    }

    /// A shaded region between lower[i] and upper[i] (e.g. min–max or mean ± std over seeds).
    public func band(_ x: [Double], lower: [Double], upper: [Double], label: String? = nil,
                     color: Color? = nil, alpha: Double? = nil) {
        items.append(.band(x: x, lower: lower, upper: upper, label: label, color: color ?? nextColor(),
                           alpha: alpha ?? style.bandAlpha))
    }

    /// A vertical bar from lower[i] to upper[i] at each x[i], with short caps: an interval per
    /// point (e.g. a 95 % confidence interval). Unlabelled: the series it belongs to carries the
    /// legend entry.
    public func errorBars(_ x: [Double], lower: [Double], upper: [Double], color: Color, width: Double? = nil) {
        items.append(.errorBars(x: x, lower: lower, upper: upper, color: color, width: width ?? style.lineWidth * 0.7))
    }

    /// Unconnected markers.
    public func scatter(_ x: [Double], _ y: [Double], label: String? = nil, color: Color? = nil,
                        size: Double? = nil, marker: Marker = .circle) {
        items.append(.scatter(x: x, y: y, label: label, color: color ?? nextColor(), size: size ?? style.markerSize,
                              marker: marker == .none ? .circle : marker))
    }

    /// A reference line across the whole axes at height y (e.g. chance level).
    public func horizontalLine(at y: Double, label: String? = nil, color: Color = Color(hex: 0x555555),
                               width: Double = 1, dash: Dash = .dashed) {
        items.append(.horizontalLine(y: y, label: label, color: color, width: width, dash: dash))
    }

    /// A reference line across the whole axes at x.
    public func verticalLine(at x: Double, label: String? = nil, color: Color = Color(hex: 0x555555),
                             width: Double = 1, dash: Dash = .dashed) {
        items.append(.verticalLine(x: x, label: label, color: color, width: width, dash: dash))
    }

    /// A text annotation anchored at a data point.
    public func text(_ text: String, x: Double, y: Double, anchor: TextAnchor = TextAnchor(.left, .bottom)) {
        items.append(.text(text, x: x, y: y, anchor: anchor))
    }

    /// A grid of values drawn as coloured cells, row 0 at the bottom, spanning `x` and `y` in
    /// data coordinates, with a colour bar. Non-finite values (and values ≤ 0 on a log colour
    /// scale) are drawn in `Colormap.missing`.
    public func heatmap(_ values: [Double], rows: Int, columns: Int,
                        x: ClosedRange<Double>? = nil, y: ClosedRange<Double>? = nil,
                        colormap: Colormap = .viridis, colorScale: ScaleKind = .linear,
                        colorLimits: Limits = .automatic, colorbarLabel: String? = nil) {
        heatmap = HeatmapItem(values: values, rows: rows, columns: columns,
                              x: x ?? 0...Double(columns), y: y ?? 0...Double(rows),
                              colormap: colormap, colorScale: colorScale, colorLimits: colorLimits,
                              colorbarLabel: colorbarLabel)
    }

    var isEmpty: Bool { items.isEmpty && heatmap == nil }
}
