import AtomicIO
import Foundation

extension Figure {
    /// PNG bytes at the style's DPI, with the provenance as text chunks and the DPI as pHYs.
    public func pngData(provenance: Provenance) throws(PlotError) -> Data {
        let renderer = try CairoRenderer(size: size, format: .image(dotsPerInch: style.dotsPerInch))
        try draw(on: renderer)
        try renderer.checkStatus()
        let metadata = ImageMetadata(provenance, dotsPerInch: style.dotsPerInch)
        return try renderer.imageData { pixels, width, height, stride throws(PlotError) in
            try PNGEncoder.encode(argb32: pixels, width: width, height: height, stride: stride, metadata: metadata)
        }
    }

    /// SVG bytes, with the provenance in a `<metadata>` element; the same figure gives the
    /// same bytes wherever and whenever it is drawn.
    public func svgData(provenance: Provenance) throws(PlotError) -> Data {
        let renderer = try CairoRenderer(size: size, format: .svg)
        try draw(on: renderer)
        return SVGMetadata.insert(provenance, into: SVGIdentifiers.renumber(try renderer.finishDocument()))
    }

    /// PDF bytes, with the provenance as the document's Creator, Subject and Keywords.
    public func pdfData(provenance: Provenance) throws(PlotError) -> Data {
        let renderer = try CairoRenderer(size: size, format: .pdf)
        renderer.setPDFMetadata(provenance)
        try draw(on: renderer)
        return try renderer.finishDocument()
    }

    /// Writes the figure atomically as PNG, SVG or PDF, chosen by the file's extension.
    /// - Throws: `PlotError` naming the path: an unknown extension, a drawing problem, or a
    ///   write failure (missing directory, permission, disk full). No partial file is left.
    public func write(to url: URL, provenance: Provenance) throws(PlotError) {
        let data: Data
        do throws(PlotError) {
            switch url.pathExtension.lowercased() {
            case "png": data = try pngData(provenance: provenance)
            case "svg": data = try svgData(provenance: provenance)
            case "pdf": data = try pdfData(provenance: provenance)
            default: throw PlotError("unknown figure format '.\(url.pathExtension)'; expected .png, .svg or .pdf")
            }
        } catch {
            throw PlotError("\(url.path): \(error.message)")
        }
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw PlotError(error.description)
        }
    }
}

/// Cairo's SVG surface has no metadata API, so the provenance goes in as an element right
/// after the opening `<svg …>` tag.
enum SVGMetadata {
    static func insert(_ provenance: Provenance, into document: Data) -> Data {
        guard var text = String(data: document, encoding: .utf8),
              let open = text.range(of: "<svg"), let end = text[open.upperBound...].firstIndex(of: ">") else { return document }
        let fields = provenance.fields.map { "\($0.key): \($0.value)" }
        let element = "\n<metadata>\(escape(fields.joined(separator: "\n")))</metadata>"
        text.insert(contentsOf: element, at: text.index(after: end))
        return Data(text.utf8)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
