/// A figure: one panel or a grid of panels, a size in inches and a style.
///
///     let fig = Figure()
///     let ax = fig.axes(yScale: .log)
///     ax.line(x, y, label: "tanh")
///     try fig.write(to: URL(fileURLWithPath: "decay.png"), provenance: Provenance(software: "my-script"))
public final class Figure {
    /// Inches.
    public let width: Double
    public let height: Double
    public var style: Style
    public var title: String?

    private(set) var panels: [Axes] = []
    private(set) var rows = 0
    private(set) var columns = 0
    private(set) var sharedX = false
    private(set) var sharedY = false

    /// - Parameters: size in inches (default 6.4 × 4.8, matplotlib's), and the look.
    public init(width: Double = 6.4, height: Double = 4.8, style: Style = .standard) {
        self.width = width
        self.height = height
        self.style = style
    }

    /// Size in points.
    public var size: Size { Size(width: width * 72, height: height * 72) }

    /// One panel filling the figure (replacing any panels made before).
    public func axes(xScale: ScaleKind = .linear, yScale: ScaleKind = .linear) -> Axes {
        grid(rows: 1, columns: 1, xScale: xScale, yScale: yScale)[0]
    }

    /// A grid of panels in row-major order (replacing any made before). A shared axis has one
    /// domain across all panels, labelled only on the bottom row (x) or the left column (y).
    public func grid(rows: Int, columns: Int, xScale: ScaleKind = .linear, yScale: ScaleKind = .linear,
                     sharedX: Bool = false, sharedY: Bool = false) -> [Axes] {
        self.rows = max(rows, 1)
        self.columns = max(columns, 1)
        self.sharedX = sharedX
        self.sharedY = sharedY
        panels = (0..<self.rows * self.columns).map { _ in Axes(xScale: xScale, yScale: yScale, style: style) }
        return panels
    }

    /// Draws every panel on `renderer`.
    /// - Throws: `PlotError` for an empty figure or a series whose data do not fit together.
    public func draw(on renderer: Renderer) throws(PlotError) {
        guard panels.contains(where: { !$0.isEmpty }) else {
            throw PlotError("figure has nothing to draw: add a line, band, scatter or heatmap to an axes first")
        }
        for panel in panels {
            for item in panel.items { try item.validate() }
            try panel.heatmap?.validate()
        }
        let layout = try FigureLayout(self, renderer: renderer)
        renderer.fill(.rect(Rect(x: 0, y: 0, width: renderer.size.width, height: renderer.size.height)), style.background)
        for (panel, frame) in zip(panels, layout.panels) {
            try PanelPainter(axes: panel, layout: frame, renderer: renderer, style: style).draw()
        }
        if let title, let position = layout.titlePosition {
            renderer.drawText(title, at: position, anchor: TextAnchor(.center, .top), rotation: 0, style: style.titleFont)
        }
    }

    /// The panel at (row, column) and whether it labels shared axes.
    func showsXTickLabels(_ index: Int) -> Bool { !sharedX || index / columns == rows - 1 }
    func showsYTickLabels(_ index: Int) -> Bool { !sharedY || index % columns == 0 }
}
