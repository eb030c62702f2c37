/// One row of a legend: a sample of the series' look and its label. A series with no point
/// that can be drawn still gets a row, saying so, so that an empty axes is never silent.
struct LegendEntry {
    enum Sample {
        case line(Color, width: Double, dash: Dash, marker: Marker)
        case band(Color, alpha: Double)
        case marker(Color, Marker, size: Double)
    }

    let label: String
    let sample: Sample
    let hasData: Bool

    // Proportions of the font size, as matplotlib's legend defaults.
    static let borderPad = 0.4, handleLength = 2.0, handlePad = 0.8, rowSpacing = 0.5, axesPad = 0.5

    static func entries(for axes: Axes) -> [LegendEntry] {
        func placeable(_ value: Double, _ kind: ScaleKind) -> Bool { value.isFinite && (kind == .linear || value > 0) }
        var entries: [LegendEntry] = []
        for item in axes.items {
            let sample: Sample
            let hasData: Bool
            switch item {
            case .line(let x, let y, _, let color, let width, let dash, let marker):
                sample = .line(color, width: width, dash: dash, marker: marker)
                hasData = zip(x, y).contains { placeable($0, axes.xScale) && placeable($1, axes.yScale) }
            case .band(let x, let lower, let upper, _, let color, let alpha):
                sample = .band(color, alpha: alpha)
                hasData = x.indices.contains {
                    placeable(x[$0], axes.xScale) && placeable(lower[$0], axes.yScale) && placeable(upper[$0], axes.yScale)
                }
            case .scatter(let x, let y, _, let color, let size, let marker):
                sample = .marker(color, marker, size: size)
                hasData = zip(x, y).contains { placeable($0, axes.xScale) && placeable($1, axes.yScale) }
            case .horizontalLine(let y, _, let color, let width, let dash):
                sample = .line(color, width: width, dash: dash, marker: .none)
                hasData = placeable(y, axes.yScale)
            case .verticalLine(let x, _, let color, let width, let dash):
                sample = .line(color, width: width, dash: dash, marker: .none)
                hasData = placeable(x, axes.xScale)
            case .text, .errorBars:
                continue
            }
            if hasData, let label = item.label {
                entries.append(LegendEntry(label: label, sample: sample, hasData: true))
            } else if !hasData {
                entries.append(LegendEntry(label: "\(item.label ?? item.kind): no finite data to draw", sample: sample, hasData: false))
            }
        }
        return entries
    }

    static func boxSize(_ entries: [LegendEntry], renderer: Renderer, style: Style) -> Size {
        let font = style.legendFont
        let em = font.size
        let rowHeight = self.rowHeight(renderer, style)
        let textWidth = entries.map { renderer.measureText($0.label, style: font).width }.max() ?? 0
        let rows = Double(entries.count)
        return Size(width: 2 * borderPad * em + (handleLength + handlePad) * em + textWidth,
                    height: 2 * borderPad * em + rows * rowHeight + max(rows - 1, 0) * rowSpacing * em)
    }

    static func rowHeight(_ renderer: Renderer, _ style: Style) -> Double {
        max(renderer.measureText("Ag", style: style.legendFont).height, style.markerSize)
    }

    /// Draws the legend box with its top left corner at `origin`.
    static func draw(_ entries: [LegendEntry], at origin: Point, renderer: Renderer, style: Style) {
        let font = style.legendFont
        let em = font.size
        let size = boxSize(entries, renderer: renderer, style: style)
        let box = Rect(x: origin.x, y: origin.y, width: size.width, height: size.height)
        renderer.fill(.rect(box), style.background.withAlpha(0.8))
        renderer.stroke(.rect(box), StrokeStyle(color: style.legendFrame, width: style.frameWidth))
        let rowHeight = self.rowHeight(renderer, style)
        var y = box.y + borderPad * em
        for entry in entries {
            let middle = y + rowHeight / 2
            let handle = Rect(x: box.x + borderPad * em, y: middle - rowHeight / 2, width: handleLength * em, height: rowHeight)
            drawSample(entry, in: handle, renderer: renderer, style: style)
            var text = font
            if !entry.hasData { text.color = Color(hex: 0x777777) }
            renderer.drawText(entry.label, at: Point(handle.maxX + handlePad * em, middle),
                              anchor: TextAnchor(.left, .middle), rotation: 0, style: text)
            y += rowHeight + rowSpacing * em
        }
    }

    private static func drawSample(_ entry: LegendEntry, in rect: Rect, renderer: Renderer, style: Style) {
        let middle = rect.y + rect.height / 2
        switch entry.sample {
        case .line(let color, let width, let dash, let marker):
            renderer.stroke(.segment(Point(rect.minX, middle), Point(rect.maxX, middle)),
                            StrokeStyle(color: color, width: width, dash: dash.pattern(width: width)))
            if marker != .none {
                MarkerShape.draw(marker, at: Point(rect.x + rect.width / 2, middle), size: style.markerSize,
                                 color: color, renderer: renderer)
            }
        case .band(let color, let alpha):
            let swatch = Rect(x: rect.x, y: middle - rect.height * 0.35, width: rect.width, height: rect.height * 0.7)
            renderer.fill(.rect(swatch), color.withAlpha(alpha))
        case .marker(let color, let marker, let size):
            MarkerShape.draw(marker, at: Point(rect.x + rect.width / 2, middle), size: size, color: color, renderer: renderer)
        }
    }
}

/// The shapes of point markers, centred on a point, `size` points across.
enum MarkerShape {
    static func draw(_ marker: Marker, at center: Point, size: Double, color: Color, renderer: Renderer) {
        let r = size / 2
        var path = Path()
        switch marker {
        case .none:
            return
        case .circle:
            path.addCircle(center: center, radius: r)
        case .square:
            path.addRect(Rect(x: center.x - r, y: center.y - r, width: size, height: size))
        case .triangle:
            path.move(to: Point(center.x, center.y - r))
            path.line(to: Point(center.x + r, center.y + r))
            path.line(to: Point(center.x - r, center.y + r))
            path.close()
        case .diamond:
            path.move(to: Point(center.x, center.y - r))
            path.line(to: Point(center.x + r, center.y))
            path.line(to: Point(center.x, center.y + r))
            path.line(to: Point(center.x - r, center.y))
            path.close()
        }
        renderer.fill(path, color)
    }
}
