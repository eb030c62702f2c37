/// What a figure is drawn on. Coordinates are in points (1/72 inch) from the top left; an
/// implementation maps them to its device (pixels at the figure's DPI, or vector units).
/// The figure code draws through this protocol only, so a recording renderer can stand in
/// for Cairo in layout tests.
public protocol Renderer: AnyObject {
    /// The drawing area in points.
    var size: Size { get }
    func stroke(_ path: Path, _ style: StrokeStyle)
    func fill(_ path: Path, _ color: Color)
    /// Draws `text` so that the `anchor` point of its box lands on `point`, rotated by
    /// `rotation` radians counter-clockwise about that point.
    func drawText(_ text: String, at point: Point, anchor: TextAnchor, rotation: Double, style: TextStyle)
    func measureText(_ text: String, style: TextStyle) -> TextExtent
    /// Draws an image of straight-alpha RGBA8 pixels (row 0 at the top) scaled into `rect`
    /// without smoothing, so that each pixel stays a sharp cell (heatmaps).
    func drawImage(rgba: [UInt8], width: Int, height: Int, in rect: Rect)
    /// Restricts drawing to `rect` until `resetClip`.
    func clip(to rect: Rect)
    func resetClip()
}
