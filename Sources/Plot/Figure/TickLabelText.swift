/// Sets a tick label: its text, then the superscript (if any) smaller and raised, as in 10⁻³.
struct TickLabelText {
    static let superscriptScale = 0.7
    /// Superscript baseline above the text's baseline, in ems of the label font.
    static let superscriptRise = 0.42

    let label: TickLabel
    let style: TextStyle

    private var superscriptStyle: TextStyle {
        var small = style
        small.size *= Self.superscriptScale
        return small
    }

    func measure(_ renderer: Renderer) -> TextExtent {
        let base = renderer.measureText(label.text, style: style)
        guard let superscript = label.superscript else { return base }
        let raised = renderer.measureText(superscript, style: superscriptStyle)
        let rise = Self.superscriptRise * style.size
        return TextExtent(width: base.width + raised.width, ascent: max(base.ascent, rise + raised.ascent),
                          descent: base.descent)
    }

    /// Draws the label with the anchor point of its whole box at `point`.
    func draw(at point: Point, anchor: TextAnchor, on renderer: Renderer) {
        let extent = measure(renderer)
        let left: Double = switch anchor.horizontal {
        case .left: point.x
        case .center: point.x - extent.width / 2
        case .right: point.x - extent.width
        }
        let baseline: Double = switch anchor.vertical {
        case .top: point.y + extent.ascent
        case .middle: point.y + (extent.ascent - extent.descent) / 2
        case .baseline: point.y
        case .bottom: point.y - extent.descent
        }
        renderer.drawText(label.text, at: Point(left, baseline), anchor: TextAnchor(.left, .baseline), rotation: 0, style: style)
        if let superscript = label.superscript {
            let base = renderer.measureText(label.text, style: style)
            renderer.drawText(superscript, at: Point(left + base.width, baseline - Self.superscriptRise * style.size),
                              anchor: TextAnchor(.left, .baseline), rotation: 0, style: superscriptStyle)
        }
    }
}
