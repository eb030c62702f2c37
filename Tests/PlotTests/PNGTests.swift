import Foundation
import Plot
import Testing

/// A Cairo CAIRO_FORMAT_ARGB32 image built by hand: native-endian UInt32 pixels, alpha in the
/// top byte, colours premultiplied; rows `stride` bytes apart with padding after each row.
private struct ARGB32Image {
    let width: Int
    let height: Int
    let stride: Int
    var words: [UInt32]

    /// `padding` words after each row hold `filler`, which the encoder must never read.
    init(width: Int, height: Int, padding: Int = 3, filler: UInt32 = 0x1234_5678, fill: UInt32 = 0xFF00_0000) {
        self.width = width
        self.height = height
        stride = 4 * (width + padding)
        words = [UInt32](repeating: filler, count: (width + padding) * height)
        for y in 0..<height {
            for x in 0..<width { words[y * (width + padding) + x] = fill }
        }
    }

    /// Sets a pixel from premultiplied components, exactly as Cairo stores it.
    mutating func set(x: Int, y: Int, a: UInt8, r: UInt8, g: UInt8, b: UInt8) {
        words[y * stride / 4 + x] = UInt32(a) << 24 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
    }

    /// Sets a pixel from a straight colour, premultiplying with rounding as Cairo does.
    mutating func set(x: Int, y: Int, straight p: DecodedPNG.Pixel) {
        func premultiply(_ c: UInt8) -> UInt8 { UInt8((Int(c) * Int(p.a) + 127) / 255) }
        set(x: x, y: y, a: p.a, r: premultiply(p.r), g: premultiply(p.g), b: premultiply(p.b))
    }

    func encode(_ metadata: ImageMetadata = PNGTests.metadata) throws -> Data {
        try words.withUnsafeBytes { buffer in
            try PNGEncoder.encode(argb32: buffer.baseAddress!, width: width, height: height, stride: stride, metadata: metadata)
        }
    }

    func write(to url: URL, _ metadata: ImageMetadata = PNGTests.metadata) throws {
        try words.withUnsafeBytes { buffer in
            try PNGEncoder.write(argb32: buffer.baseAddress!, width: width, height: height, stride: stride,
                                 metadata: metadata, to: url)
        }
    }
}

/// The straight value of premultiplied `c` at alpha `a`, rounded half up, clamped to 255.
private func unpremultiplied(_ c: Int, alpha a: Int) -> UInt8 {
    a == 0 ? 0 : UInt8(min(255, (Double(c * 255) / Double(a)).rounded(.toNearestOrAwayFromZero)))
}

/// The chunks of a PNG file in order (type and payload), without checking CRCs.
private func chunks(_ data: Data) -> [(type: String, payload: [UInt8], offset: Int)] {
    let bytes = [UInt8](data)
    var result: [(type: String, payload: [UInt8], offset: Int)] = []
    var offset = 8
    while offset + 12 <= bytes.count {
        let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
        result.append((type, Array(bytes[offset + 8..<offset + 8 + length]), offset))
        offset += 12 + length
    }
    return result
}

