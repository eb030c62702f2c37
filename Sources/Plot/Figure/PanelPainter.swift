/// Draws one panel in z-order: grid, heatmap, bands, lines and markers (clipped to the data
/// rectangle), then frame, ticks, labels, title, colour bar and legend.
struct PanelPainter {
    let axes: Axes
    let layout: FigureLayout.Panel
    let renderer: Renderer
    let style: Style

    private var transform: Transform { Transform(plot: layout.plot, x: layout.x, y: layout.y) }
    private var plot: Rect { layout.plot }
    /// A device pixel in points, for merging points that share a pixel column.
    private var pixelWidth: Double { 72 / style.dotsPerInch }

    func draw() throws(PlotError) {
        renderer.clip(to: plot)
        if axes.grid { drawGrid() }
        if let heatmap = axes.heatmap, let colorbar = layout.colorbar { drawHeatmap(heatmap, colorScale: colorbar.scale) }
        for item in axes.items { if case .band = item { drawItem(item) } }
        for item in axes.items {
            switch item {
            case .band, .text: continue
            default: drawItem(item)
            }
        }
        for item in axes.items { if case .text = item { drawItem(item) } }
        renderer.resetClip()
        drawFrameAndTicks()
        drawLabels()
        if let colorbar = layout.colorbar, let heatmap = axes.heatmap { drawColorbar(colorbar, label: heatmap.colorbarLabel) }
        drawLegend()
    }

    private func drawItem(_ item: PlotItem) {
        let t = transform
        switch item {
        case .line(let x, let y, _, let color, let width, let dash, let marker):
            var builder = PolylineBuilder(pixelWidth: pixelWidth)
            for i in x.indices { builder.add(t.point(x[i], y[i])) }
            renderer.stroke(builder.finish(), StrokeStyle(color: color, width: width, dash: dash.pattern(width: width)))
            // A point with no placeable neighbour has no segment to show it: draw it as a dot.
            let points = x.indices.map { t.point(x[$0], y[$0]) }
            for i in points.indices where marker == .none {
                if let p = points[i], (i == 0 || points[i - 1] == nil), (i == points.count - 1 || points[i + 1] == nil) {
                    MarkerShape.draw(.circle, at: p, size: 2 * width, color: color, renderer: renderer)
                }
            }
            if marker != .none {
                for case let p? in points where plot.contains(p) {
                    MarkerShape.draw(marker, at: p, size: style.markerSize, color: color, renderer: renderer)
                }
            }
        case .band(let x, let lower, let upper, _, let color, let alpha):
            // One polygon per run of points where x, lower and upper can all be placed.
            var run: [(Point, Point)] = []
            func flush() {
                guard run.count >= 2 else { run.removeAll(); return }
                var path = Path()
                path.move(to: run[0].0)
                for pair in run.dropFirst() { path.line(to: pair.0) }
                for pair in run.reversed() { path.line(to: pair.1) }
                path.close()
                renderer.fill(path, color.withAlpha(alpha))
                run.removeAll()
            }
            for i in x.indices {
                if let low = t.point(x[i], lower[i]), let high = t.point(x[i], upper[i]) {
                    run.append((low, high))
                } else {
                    flush()
                }
            }
            flush()
        case .scatter(let x, let y, _, let color, let size, let marker):
            for i in x.indices {
                if let p = t.point(x[i], y[i]), plot.inset(left: -size, top: -size, right: -size, bottom: -size).contains(p) {
                    MarkerShape.draw(marker, at: p, size: size, color: color, renderer: renderer)
                }
            }
        case .errorBars(let x, let lower, let upper, let color, let width):
            let stroke = StrokeStyle(color: color, width: width)
            let cap = 1.5 * style.markerSize / 2
            for i in x.indices {
                guard let low = t.point(x[i], lower[i]), let high = t.point(x[i], upper[i]) else { continue }
                renderer.stroke(.segment(low, high), stroke)
                for end in [low, high] { renderer.stroke(.segment(Point(end.x - cap, end.y), Point(end.x + cap, end.y)), stroke) }
            }
        case .horizontalLine(let y, _, let color, let width, let dash):
            if let py = t.yCoordinate(y) {
                renderer.stroke(.segment(Point(plot.minX, py), Point(plot.maxX, py)),
                                StrokeStyle(color: color, width: width, dash: dash.pattern(width: width)))
            }
        case .verticalLine(let x, _, let color, let width, let dash):
            if let px = t.xCoordinate(x) {
                renderer.stroke(.segment(Point(px, plot.minY), Point(px, plot.maxY)),
                                StrokeStyle(color: color, width: width, dash: dash.pattern(width: width)))
            }
        case .text(let text, let x, let y, let anchor):
            if let p = t.point(x, y) {
                renderer.drawText(text, at: p, anchor: anchor, rotation: 0, style: style.font)
            }
        }
    }

