/// A continuous colour map: a table of colours evenly spaced over [0, 1], linearly
/// interpolated in sRGB between entries.
///
/// The built-in maps are matplotlib's, sampled at 256 points by `scripts/make_colormaps.py`.
public struct Colormap: Sendable, Equatable {
    /// The map's name, as matplotlib calls it (`viridis`, `RdBu_r`).
    public let name: String
    /// The table, first entry at t = 0 and last at t = 1; at least one entry.
    public let colors: [Color]

    /// A map through `colors`, evenly spaced over [0, 1].
    /// - Precondition: `colors` is not empty.
    public init(name: String, colors: [Color]) {
        precondition(!colors.isEmpty, "colormap \(name) needs at least one colour")
        self.name = name
        self.colors = colors
    }

    /// A map from a flat table of r, g, b triples in [0, 1].
    init(name: String, rgb table: [Double]) {
        precondition(table.count % 3 == 0)
        self.init(name: name, colors: stride(from: 0, to: table.count, by: 3).map {
            Color(red: table[$0], green: table[$0 + 1], blue: table[$0 + 2])
        })
    }

    /// The colour at `t`, clamped to [0, 1] and linearly interpolated between neighbouring
    /// entries. A NaN `t` gives the first entry; drawing NaN cells in `Colormap.missing` is the
    /// caller's job.
    public func color(at t: Double) -> Color {
        guard colors.count > 1, !t.isNaN else { return colors[0] }
        let x = min(max(t, 0), 1) * Double(colors.count - 1)
        let i = min(Int(x), colors.count - 2)
        let f = x - Double(i)
        let a = colors[i], b = colors[i + 1]
        return Color(red: a.red + f * (b.red - a.red), green: a.green + f * (b.green - a.green),
                     blue: a.blue + f * (b.blue - a.blue), alpha: a.alpha + f * (b.alpha - a.alpha))
    }

    /// matplotlib's viridis (256 entries): perceptually uniform, luminance rising from dark
    /// purple #440154 to yellow #FDE725; the default for heatmaps. CC0.
    public static let viridis = Colormap(name: "viridis", rgb: viridisTable)

    /// matplotlib's `RdBu_r` (256 entries): ColorBrewer's red–blue diverging map reversed, so
    /// low values are blue (#053061), the middle is a near-white neutral (#F7F7F7) and high
    /// values are red (#67001F). For signed data centred on zero.
    public static let diverging = Colormap(name: "RdBu_r", rgb: divergingTable)

    /// The neutral colour for NaN (missing) cells: mid grey #8C8C8C, chosen as the grey
    /// farthest (in CIELAB) from every entry of both `viridis` and `diverging` — ΔE ≥ 26 from
    /// each, where a just-noticeable difference is about 2.3.
    public static let missing = Color(hex: 0x8C8C8C)
}
