/// Where everything of a figure goes, in points: each panel's data rectangle, scales and
/// ticks, its colour bar and an outside legend. Margins come from the measured texts, and
/// are aligned across a grid's rows and columns so that panels line up.
struct FigureLayout {
    struct Panel {
        var plot: Rect
        var x: Scale
        var y: Scale
        var xTicks: [Tick] = []
        var yTicks: [Tick] = []
        var xMinor: [Double] = []
        var yMinor: [Double] = []
        var showsXTickLabels = true
        var showsYTickLabels = true
        var colorbar: Colorbar?
        var outsideLegend: Rect?
        var legend: [LegendEntry] = []
    }

    struct Colorbar {
        var rect: Rect
        var scale: Scale
        var ticks: [Tick]
        var minor: [Double]
    }

    private(set) var panels: [Panel] = []
    private(set) var titlePosition: Point?

    init(_ figure: Figure, renderer: Renderer) throws(PlotError) {
        let style = figure.style
        let domains = try DataDomains.resolve(figure)
        var area = Rect(x: 0, y: 0, width: renderer.size.width, height: renderer.size.height)
            .inset(left: style.figurePad, top: style.figurePad, right: style.figurePad, bottom: style.figurePad)
        if let title = figure.title {
            titlePosition = Point(renderer.size.width / 2, style.figurePad)
            let height = renderer.measureText(title, style: style.titleFont).height
            area = area.inset(top: height + 2 * style.labelPad)
        }
        let cellWidth = area.width / Double(figure.columns)
        let cellHeight = area.height / Double(figure.rows)
        var colorScales: [Scale?] = []
        for (index, panel) in figure.panels.enumerated() {
            var layout = Panel(plot: Rect(x: 0, y: 0, width: cellWidth, height: cellHeight),
                               x: domains[index].x, y: domains[index].y)
            layout.showsXTickLabels = figure.showsXTickLabels(index)
            layout.showsYTickLabels = figure.showsYTickLabels(index)
            layout.legend = LegendEntry.entries(for: panel)
            panels.append(layout)
            colorScales.append(try panel.heatmap?.colorDomain())
        }

        // Two passes: tick counts depend on the plot size, and margins on the tick labels.
        var margins: [Margins] = []
        for _ in 0..<2 {
            margins = figure.panels.indices.map { index in
                let panel = figure.panels[index]
                ticks(&panels[index], colorScale: colorScales[index], style: style)
                return Margins(panel, panels[index], renderer: renderer, style: style, cellWidth: cellWidth)
            }
            let aligned = Margins.aligned(margins, rows: figure.rows, columns: figure.columns)
            for index in figure.panels.indices {
                let row = index / figure.columns, column = index % figure.columns
                let cell = Rect(x: area.x + Double(column) * cellWidth, y: area.y + Double(row) * cellHeight,
                                width: cellWidth, height: cellHeight)
                let m = aligned[index]
                var plot = cell.inset(left: m.left, top: m.top, right: m.right, bottom: m.bottom)
                if plot.width < 10 || plot.height < 10 {
                    throw PlotError("figure of \(figure.width)×\(figure.height) in is too small for its "
                                    + "\(figure.rows)×\(figure.columns) panels and their labels")
                }
                plot.width = max(plot.width, 1)
                panels[index].plot = plot
                if let scale = colorScales[index] {
                    let width = max(8, style.colorbarFraction * (cellWidth - m.left))
                    let rect = Rect(x: plot.maxX + style.fontSize, y: plot.y, width: width, height: plot.height)
                    panels[index].colorbar = Colorbar(rect: rect, scale: scale, ticks: [], minor: [])
                }
                if panel(figure, index).legend == .outside, !panels[index].legend.isEmpty {
                    let size = LegendEntry.boxSize(panels[index].legend, renderer: renderer, style: style)
                    let left = (panels[index].colorbar?.rect.maxX ?? plot.maxX) + m.colorbarLabelWidth + style.fontSize
                    panels[index].outsideLegend = Rect(x: left, y: plot.y, width: size.width, height: size.height)
                }
            }
        }
        for index in panels.indices { ticks(&panels[index], colorScale: colorScales[index], style: style) }
    }

