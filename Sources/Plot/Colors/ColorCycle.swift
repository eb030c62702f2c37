/// The categorical colours that series take in turn.
public enum ColorCycle {
    /// The Okabe–Ito colour-blind-safe palette (Okabe & Ito, 2008, "Color Universal Design"),
    /// reordered for lines on white: yellow, which is faint as a thin line, moves from fourth
    /// to seventh, and black from first to last, so the first six series get the strongest
    /// colours: orange, sky blue, bluish green, blue, vermillion, reddish purple, yellow, black.
    public static let okabeIto: [Color] = [
        Color(hex: 0xE69F00),  // orange
        Color(hex: 0x56B4E9),  // sky blue
        Color(hex: 0x009E73),  // bluish green
        Color(hex: 0x0072B2),  // blue
        Color(hex: 0xD55E00),  // vermillion
        Color(hex: 0xCC79A7),  // reddish purple
        Color(hex: 0xF0E442),  // yellow
        Color(hex: 0x000000),  // black
    ]

    /// The colour of the `index`-th series: `okabeIto` repeated, so index 8 is orange again.
    /// Negative indices wrap too.
    public static func color(_ index: Int) -> Color {
        let count = okabeIto.count
        return okabeIto[((index % count) + count) % count]
    }
}
