/// The whole look of a figure in one value, after matplotlib's defaults. Lengths are in
/// points (1/72 inch); a PNG maps them to pixels as pt/72 · dpi.
public struct Style: Equatable, Sendable {
    public var dotsPerInch = 150.0
    public var fontFamily = "DejaVu Sans"
    public var fontSize = 10.0
    /// Titles are set this many times larger than other text.
    public var titleScale = 1.2
    public var textColor = Color(hex: 0x000000)
    public var background = Color.white
    public var lineWidth = 1.5
    public var frameWidth = 0.8
    public var majorTickLength = 3.5
    public var minorTickLength = 2.0
    public var majorTickWidth = 0.8
    public var minorTickWidth = 0.6
    /// Space between a tick and its label, and between tick labels and the axis label.
    public var tickLabelPad = 3.5
    public var labelPad = 4.0
    /// Space around the whole figure and between panels.
    public var figurePad = 6.0
    /// Autoscale margin on each side, as a fraction of the data span.
    public var dataMargin = 0.05
    public var gridColor = Color(hex: 0xB0B0B0)
    public var gridWidth = 0.8
    public var bandAlpha = 0.25
    /// Marker diameter.
    public var markerSize = 6.0
    public var categoricalColors = ColorCycle.okabeIto
    public var legendFontScale = 0.9
    public var legendFrame = Color(hex: 0xCCCCCC)
    /// Colour bar width as a fraction of the panel's plot width.
    public var colorbarFraction = 0.05

    public init() {}

    public static let standard = Style()

    var font: TextStyle { TextStyle(size: fontSize, color: textColor, family: fontFamily) }
    var titleFont: TextStyle { TextStyle(size: fontSize * titleScale, color: textColor, family: fontFamily) }
    var legendFont: TextStyle { TextStyle(size: fontSize * legendFontScale, color: textColor, family: fontFamily) }
}