    private func panel(_ figure: Figure, _ index: Int) -> Axes { figure.panels[index] }

    /// Tick counts for the current plot size: about one label per 4–6 ems of axis.
    private func ticks(_ panel: inout Panel, colorScale: Scale?, style: Style) {
        let xCount = min(max(Int(panel.plot.width / (style.fontSize * 5)), 3), 9)
        let yCount = min(max(Int(panel.plot.height / (style.fontSize * 3)), 3), 9)
        panel.xTicks = panel.x.majorTicks(maxCount: xCount)
        panel.yTicks = panel.y.majorTicks(maxCount: yCount)
        panel.xMinor = panel.x.minorTicks(maxCount: xCount)
        panel.yMinor = panel.y.minorTicks(maxCount: yCount)
        if let colorScale {
            var colorbar = panel.colorbar ?? Colorbar(rect: panel.plot, scale: colorScale, ticks: [], minor: [])
            colorbar.ticks = colorScale.majorTicks(maxCount: yCount)
            colorbar.minor = colorScale.minorTicks(maxCount: yCount)
            panel.colorbar = colorbar
        }
    }
}

/// The space a panel needs around its data rectangle for ticks, labels and titles.
struct Margins {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double
    var colorbarLabelWidth = 0.0

    init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    init(_ axes: Axes, _ layout: FigureLayout.Panel, renderer: Renderer, style: Style, cellWidth: Double) {
        let font = style.font
        let lineHeight = renderer.measureText("Ag", style: font).height
        let xLabels = layout.showsXTickLabels ? layout.xTicks.map { TickLabelText(label: $0.label, style: font).measure(renderer) } : []
        let yLabels = layout.showsYTickLabels ? layout.yTicks.map { TickLabelText(label: $0.label, style: font).measure(renderer) } : []
        let xLabelHeight = xLabels.map(\.height).max() ?? 0
        let yLabelWidth = yLabels.map(\.width).max() ?? 0
        let tickSpace = style.majorTickLength + style.tickLabelPad

        left = tickSpace + yLabelWidth + (axes.yLabel != nil ? style.labelPad + lineHeight : 0)
        // The first x tick label is centred on the left edge and may reach past it.
        left = max(left, (xLabels.first?.width ?? 0) / 2)
        bottom = tickSpace + xLabelHeight + (axes.xLabel != nil ? style.labelPad + lineHeight : 0)
        let titleHeight = axes.title.map { renderer.measureText($0, style: style.titleFont).height + 2 * style.labelPad } ?? 0
        // The top y tick label is centred on the top edge.
        top = max(titleHeight, (yLabels.last?.height ?? 0) / 2 + 1)
        right = max((xLabels.last?.width ?? 0) / 2, 2)
        if let colorbar = layout.colorbar, let heatmap = axes.heatmap {
            let labels = colorbar.ticks.map { TickLabelText(label: $0.label, style: font).measure(renderer).width }.max() ?? 0
            colorbarLabelWidth = tickSpace + labels + (heatmap.colorbarLabel != nil ? style.labelPad + lineHeight : 0)
            let barWidth = max(8, style.colorbarFraction * (cellWidth - left))
            right = style.fontSize + barWidth + colorbarLabelWidth
        }
        if axes.legend == .outside, !layout.legend.isEmpty {
            right += style.fontSize + LegendEntry.boxSize(layout.legend, renderer: renderer, style: style).width
        }
    }

    /// Panels in a column share left and right margins, panels in a row top and bottom.
    static func aligned(_ margins: [Margins], rows: Int, columns: Int) -> [Margins] {
        var result = margins
        for index in margins.indices {
            let row = index / columns, column = index % columns
            let sameColumn = stride(from: column, to: margins.count, by: columns).map { margins[$0] }
            let sameRow = margins[row * columns..<(row + 1) * columns]
            result[index].left = sameColumn.map(\.left).max()!
            result[index].right = sameColumn.map(\.right).max()!
            result[index].top = sameRow.map(\.top).max()!
            result[index].bottom = sameRow.map(\.bottom).max()!
        }
        return result
    }
}
