/// How a path's outline is drawn. Widths and dash lengths are in points.
public struct StrokeStyle: Equatable, Sendable {
    public enum Cap: Sendable { case butt, round, square }
    public enum Join: Sendable { case miter, round, bevel }

    public var color: Color
    public var width: Double
    /// Alternating on/off lengths in points; empty for a solid line.
    public var dash: [Double]
    public var cap: Cap
    public var join: Join

    public init(color: Color, width: Double, dash: [Double] = [], cap: Cap = .butt, join: Join = .round) {
        self.color = color
        self.width = width
        self.dash = dash
        self.cap = cap
        self.join = join
    }
}

/// How text is set: size in points.
public struct TextStyle: Equatable, Sendable {
    public enum Weight: Sendable { case normal, bold }

    public var size: Double
    public var color: Color
    public var weight: Weight
    public var family: String

    public init(size: Double, color: Color = .black, weight: Weight = .normal, family: String = "DejaVu Sans") {
        self.size = size
        self.color = color
        self.weight = weight
        self.family = family
    }
}

/// Which point of a text's box is placed at the given position.
public struct TextAnchor: Equatable, Sendable {
    public enum Horizontal: Sendable { case left, center, right }
    public enum Vertical: Sendable { case top, middle, baseline, bottom }

    public var horizontal: Horizontal
    public var vertical: Vertical

    public init(_ horizontal: Horizontal, _ vertical: Vertical) {
        self.horizontal = horizontal
        self.vertical = vertical
    }
}

/// The measured box of a text: width, and extent above and below the baseline, in points.
public struct TextExtent: Equatable, Sendable {
    public var width: Double
    public var ascent: Double
    public var descent: Double

    public init(width: Double, ascent: Double, descent: Double) {
        self.width = width
        self.ascent = ascent
        self.descent = descent
    }

    public var height: Double { ascent + descent }
}
