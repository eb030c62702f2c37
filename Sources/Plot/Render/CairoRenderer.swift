import CCairo
import Foundation

/// Draws with Cairo on an image surface (for PNG), or on an SVG or PDF surface that streams
/// into memory. Coordinates arrive in points; the image surface is scaled by dpi/72.
public final class CairoRenderer: Renderer {
    public enum Format: Equatable, Sendable {
        case image(dotsPerInch: Double)
        case svg
        case pdf
    }

    public let size: Size
    let format: Format
    let surface: CairoSurface
    let context: CairoContext
    /// Collects the bytes an SVG or PDF surface writes.
    private let stream: ByteSink?

    /// - Throws: `PlotError` if Cairo cannot create the surface (e.g. a size too large).
    public init(size: Size, format: Format) throws(PlotError) {
        self.size = size
        self.format = format
        switch format {
        case .image(let dpi):
            let width = Int32((size.width * dpi / 72).rounded())
            let height = Int32((size.height * dpi / 72).rounded())
            guard width > 0, height > 0, width <= 32767, height <= 32767 else {
                throw PlotError("figure of \(size.width)×\(size.height) pt at \(dpi) dpi is \(width)×\(height) pixels; "
                                + "Cairo images must be 1…32767 pixels on each side")
            }
            surface = try CairoSurface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height), "image surface")
            stream = nil
        case .svg, .pdf:
            let sink = ByteSink()
            let closure = Unmanaged.passUnretained(sink).toOpaque()
            let raw = format == .svg
                ? cairo_svg_surface_create_for_stream(ByteSink.write, closure, size.width, size.height)
                : cairo_pdf_surface_create_for_stream(ByteSink.write, closure, size.width, size.height)
            surface = try CairoSurface(raw, format == .svg ? "SVG surface" : "PDF surface")
            stream = sink
        }
        context = try CairoContext(surface)
        if case .image(let dpi) = format {
            cairo_scale(context.pointer, dpi / 72, dpi / 72)
        }
        // Unhinted metrics: text measures the same in PNG, SVG and PDF, so layouts agree.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_set_font_options(context.pointer, options)
        cairo_font_options_destroy(options)
    }

    public func stroke(_ path: Path, _ style: StrokeStyle) {
        let cr = context.pointer
        trace(path)
        setColor(style.color)
        cairo_set_line_width(cr, style.width)
        style.dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        switch style.cap {
        case .butt: cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        case .round: cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        case .square: cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE)
        }
        switch style.join {
        case .miter: cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
        case .round: cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        case .bevel: cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL)
        }
        cairo_stroke(cr)
    }

    public func fill(_ path: Path, _ color: Color) {
        trace(path)
        setColor(color)
        cairo_fill(context.pointer)
    }

    public func drawText(_ text: String, at point: Point, anchor: TextAnchor, rotation: Double, style: TextStyle) {
        let cr = context.pointer
        let extent = measureText(text, style: style)
        cairo_save(cr)
        cairo_translate(cr, point.x, point.y)
        cairo_rotate(cr, -rotation)  // y grows downwards: a negative angle turns counter-clockwise
        let dx: Double = switch anchor.horizontal {
        case .left: 0
        case .center: -extent.width / 2
        case .right: -extent.width
        }
        let dy: Double = switch anchor.vertical {
        case .top: extent.ascent
        case .middle: (extent.ascent - extent.descent) / 2
        case .baseline: 0
        case .bottom: -extent.descent
        }
        cairo_move_to(cr, dx, dy)
        setColor(style.color)
        cairo_show_text(cr, text)
        cairo_restore(cr)
    }

    public func measureText(_ text: String, style: TextStyle) -> TextExtent {
        let cr = context.pointer
        selectFont(style)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        // The ink box, so that labels centre on their glyphs rather than on the font's box.
        return TextExtent(width: extents.x_advance, ascent: max(0, -extents.y_bearing),
                          descent: max(0, extents.height + extents.y_bearing))
    }

    public func drawImage(rgba: [UInt8], width: Int, height: Int, in rect: Rect) {
        guard width > 0, height > 0, rgba.count == width * height * 4,
              let image = try? CairoSurface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)), "image")
        else { return }
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(width)))
        cairo_surface_flush(image.pointer)
        let data = cairo_image_surface_get_data(image.pointer)!
        for row in 0..<height {
            let line = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<width {
                let i = (row * width + column) * 4
                let alpha = UInt32(rgba[i + 3])
                func premultiplied(_ c: UInt8) -> UInt32 { (UInt32(c) * alpha + 127) / 255 }
                line[column] = alpha << 24 | premultiplied(rgba[i]) << 16 | premultiplied(rgba[i + 1]) << 8
                    | premultiplied(rgba[i + 2])
            }
        }
        cairo_surface_mark_dirty(image.pointer)
        let cr = context.pointer
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(width), rect.height / Double(height))
        cairo_set_source_surface(cr, image.pointer, 0, 0)
        // Sharp cells when enlarged; averaged when more cells than device pixels, so that no
        // column of data silently disappears.
        let devicePixels = if case .image(let dpi) = format { rect.width * dpi / 72 } else { Double.infinity }
        let filter = Double(width) > devicePixels ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST
        cairo_pattern_set_filter(cairo_get_source(cr), filter)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    public func clip(to rect: Rect) {
        cairo_reset_clip(context.pointer)
        cairo_rectangle(context.pointer, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context.pointer)
    }

    public func resetClip() { cairo_reset_clip(context.pointer) }

    /// Ends drawing and checks the context's status.
    func checkStatus() throws(PlotError) {
        let status = cairo_status(context.pointer)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError("drawing failed: \(String(cString: cairo_status_to_string(status)))")
        }
    }

    /// For SVG and PDF: finishes the surface and returns the document's bytes.
    func finishDocument() throws(PlotError) -> Data {
        try checkStatus()
        cairo_surface_finish(surface.pointer)
        try surface.checkStatus()
        return stream?.data ?? Data()
    }

    /// Hands the finished image's pixels (Cairo ARGB32: premultiplied, native-endian) to `body`.
    func imageData<T>(
        _ body: (UnsafeRawPointer, _ width: Int, _ height: Int, _ stride: Int) throws(PlotError) -> T
    ) throws(PlotError) -> T {
        cairo_surface_flush(surface.pointer)
        try surface.checkStatus()
        guard let data = cairo_image_surface_get_data(surface.pointer) else {
            throw PlotError("the figure has no image to encode")
        }
        return try body(data, Int(cairo_image_surface_get_width(surface.pointer)),
                        Int(cairo_image_surface_get_height(surface.pointer)),
                        Int(cairo_image_surface_get_stride(surface.pointer)))
    }

    /// Creator, Subject and Keywords of a PDF document.
    func setPDFMetadata(_ provenance: Provenance) {
        guard format == .pdf else { return }
        cairo_pdf_surface_set_metadata(surface.pointer, CAIRO_PDF_METADATA_CREATOR, provenance.software)
        if let description = provenance.description {
            cairo_pdf_surface_set_metadata(surface.pointer, CAIRO_PDF_METADATA_SUBJECT, description)
        }
        let keywords = provenance.fields.filter { !["Software", "Description"].contains($0.key) }
        if !keywords.isEmpty {
            cairo_pdf_surface_set_metadata(surface.pointer, CAIRO_PDF_METADATA_KEYWORDS,
                                           keywords.map { "\($0.key.lowercased()) \($0.value)" }.joined(separator: "; "))
        }
    }

    private func trace(_ path: Path) {
        let cr = context.pointer
        cairo_new_path(cr)
        for element in path.elements {
            switch element {
            case .move(let p): cairo_move_to(cr, p.x, p.y)
            case .line(let p): cairo_line_to(cr, p.x, p.y)
            case .close: cairo_close_path(cr)
            case .circle(let center, let radius):
                cairo_new_sub_path(cr)
                cairo_arc(cr, center.x, center.y, radius, 0, 2 * .pi)
                cairo_close_path(cr)
            }
        }
    }

    private func setColor(_ color: Color) {
        cairo_set_source_rgba(context.pointer, color.red, color.green, color.blue, color.alpha)
    }

    private func selectFont(_ style: TextStyle) {
        cairo_select_font_face(context.pointer, style.family, CAIRO_FONT_SLANT_NORMAL,
                               style.weight == .bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context.pointer, style.size)
    }
}

/// A growable buffer that Cairo's stream surfaces write into.
final class ByteSink {
    var data = Data()

    static let write: cairo_write_func_t = { closure, bytes, length in
        guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.data.append(bytes, count: Int(length))
        return CAIRO_STATUS_SUCCESS
    }
}
