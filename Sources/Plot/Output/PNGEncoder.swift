import AtomicIO
import CPNG
import Foundation

/// Writes Cairo image surfaces as PNG through libpng, with provenance text and resolution.
///
/// The output is deterministic: the same pixels and metadata give the same bytes (no time
/// stamp). Fully opaque images are stored as 8-bit RGB, others as 8-bit RGBA.
public enum PNGEncoder {
    /// PNG bytes from a Cairo ARGB32 image (premultiplied, native-endian, `stride` bytes per row).
    ///
    /// - Parameters:
    ///   - pixels: `height` rows of `width` pixels, rows `stride` bytes apart, as
    ///     `cairo_image_surface_get_data` returns them after `cairo_surface_flush`.
    ///   - width: 1…1,000,000 pixels. - height: 1…1,000,000 pixels.
    ///   - stride: at least `4 * width` bytes.
    ///   - metadata: the text chunks and the pHYs resolution.
    /// - Colours are un-premultiplied with rounding; a pixel with alpha 0 becomes 0,0,0,0.
    /// - Throws: `PlotError` for sizes out of range, a resolution that is not positive, text
    ///   containing NUL, or a libpng failure, naming which.
    public static func encode(
        argb32 pixels: UnsafeRawPointer, width: Int, height: Int, stride: Int, metadata: ImageMetadata
    ) throws(PlotError) -> Data {
        let limit = 1_000_000
        guard (1...limit).contains(width), (1...limit).contains(height) else {
            throw PlotError("cannot encode a \(width)×\(height) PNG: both sides must be 1 to \(limit) pixels")
        }
        guard stride >= 4 * width else {
            throw PlotError("cannot encode a \(width)×\(height) PNG: row stride \(stride) bytes is less than 4 × width = \(4 * width)")
        }
        guard let pixelsPerMetre = metadata.pixelsPerMetre else {
            throw PlotError("cannot encode a PNG at \(metadata.dotsPerInch) dpi: expected a positive, finite resolution")
        }
        let chunks = metadata.textChunks
        for chunk in chunks where chunk.value.utf8.contains(0) {
            throw PlotError("cannot encode PNG text '\(chunk.key)': it contains a NUL character, which PNG text cannot hold")
        }

        // C copies of the strings, alive for the whole call.
        var owned: [UnsafeMutablePointer<CChar>] = []
        defer { owned.forEach { free($0) } }
        var entries: [vanish_png_text_entry] = []
        for chunk in chunks {
            guard let key = strdup(chunk.key), let value = strdup(chunk.value) else {
                throw PlotError("cannot encode PNG text '\(chunk.key)': out of memory")
            }
            owned += [key, value]
            let isASCII = chunk.value.utf8.allSatisfy { $0 < 0x80 }
            entries.append(vanish_png_text_entry(
                key: key, text: value, encoding: isASCII ? VANISH_PNG_TEXT_LATIN1 : VANISH_PNG_TEXT_UTF8))
        }

        var output = vanish_png_buffer()
        var message = [CChar](repeating: 0, count: Int(VANISH_PNG_MESSAGE_CAPACITY))
        let status = entries.withUnsafeBufferPointer { texts in
            vanish_png_encode_argb32(
                &output, pixels, UInt32(width), UInt32(height), stride,
                texts.baseAddress, texts.count, UInt32(pixelsPerMetre), &message)
        }
        guard status == VANISH_PNG_OK, let bytes = output.bytes else {
            vanish_png_buffer_free(&output)
            throw PlotError("cannot encode a \(width)×\(height) PNG: \(String(cString: message))")
        }
        // The buffer came from realloc: Data takes it over and frees it.
        return Data(bytesNoCopy: bytes, count: output.count, deallocator: .free)
    }

    /// Encodes and writes atomically (AtomicFile): errors name the path (missing directory,
    /// read-only, disk full); a failed write leaves no file, and never an empty one.
    /// - Throws: `PlotError` "<path>: <what went wrong>" for a write failure, or as `encode`.
    public static func write(
        argb32 pixels: UnsafeRawPointer, width: Int, height: Int, stride: Int, metadata: ImageMetadata, to url: URL
    ) throws(PlotError) {
        let data: Data
        do {
            data = try encode(argb32: pixels, width: width, height: height, stride: stride, metadata: metadata)
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
