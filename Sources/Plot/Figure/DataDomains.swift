/// The scales of each panel: autoscaled from the data it can place, with margins, unless
/// limits are given; a shared axis takes the union across all panels.
enum DataDomains {
    static func resolve(_ figure: Figure) throws(PlotError) -> [(x: Scale, y: Scale)] {
        var domains: [(x: Scale, y: Scale)] = []
        for panel in figure.panels {
            domains.append((try scale(panel, axis: .x, kind: panel.xScale, limits: panel.xLimits, margin: figure.style.dataMargin),
                            try scale(panel, axis: .y, kind: panel.yScale, limits: panel.yLimits, margin: figure.style.dataMargin)))
        }
        // Shared axes have one domain across all panels, as matplotlib's sharex/sharey=True.
        if figure.sharedX {
            let union = try unite(domains.map(\.x))
            for i in domains.indices { domains[i].x = union }
        }
        if figure.sharedY {
            let union = try unite(domains.map(\.y))
            for i in domains.indices { domains[i].y = union }
        }
        return domains
    }

    enum Axis { case x, y }

    private static func scale(_ panel: Axes, axis: Axis, kind: ScaleKind, limits: Limits, margin: Double) throws(PlotError) -> Scale {
        let other = axis == .x ? panel.yScale : panel.xScale
        var values: [Double] = []
        for item in panel.items {
            for point in item.points {
                let (mine, theirs) = axis == .x ? (point.x, point.y) : (point.y, point.x)
                guard let mine, mine.isFinite, kind == .linear || mine > 0 else { continue }
                // A point counts only if it can be placed on the other axis too.
                if let theirs, !(theirs.isFinite && (other == .linear || theirs > 0)) { continue }
                values.append(mine)
            }
        }
        var heatmapRange: ClosedRange<Double>?
        if let heatmap = panel.heatmap {
            heatmapRange = axis == .x ? heatmap.x : heatmap.y
        }
        do {
            if values.isEmpty, let heatmapRange {
                // An image fills its extent exactly, as matplotlib's imshow does.
                return try Scale.autoscaled(kind, values: [heatmapRange.lowerBound, heatmapRange.upperBound], margin: 0,
                                            lower: limits.lower, upper: limits.upper)
            }
            if let heatmapRange { values += [heatmapRange.lowerBound, heatmapRange.upperBound] }
            if values.isEmpty {
                // Nothing placeable: a default domain, and the legend says why it is empty.
                let fallback = kind == .linear ? [0.0, 1.0] : [1.0, 10.0]
                return try Scale.autoscaled(kind, values: fallback, margin: 0, lower: limits.lower, upper: limits.upper)
            }
            return try Scale.autoscaled(kind, values: values, margin: margin, lower: limits.lower, upper: limits.upper)
        } catch {
            throw PlotError("\(axis == .x ? "x" : "y") axis\(panel.title.map { " of '\($0)'" } ?? ""): \(error.message)")
        }
    }

    private static func unite(_ scales: [Scale]) throws(PlotError) -> Scale {
        try Scale(scales[0].kind, lower: scales.map(\.lower).min()!, upper: scales.map(\.upper).max()!)
    }
}
