import CPNG
import Foundation

/// A PNG file read back through libpng: pixels as straight-alpha RGBA8, text and resolution.
/// For tests and tools that check what a figure wrote.
public struct DecodedPNG: Equatable, Sendable {
    /// One pixel, straight (not premultiplied) alpha.
    public struct Pixel: Equatable, Hashable, Sendable, CustomStringConvertible {
        public var r: UInt8, g: UInt8, b: UInt8, a: UInt8

        public init(r: UInt8, g: UInt8, b: UInt8, a: UInt8 = 255) {
            self.r = r
            self.g = g
            self.b = b
            self.a = a
        }

        public var description: String { "rgba(\(r), \(g), \(b), \(a))" }
    }

    /// Resolution from a pHYs chunk, in pixels per metre along each axis.
    public struct PixelsPerMetre: Equatable, Hashable, Sendable {
        public var x: Int, y: Int

        public init(x: Int, y: Int) {
            self.x = x
            self.y = y
        }
    }

    public let width: Int
    public let height: Int
    /// Straight alpha, row-major, 4 bytes per pixel: `width * height * 4` bytes.
    public let rgba: [UInt8]
    /// Every tEXt, zTXt (read as Latin-1) and iTXt (read as UTF-8) chunk by keyword; when a
    /// keyword repeats, the first chunk wins.
    public let text: [String: String]
    /// From pHYs when its unit is the metre; nil when there is no pHYs or its unit is unknown.
    public let pixelsPerMetre: PixelsPerMetre?

    /// - Precondition: `rgba.count == width * height * 4`.
    public init(width: Int, height: Int, rgba: [UInt8], text: [String: String] = [:], pixelsPerMetre: PixelsPerMetre? = nil) {
        precondition(width >= 0 && height >= 0 && rgba.count == width * height * 4,
                     "DecodedPNG: \(rgba.count) RGBA bytes for \(width)×\(height) pixels")
        self.width = width
        self.height = height
        self.rgba = rgba
        self.text = text
        self.pixelsPerMetre = pixelsPerMetre
    }

    /// The pixel in column `x`, row `y` (row 0 at the top).
    /// - Precondition: `0 <= x < width`, `0 <= y < height`.
    public func pixel(x: Int, y: Int) -> Pixel {
        precondition((0..<width).contains(x) && (0..<height).contains(y),
                     "pixel (\(x), \(y)) is outside the \(width)×\(height) image")
        let offset = (y * width + x) * 4
        return Pixel(r: rgba[offset], g: rgba[offset + 1], b: rgba[offset + 2], a: rgba[offset + 3])
    }

    /// Decodes PNG bytes; palette, grey, 16-bit and interlaced images become RGBA8.
    /// - Throws: `PlotError` for data that is not a PNG, truncated, or has a bad CRC in any chunk.
    public static func decode(_ data: Data) throws(PlotError) -> DecodedPNG {
        try decode(data, source: "PNG data")
    }

    /// Reads and decodes the PNG file at `url`.
    /// - Throws: `PlotError` "<path>: <problem>" when the file cannot be read or decoded.
    public static func read(_ url: URL) throws(PlotError) -> DecodedPNG {
        let data = try readFile(url.path)
        return try decode(data, source: url.path)
    }

    private static func decode(_ data: Data, source: String) throws(PlotError) -> DecodedPNG {
        var image = vanish_png_image()
        var message = [CChar](repeating: 0, count: Int(VANISH_PNG_MESSAGE_CAPACITY))
        let status = data.withUnsafeBytes { bytes in
            vanish_png_decode(&image, bytes.baseAddress, bytes.count, &message)
        }
        guard status == VANISH_PNG_OK else {
            throw PlotError("\(source): cannot decode PNG: \(String(cString: message))")
        }
        defer { vanish_png_image_free(&image) }

        let width = Int(image.width), height = Int(image.height)
        let rgba = Array(UnsafeBufferPointer(start: image.rgba, count: width * height * 4))
        var text: [String: String] = [:]
        for index in 0..<image.text_count {
            let entry = image.texts[index]
            let key = latin1(UnsafeBufferPointer(start: UnsafeRawPointer(entry.key).assumingMemoryBound(to: UInt8.self),
                                                 count: strlen(entry.key)))
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(entry.text).assumingMemoryBound(to: UInt8.self),
                                            count: entry.text_length)
            let value = entry.encoding == VANISH_PNG_TEXT_UTF8 ? String(decoding: bytes, as: UTF8.self) : latin1(bytes)
            if text[key] == nil { text[key] = value }
        }
        let resolution = image.has_phys != 0 && image.phys_unit == 1
            ? PixelsPerMetre(x: Int(image.phys_x), y: Int(image.phys_y)) : nil
        return DecodedPNG(width: width, height: height, rgba: rgba, text: text, pixelsPerMetre: resolution)
    }

    /// ISO 8859-1 bytes as a string: each byte is the code point of the same value.
    private static func latin1(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }

    /// The whole file, or an error naming the path and the system's reason.
    private static func readFile(_ path: String) throws(PlotError) -> Data {
        func failure(_ what: String) -> PlotError {
            PlotError("\(path): \(what): \(String(cString: strerror(errno)))")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open") }
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read")
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[..<count])
        }
    }
}