/// Runs `body` and expects a `PlotError` whose one-line message contains every fragment;
/// records failures at the caller's line.
private func expectPlotError(
    mentioning fragments: String..., sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected a PlotError mentioning \(fragments)", sourceLocation: sourceLocation)
    } catch let error as PlotError {
        #expect(!error.message.contains("\n"), "not one line: \(error.message)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(error.message.contains(fragment), "message: \(error.message)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected a PlotError, got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("PNG encoding and decoding through libpng")
struct PNGTests {
    static let metadata = ImageMetadata(software: "vanish 0.1.0", dotsPerInch: 150)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-png-\(UUID())")

    // MARK: Pixels

    @Test("opaque colours round-trip exactly and are stored as RGB")
    func opaqueRoundTrip() throws {
        let colours: [DecodedPNG.Pixel] = [
            .init(r: 0, g: 0, b: 0), .init(r: 255, g: 255, b: 255), .init(r: 230, g: 159, b: 0),
            .init(r: 86, g: 180, b: 233), .init(r: 0, g: 158, b: 115), .init(r: 1, g: 2, b: 254),
        ]
        var image = ARGB32Image(width: 7, height: 5, filler: 0)  // transparent padding must not count
        for y in 0..<5 {
            for x in 0..<7 { image.set(x: x, y: y, straight: colours[(x + 3 * y) % colours.count]) }
        }
        let data = try image.encode()
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(data[data.startIndex + 24] == 8 && data[data.startIndex + 25] == 2, "IHDR: 8-bit RGB")
        let decoded = try DecodedPNG.decode(data)
        #expect(decoded.width == 7 && decoded.height == 5)
        #expect(decoded.rgba.count == 7 * 5 * 4)
        for y in 0..<5 {
            for x in 0..<7 {
                #expect(decoded.pixel(x: x, y: y) == colours[(x + 3 * y) % colours.count], "at (\(x), \(y))")
            }
        }
    }

    @Test("every premultiplied value at every alpha un-premultiplies with rounding")
    func everyPremultipliedValue() throws {
        // Row a−1 holds alpha a = 1…255; column c holds premultiplied c = 0…255 in red, 255 − c
        // in green, c/2 in blue. Values above alpha (invalid for Cairo) clamp to 255.
        var image = ARGB32Image(width: 256, height: 255)
        for a in 1...255 {
            for c in 0...255 {
                image.set(x: c, y: a - 1, a: UInt8(a), r: UInt8(c), g: UInt8(255 - c), b: UInt8(c / 2))
            }
        }
        let data = try image.encode()
        #expect(data[data.startIndex + 25] == 6, "IHDR: RGBA")
        let decoded = try DecodedPNG.decode(data)
        var mismatches: [String] = []
        for a in 1...255 {
            for c in 0...255 {
                let expected = DecodedPNG.Pixel(
                    r: unpremultiplied(c, alpha: a), g: unpremultiplied(255 - c, alpha: a),
                    b: unpremultiplied(c / 2, alpha: a), a: UInt8(a))
                let actual = decoded.pixel(x: c, y: a - 1)
                if actual != expected { mismatches.append("a=\(a) c=\(c): \(actual), expected \(expected)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    @Test("semi-transparent and transparent pixels come back straight")
    func transparency() throws {
        let straight: [DecodedPNG.Pixel] = [
            .init(r: 230, g: 159, b: 0, a: 128), .init(r: 0, g: 114, b: 178, a: 200),
            .init(r: 255, g: 255, b: 255, a: 254), .init(r: 204, g: 121, b: 167, a: 179),
        ]
        var image = ARGB32Image(width: 5, height: 1)
        for (x, pixel) in straight.enumerated() { image.set(x: x, y: 0, straight: pixel) }
        image.set(x: 4, y: 0, a: 0, r: 0, g: 0, b: 0)
        let decoded = try DecodedPNG.decode(image.encode())
        for (x, pixel) in straight.enumerated() {
            let actual = decoded.pixel(x: x, y: 0)
            #expect(actual.a == pixel.a)
            // Premultiplying loses at most 255/(2a) < 1 level for a ≥ 128, so rounding back is ±1.
            for (got, want) in [(actual.r, pixel.r), (actual.g, pixel.g), (actual.b, pixel.b)] {
                #expect(abs(Int(got) - Int(want)) <= 1, "pixel \(x): \(actual), expected \(pixel)")
            }
        }
        #expect(decoded.pixel(x: 4, y: 0) == DecodedPNG.Pixel(r: 0, g: 0, b: 0, a: 0))
    }

    @Test("the same pixels and metadata give the same bytes")
    func deterministic() throws {
        var image = ARGB32Image(width: 31, height: 17)
        image.set(x: 3, y: 4, a: 100, r: 50, g: 10, b: 100)
        let description = "rnn: {layers: 2}\nσ = 1.0"
        let metadata = ImageMetadata(software: "vanish 0.1.0", source: "abc123", description: description, dotsPerInch: 300)
        #expect(try image.encode(metadata) == image.encode(metadata))
    }

    // MARK: Metadata

    @Test("text chunks round-trip: ASCII as tEXt, UTF-8 as iTXt, before the image data")
    func metadataRoundTrip() throws {
        let description = """
            # figure: gradient norms
            activation: tanh        # σ of the init: 0.1
            probe: ‖∂L/∂hₜ‖ over t
            test: χ² = 3.5, café, 10⁻⁴⁰…10⁵

            """
        let metadata = ImageMetadata(software: "vanish 0.1.0", source: "0123456789abcdef0123456789abcdef01234567",
                                     description: description, dotsPerInch: 150)
        let data = try ARGB32Image(width: 3, height: 2).encode(metadata)
        let decoded = try DecodedPNG.decode(data)
        #expect(decoded.text == [
            "Software": "vanish 0.1.0",
            "Source": "0123456789abcdef0123456789abcdef01234567",
            "Description": description,
        ])
        let list = chunks(data)
        #expect(list.map(\.type) == ["IHDR", "pHYs", "tEXt", "tEXt", "iTXt", "IDAT", "IEND"])
        let software = list.first { $0.type == "tEXt" }!.payload
        #expect(software == Array("Software\0vanish 0.1.0".utf8))
        let itxt = list.first { $0.type == "iTXt" }!.payload
        // keyword NUL, compression flag 0, method 0, empty language NUL, empty translation NUL, UTF-8 text
        #expect(itxt == Array("Description".utf8) + [0, 0, 0, 0, 0] + Array(description.utf8))
    }

    @Test("absent source and description write no chunk; any non-ASCII value is iTXt")
    func optionalText() throws {
        let plain = try DecodedPNG.decode(ARGB32Image(width: 1, height: 1).encode())
        #expect(plain.text == ["Software": "vanish 0.1.0"])

        let metadata = ImageMetadata(software: "vänish µ", description: "", dotsPerInch: 72)
        let data = try ARGB32Image(width: 1, height: 1).encode(metadata)
        #expect(chunks(data).map(\.type) == ["IHDR", "pHYs", "iTXt", "tEXt", "IDAT", "IEND"])
        #expect(try DecodedPNG.decode(data).text == ["Software": "vänish µ", "Description": ""])
    }

    @Test("a whole config as the description survives")
    func longDescription() throws {
        let lines = (0..<4000).map { "layer_\($0): {hidden: \($0 * 7), activation: tanh, note: \"‖∂L/∂hₜ‖\"}" }
        let description = lines.joined(separator: "\n")
        let metadata = ImageMetadata(software: "vanish 0.1.0", description: description, dotsPerInch: 150)
        #expect(try DecodedPNG.decode(ARGB32Image(width: 2, height: 2).encode(metadata)).text["Description"] == description)
    }

    @Test("pHYs holds round(dpi / 0.0254) pixels per metre", arguments: [
        (150.0, 5906), (300.0, 11811), (72.0, 2835), (96.0, 3780), (600.0, 23622),
    ])
    func resolution(dotsPerInch: Double, pixelsPerMetre: Int) throws {
        let metadata = ImageMetadata(software: "vanish", dotsPerInch: dotsPerInch)
        #expect(metadata.pixelsPerMetre == pixelsPerMetre)
        let data = try ARGB32Image(width: 2, height: 2).encode(metadata)
        #expect(try DecodedPNG.decode(data).pixelsPerMetre == .init(x: pixelsPerMetre, y: pixelsPerMetre))
        let phys = chunks(data).first { $0.type == "pHYs" }!.payload
        let big = [UInt8(pixelsPerMetre >> 24), UInt8(pixelsPerMetre >> 16 & 0xFF), UInt8(pixelsPerMetre >> 8 & 0xFF),
                   UInt8(pixelsPerMetre & 0xFF)]
        #expect(phys == big + big + [1], "x, y big-endian, unit metre")
    }

    // MARK: Files

    @Test("write then read back; an existing file is replaced")
    func fileRoundTrip() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("figure.png")
        try Data("old".utf8).write(to: url)
        var image = ARGB32Image(width: 4, height: 3)
        image.set(x: 2, y: 1, straight: .init(r: 213, g: 94, b: 0))
        try image.write(to: url)
        let decoded = try DecodedPNG.read(url)
        #expect(decoded.width == 4 && decoded.height == 3)
        #expect(decoded.pixel(x: 2, y: 1) == .init(r: 213, g: 94, b: 0))
        #expect(decoded.pixel(x: 0, y: 0) == .init(r: 0, g: 0, b: 0))
        #expect(decoded.text["Software"] == "vanish 0.1.0")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["figure.png"])
    }

    @Test("writing into a missing directory names the path and leaves nothing")
    func missingDirectory() throws {
        let url = directory.appendingPathComponent("missing/figure.png")
        expectPlotError(mentioning: url.path, "No such file or directory") {
            try ARGB32Image(width: 2, height: 2).write(to: url)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test("reading a missing file names the path")
    func missingFile() {
        let url = directory.appendingPathComponent("absent.png")
        expectPlotError(mentioning: url.path, "cannot open", "No such file or directory") { _ = try DecodedPNG.read(url) }
    }

    @Test("a file that is not a PNG names the path")
    func readGarbageFile() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("fake.png")
        try Data("GIF89a, not a PNG at all".utf8).write(to: url)
        expectPlotError(mentioning: url.path, "not a PNG") { _ = try DecodedPNG.read(url) }
    }

    // MARK: Invalid input

    @Test("sizes, stride, resolution and NUL in text are checked before encoding")
    func invalidArguments() {
        let image = ARGB32Image(width: 2, height: 2)
        func encode(width: Int = 2, height: Int = 2, stride: Int? = nil, _ metadata: ImageMetadata = PNGTests.metadata) throws {
            _ = try image.words.withUnsafeBytes { buffer in
                try PNGEncoder.encode(argb32: buffer.baseAddress!, width: width, height: height,
                                      stride: stride ?? image.stride, metadata: metadata)
            }
        }
        expectPlotError(mentioning: "0×2", "1 to 1000000") { try encode(width: 0) }
        expectPlotError(mentioning: "2×-1") { try encode(height: -1) }
        expectPlotError(mentioning: "stride 7", "4 × width = 8") { try encode(stride: 7) }
        for dpi in [0, -150, .nan, .infinity] {
            expectPlotError(mentioning: "\(dpi) dpi", "positive") {
                try encode(ImageMetadata(software: "vanish", dotsPerInch: dpi))
            }
        }
        expectPlotError(mentioning: "'Description'", "NUL") {
            try encode(ImageMetadata(software: "vanish", description: "a\0b", dotsPerInch: 150))
        }
    }

    @Test("garbage, empty and truncated data are errors, never crashes")
    func garbageAndTruncation() throws {
        expectPlotError(mentioning: "PNG data", "not a PNG") { _ = try DecodedPNG.decode(Data()) }
        expectPlotError(mentioning: "not a PNG") { _ = try DecodedPNG.decode(Data("hello, world".utf8)) }
        expectPlotError(mentioning: "not a PNG") { _ = try DecodedPNG.decode(Data(repeating: 0xFF, count: 1000)) }
        var image = ARGB32Image(width: 9, height: 4)
        image.set(x: 1, y: 1, a: 128, r: 100, g: 0, b: 30)
        let data = try image.encode(ImageMetadata(software: "vanish", description: "σ", dotsPerInch: 150))
        #expect(throws: Never.self) { try DecodedPNG.decode(data) }
        // Every proper prefix is truncated somewhere: header, a chunk, or before IEND.
        var unthrown: [Int] = []
        for length in 0..<data.count {
            if (try? DecodedPNG.decode(data.prefix(length))) != nil { unthrown.append(length) }
        }
        #expect(unthrown.isEmpty, "prefixes of \(data.count) bytes that decoded: \(unthrown)")
        expectPlotError(mentioning: "truncated") { _ = try DecodedPNG.decode(data.prefix(data.count / 2)) }
        // A PNG signature followed by nonsense.
        expectPlotError(mentioning: "cannot decode PNG") {
            _ = try DecodedPNG.decode(data.prefix(8) + Data(repeating: 0x41, count: 64))
        }
    }

    @Test("a flipped bit in any chunk is an error, ancillary chunks included", arguments: ["IHDR", "pHYs", "tEXt", "iTXt", "IDAT"])
    func corruptChunk(type: String) throws {
        var image = ARGB32Image(width: 6, height: 6)
        image.set(x: 2, y: 3, straight: .init(r: 240, g: 228, b: 66))
        let data = try image.encode(ImageMetadata(software: "vanish", description: "χ²", dotsPerInch: 150))
        let chunk = try #require(chunks(data).first { $0.type == type })
        let crcOffset = chunk.offset + 8 + chunk.payload.count
        // The CRC itself, then the last and the first payload byte: the CRC catches those,
        // unless zlib's own checks of IDAT get there first. Either way the chunk is named.
        for (offset, reason) in [(crcOffset + 3, "CRC"), (crcOffset - 1, type), (chunk.offset + 8, type)] {
            var corrupt = data
            corrupt[corrupt.startIndex + offset] ^= 0x01
            expectPlotError(mentioning: "cannot decode PNG", reason) { _ = try DecodedPNG.decode(corrupt) }
        }
    }

    // MARK: Other PNG layouts

    @Test("grey, grey+alpha, palette with tRNS, 16-bit and zTXt/Latin-1 tEXt from other writers")
    func foreignLayouts() throws {
        // 2×1 images written by a minimal writer (stored deflate blocks).
        let grey = try DecodedPNG.decode(MinimalPNG.make(width: 2, height: 1, depth: 8, colourType: 0, rows: [[0, 0x40, 0xC0]]))
        #expect(grey.pixel(x: 0, y: 0) == .init(r: 0x40, g: 0x40, b: 0x40) && grey.pixel(x: 1, y: 0) == .init(r: 0xC0, g: 0xC0, b: 0xC0))

        let greyAlpha = try DecodedPNG.decode(MinimalPNG.make(width: 2, height: 1, depth: 8, colourType: 4,
                                                              rows: [[0, 10, 20, 30, 40]]))
        #expect(greyAlpha.pixel(x: 0, y: 0) == .init(r: 10, g: 10, b: 10, a: 20))
        #expect(greyAlpha.pixel(x: 1, y: 0) == .init(r: 30, g: 30, b: 30, a: 40))

        let palette = try DecodedPNG.decode(MinimalPNG.make(
            width: 2, height: 1, depth: 8, colourType: 3, rows: [[0, 1, 0]],
            extra: [("PLTE", [10, 20, 30, 200, 100, 50]), ("tRNS", [77])]))
        #expect(palette.pixel(x: 0, y: 0) == .init(r: 200, g: 100, b: 50, a: 255))
        #expect(palette.pixel(x: 1, y: 0) == .init(r: 10, g: 20, b: 30, a: 77))

        let deep = try DecodedPNG.decode(MinimalPNG.make(width: 1, height: 1, depth: 16, colourType: 2,
                                                         rows: [[0, 0xFF, 0xFF, 0x80, 0x80, 0x00, 0x00]]))
        #expect(deep.pixel(x: 0, y: 0) == .init(r: 255, g: 128, b: 0))

        let ztxt = Array("Comment".utf8) + [0, 0] + MinimalPNG.zlibStored(Array("r\u{E9}sum\u{E9}".unicodeScalars.map { UInt8($0.value) }))
        let latin1 = try DecodedPNG.decode(MinimalPNG.make(
            width: 1, height: 1, depth: 8, colourType: 0, rows: [[0, 0]],
            extra: [("tEXt", Array("Author".utf8) + [0, 0x4A, 0xF6, 0x72, 0x67]), ("zTXt", ztxt),
                    ("pHYs", [0, 0, 0, 3, 0, 0, 0, 4, 0])]))
        #expect(latin1.text == ["Author": "Jörg", "Comment": "résumé"])
        #expect(latin1.pixelsPerMetre == nil, "pHYs with unit 0 is an aspect ratio, not a resolution")
    }

    @Test("a header larger than the decoder's limit is refused before allocating pixels")
    func oversizedHeader() {
        let huge = MinimalPNG.make(width: 900_000, height: 900_000, depth: 8, colourType: 6, rows: [[0]])
        expectPlotError(mentioning: "900000 x 900000", "limit") { _ = try DecodedPNG.decode(huge) }
    }

    // MARK: Size

    @Test("a 4000×3000 figure encodes in reasonable time")
    func largeImage() throws {
        var image = ARGB32Image(width: 4000, height: 3000, padding: 0, fill: 0xFFFF_FFFF)
        for y in stride(from: 0, to: 3000, by: 7) {
            for x in 0..<4000 { image.words[y * 4000 + x] = 0xFF00_72B2 }
        }
        for x in stride(from: 0, to: 4000, by: 13) {
            for y in 0..<3000 { image.words[y * 4000 + x] = 0xFFD5_5E00 }
        }
        let clock = ContinuousClock()
        var data = Data()
        let encoding = try clock.measure { data = try image.encode() }
        var decoded: DecodedPNG?
        let decoding = try clock.measure { decoded = try DecodedPNG.decode(data) }
        print("PNG 4000×3000: encoded \(data.count) bytes in \(encoding), decoded in \(decoding)")
        #expect(decoded?.width == 4000 && decoded?.height == 3000)
        #expect(decoded?.pixel(x: 13, y: 1) == .init(r: 0xD5, g: 0x5E, b: 0x00))
        #expect(decoded?.pixel(x: 1, y: 7) == .init(r: 0x00, g: 0x72, b: 0xB2))
        #expect(decoded?.pixel(x: 1, y: 1) == .init(r: 255, g: 255, b: 255))
    }
}

/// A PNG writer independent of libpng, for layouts the encoder never writes: zlib streams of
/// stored (uncompressed) deflate blocks and a table-free CRC-32.
private enum MinimalPNG {
    static func make(width: Int, height: Int, depth: UInt8, colourType: UInt8, rows: [[UInt8]],
                     extra: [(String, [UInt8])] = []) -> Data {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ payload: [UInt8]) {
            bytes += bigEndian(UInt32(payload.count))
            let body = Array(type.utf8) + payload
            bytes += body + bigEndian(crc32(body))
        }
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [depth, colourType, 0, 0, 0])
        for (type, payload) in extra { chunk(type, payload) }
        chunk("IDAT", zlibStored(rows.flatMap { $0 }))
        chunk("IEND", [])
        return Data(bytes)
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        precondition(data.count < 65536)
        let length = UInt16(data.count)
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            + data + bigEndian(b << 16 | a)
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
