/// A heatmap and its colour bar, as given to `Axes.heatmap`.
struct HeatmapItem {
    let values: [Double]
    let rows: Int
    let columns: Int
    let x: ClosedRange<Double>
    let y: ClosedRange<Double>
    let colormap: Colormap
    let colorScale: ScaleKind
    let colorLimits: Limits
    let colorbarLabel: String?

    func validate() throws(PlotError) {
        guard rows > 0, columns > 0 else { throw PlotError("heatmap: needs at least one row and one column, got \(rows)×\(columns)") }
        guard values.count == rows * columns else {
            throw PlotError("heatmap: \(rows)×\(columns) cells need \(rows * columns) values, got \(values.count)")
        }
        guard x.lowerBound.isFinite, x.upperBound.isFinite, y.lowerBound.isFinite, y.upperBound.isFinite,
              x.lowerBound < x.upperBound, y.lowerBound < y.upperBound else {
            throw PlotError("heatmap: extent x \(x), y \(y) must be finite and non-empty")
        }
    }

    /// The colour scale: the given limits, else the range of the values it can place.
    func colorDomain() throws(PlotError) -> Scale {
        let placeable = values.filter { $0.isFinite && (colorScale == .linear || $0 > 0) }
        if placeable.isEmpty && (colorLimits.lower == nil || colorLimits.upper == nil) {
            throw PlotError("heatmap: no value can be coloured (all NaN, infinite\(colorScale == .log ? " or ≤ 0 on a log colour scale" : ""))")
        }
        return try Scale.autoscaled(colorScale, values: placeable, margin: 0,
                                    lower: colorLimits.lower, upper: colorLimits.upper)
    }

    /// Straight-alpha RGBA pixels, image row 0 = top = the last data row.
    func pixels(_ scale: Scale) -> [UInt8] {
        var rgba = [UInt8](repeating: 0, count: rows * columns * 4)
        for row in 0..<rows {
            for column in 0..<columns {
                let value = values[row * columns + column]
                let color = scale.position(of: value).map { colormap.color(at: min(max($0, 0), 1)) } ?? Colormap.missing
                let i = ((rows - 1 - row) * columns + column) * 4
                rgba[i] = UInt8((color.red * 255).rounded())
                rgba[i + 1] = UInt8((color.green * 255).rounded())
                rgba[i + 2] = UInt8((color.blue * 255).rounded())
                rgba[i + 3] = UInt8((color.alpha * 255).rounded())
            }
        }
        return rgba
    }
}
