/// A renderer that draws nothing and remembers every call, so that layout can be tested
/// without pixels. Text is measured with fixed proportions of the font size (0.6 em per
/// character, 0.72 em ascent, 0.2 em descent) so that results do not depend on fonts.
public final class RecordingRenderer: Renderer {
    public enum Call: Equatable, Sendable {
        case stroke(Path, StrokeStyle)
        case fill(Path, Color)
        case text(String, Point, TextAnchor, rotation: Double, TextStyle)
        case image(width: Int, height: Int, Rect)
        case clip(Rect)
        case resetClip
    }

    public let size: Size
    public private(set) var calls: [Call] = []

    public init(size: Size) { self.size = size }

    public func stroke(_ path: Path, _ style: StrokeStyle) { calls.append(.stroke(path, style)) }
    public func fill(_ path: Path, _ color: Color) { calls.append(.fill(path, color)) }

    public func drawText(_ text: String, at point: Point, anchor: TextAnchor, rotation: Double, style: TextStyle) {
        calls.append(.text(text, point, anchor, rotation: rotation, style))
    }

    public func measureText(_ text: String, style: TextStyle) -> TextExtent {
        TextExtent(width: 0.6 * style.size * Double(text.count), ascent: 0.72 * style.size, descent: 0.2 * style.size)
    }

    public func drawImage(rgba: [UInt8], width: Int, height: Int, in rect: Rect) {
        calls.append(.image(width: width, height: height, rect))
    }

    public func clip(to rect: Rect) { calls.append(.clip(rect)) }
    public func resetClip() { calls.append(.resetClip) }

    /// The texts drawn, in order.
    public var texts: [String] {
        calls.compactMap { if case .text(let text, _, _, _, _) = $0 { text } else { nil } }
    }
}