    private func drawGrid() {
        let stroke = StrokeStyle(color: style.gridColor, width: style.gridWidth)
        for tick in layout.xTicks {
            if let px = transform.xCoordinate(tick.value) {
                renderer.stroke(.segment(Point(px, plot.minY), Point(px, plot.maxY)), stroke)
            }
        }
        for tick in layout.yTicks {
            if let py = transform.yCoordinate(tick.value) {
                renderer.stroke(.segment(Point(plot.minX, py), Point(plot.maxX, py)), stroke)
            }
        }
    }

    private func drawHeatmap(_ heatmap: HeatmapItem, colorScale: Scale) {
        let t = transform
        guard let x0 = t.xCoordinate(heatmap.x.lowerBound), let x1 = t.xCoordinate(heatmap.x.upperBound),
              let y0 = t.yCoordinate(heatmap.y.lowerBound), let y1 = t.yCoordinate(heatmap.y.upperBound) else { return }
        let rect = Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0))
        renderer.drawImage(rgba: heatmap.pixels(colorScale), width: heatmap.columns, height: heatmap.rows, in: rect)
    }

    private func drawFrameAndTicks() {
        let frame = StrokeStyle(color: style.textColor, width: style.frameWidth, cap: .square, join: .miter)
        renderer.stroke(.rect(plot), frame)
        let major = StrokeStyle(color: style.textColor, width: style.majorTickWidth)
        let minor = StrokeStyle(color: style.textColor, width: style.minorTickWidth)
        let t = transform
        for value in layout.xMinor {
            if let px = t.xCoordinate(value) {
                renderer.stroke(.segment(Point(px, plot.maxY), Point(px, plot.maxY + style.minorTickLength)), minor)
            }
        }
        for value in layout.yMinor {
            if let py = t.yCoordinate(value) {
                renderer.stroke(.segment(Point(plot.minX, py), Point(plot.minX - style.minorTickLength, py)), minor)
            }
        }
        for tick in layout.xTicks {
            guard let px = t.xCoordinate(tick.value) else { continue }
            renderer.stroke(.segment(Point(px, plot.maxY), Point(px, plot.maxY + style.majorTickLength)), major)
            if layout.showsXTickLabels {
                TickLabelText(label: tick.label, style: style.font).draw(
                    at: Point(px, plot.maxY + style.majorTickLength + style.tickLabelPad),
                    anchor: TextAnchor(.center, .top), on: renderer)
            }
        }
        for tick in layout.yTicks {
            guard let py = t.yCoordinate(tick.value) else { continue }
            renderer.stroke(.segment(Point(plot.minX, py), Point(plot.minX - style.majorTickLength, py)), major)
            if layout.showsYTickLabels {
                TickLabelText(label: tick.label, style: style.font).draw(
                    at: Point(plot.minX - style.majorTickLength - style.tickLabelPad, py),
                    anchor: TextAnchor(.right, .middle), on: renderer)
            }
        }
    }

    private func drawLabels() {
        let font = style.font
        let tickSpace = style.majorTickLength + style.tickLabelPad
        if let label = axes.xLabel {
            let height = layout.showsXTickLabels
                ? layout.xTicks.map { TickLabelText(label: $0.label, style: font).measure(renderer).height }.max() ?? 0 : 0
            renderer.drawText(label, at: Point(plot.minX + plot.width / 2, plot.maxY + tickSpace + height + style.labelPad),
                              anchor: TextAnchor(.center, .top), rotation: 0, style: font)
        }
        if let label = axes.yLabel {
            let width = layout.showsYTickLabels
                ? layout.yTicks.map { TickLabelText(label: $0.label, style: font).measure(renderer).width }.max() ?? 0 : 0
            // Rotated a quarter turn: the text's top faces left, towards the figure's edge.
            renderer.drawText(label, at: Point(plot.minX - tickSpace - width - style.labelPad, plot.minY + plot.height / 2),
                              anchor: TextAnchor(.center, .bottom), rotation: .pi / 2, style: font)
        }
        if let title = axes.title {
            renderer.drawText(title, at: Point(plot.minX + plot.width / 2, plot.minY - style.labelPad),
                              anchor: TextAnchor(.center, .bottom), rotation: 0, style: style.titleFont)
        }
    }

    private func drawColorbar(_ colorbar: FigureLayout.Colorbar, label: String?) {
        let rect = colorbar.rect
        let steps = 256
        var gradient = [UInt8](repeating: 255, count: steps * 4)
        for i in 0..<steps {
            let color = axes.heatmap!.colormap.color(at: 1 - (Double(i) + 0.5) / Double(steps))
            gradient[i * 4] = UInt8((color.red * 255).rounded())
            gradient[i * 4 + 1] = UInt8((color.green * 255).rounded())
            gradient[i * 4 + 2] = UInt8((color.blue * 255).rounded())
        }
        renderer.drawImage(rgba: gradient, width: 1, height: steps, in: rect)
        renderer.stroke(.rect(rect), StrokeStyle(color: style.textColor, width: style.frameWidth, cap: .square, join: .miter))
        let major = StrokeStyle(color: style.textColor, width: style.majorTickWidth)
        let minor = StrokeStyle(color: style.textColor, width: style.minorTickWidth)
        func y(_ value: Double) -> Double? {
            colorbar.scale.position(of: value).map { rect.maxY - $0 * rect.height }
        }
        for value in colorbar.minor {
            if let py = y(value) { renderer.stroke(.segment(Point(rect.maxX, py), Point(rect.maxX + style.minorTickLength, py)), minor) }
        }
        var widest = 0.0
        for tick in colorbar.ticks {
            guard let py = y(tick.value) else { continue }
            renderer.stroke(.segment(Point(rect.maxX, py), Point(rect.maxX + style.majorTickLength, py)), major)
            let text = TickLabelText(label: tick.label, style: style.font)
            widest = max(widest, text.measure(renderer).width)
            text.draw(at: Point(rect.maxX + style.majorTickLength + style.tickLabelPad, py),
                      anchor: TextAnchor(.left, .middle), on: renderer)
        }
        if let label {
            let x = rect.maxX + style.majorTickLength + style.tickLabelPad + widest + style.labelPad
            renderer.drawText(label, at: Point(x, rect.minY + rect.height / 2), anchor: TextAnchor(.center, .top),
                              rotation: .pi / 2, style: style.font)
        }
    }

    private func drawLegend() {
        let entries = layout.legend
        guard !entries.isEmpty else { return }
        let hasNotes = entries.contains { !$0.hasData }
        if axes.legend == .hidden && !hasNotes { return }
        if let outside = layout.outsideLegend {
            LegendEntry.draw(entries, at: Point(outside.x, outside.y), renderer: renderer, style: style)
            return
        }
        let size = LegendEntry.boxSize(entries, renderer: renderer, style: style)
        LegendEntry.draw(entries, at: LegendPlacer(plot: plot, size: size, pad: LegendEntry.axesPad * style.legendFont.size)
                            .bestOrigin(avoiding: dataPoints()), renderer: renderer, style: style)
    }

    /// Up to a few thousand device points per series: what a legend should not cover. A line
    /// counts along its segments too (a point every few points of length), since a legend
    /// between two far-apart vertices would hide the segment joining them.
    private func dataPoints() -> [Point] {
        var points: [Point] = []
        let t = transform
        for item in axes.items {
            let all = item.points
            let step = max(1, all.count / 4000)
            var previous: Point?
            for index in stride(from: 0, to: all.count, by: step) {
                let (x, y) = all[index]
                switch (x, y) {
                case let (x?, y?):
                    let p = t.point(x, y)
                    if let p {
                        if case .line = item, let previous { points += Self.samples(from: previous, to: p) }
                        points.append(p)
                    }
                    previous = p
                case let (nil, y?): if let py = t.yCoordinate(y) {
                    points += stride(from: plot.minX, through: plot.maxX, by: plot.width / 20).map { Point($0, py) }
                }
                case let (x?, nil): if let px = t.xCoordinate(x) {
                    points += stride(from: plot.minY, through: plot.maxY, by: plot.height / 20).map { Point(px, $0) }
                }
                default: break
                }
            }
        }
        return points
    }

    /// Points every 4 pt strictly between a and b (at most 200).
    private static func samples(from a: Point, to b: Point) -> [Point] {
        let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
        let count = min(Int(length / 4), 200)
        guard count > 1 else { return [] }
        return (1..<count).map { i in
            let f = Double(i) / Double(count)
            return Point(a.x + f * (b.x - a.x), a.y + f * (b.y - a.y))
        }
    }
}

/// Chooses where a legend covers the fewest data points, trying the positions in
/// matplotlib's order of preference (upper right first).
struct LegendPlacer {
    let plot: Rect
    let size: Size
    let pad: Double

    func bestOrigin(avoiding points: [Point]) -> Point {
        let left = plot.minX + pad, right = plot.maxX - pad - size.width
        let top = plot.minY + pad, bottom = plot.maxY - pad - size.height
        let centerX = plot.minX + (plot.width - size.width) / 2, centerY = plot.minY + (plot.height - size.height) / 2
        let candidates = [
            Point(right, top), Point(left, top), Point(left, bottom), Point(right, bottom),
            Point(right, centerY), Point(left, centerY), Point(centerX, bottom), Point(centerX, top), Point(centerX, centerY),
        ]
        var best = candidates[0]
        var fewest = Int.max
        for origin in candidates {
            let box = Rect(x: origin.x, y: origin.y, width: size.width, height: size.height)
            let covered = points.reduce(0) { $0 + (box.contains($1) ? 1 : 0) }
            if covered < fewest {
                fewest = covered
                best = origin
            }
        }
        return best
    }
}
