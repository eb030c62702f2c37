import Foundation
@testable import Plot
import Testing

/// Figures drawn for real through Cairo and read back, and layouts checked through the
/// recording renderer.
@Suite("FigureTests")
struct FigureTests {
    let provenance = Provenance(software: "vanish test", source: "abc123", description: "a test figure\nσ, χ, ‖∂L/∂hₜ‖")

    /// A 4×3 in figure at 100 dpi with fixed 0…10 axes.
    private func fixedFigure() -> (Figure, Axes) {
        var style = Style.standard
        style.dotsPerInch = 100
        let figure = Figure(width: 4, height: 3, style: style)
        let axes = figure.axes()
        axes.xLimits = Limits(0, 10)
        axes.yLimits = Limits(0, 10)
        return (figure, axes)
    }

    private func layout(_ figure: Figure) throws -> FigureLayout {
        let renderer = try CairoRenderer(size: figure.size, format: .image(dotsPerInch: figure.style.dotsPerInch))
        return try FigureLayout(figure, renderer: renderer)
    }

    /// The pixel at a point given in points.
    private func pixel(_ png: DecodedPNG, _ point: Point, dpi: Double = 100) -> DecodedPNG.Pixel {
        png.pixel(x: Int(point.x * dpi / 72), y: Int(point.y * dpi / 72))
    }

    @Test("a line of a known colour passes through the pixels the scales say")
    func linePixels() throws {
        let (figure, axes) = fixedFigure()
        axes.line([0, 10], [5, 5], color: Color(hex: 0xFF0000), width: 3)
        axes.line([2.5, 2.5], [0, 10], color: Color(hex: 0x0000FF), width: 3)
        let png = try DecodedPNG.decode(figure.pngData(provenance: provenance))
        #expect(png.width == 400 && png.height == 300)
        let plot = try layout(figure).panels[0].plot
        let red = pixel(png, Point(plot.minX + 0.75 * plot.width, plot.minY + plot.height / 2))
        #expect(red == DecodedPNG.Pixel(r: 255, g: 0, b: 0), "\(red)")
        let blue = pixel(png, Point(plot.minX + 0.25 * plot.width, plot.minY + 0.2 * plot.height))
        #expect(blue == DecodedPNG.Pixel(r: 0, g: 0, b: 255), "\(blue)")
        // Away from both lines the axes are white.
        #expect(pixel(png, Point(plot.minX + 0.75 * plot.width, plot.minY + 0.2 * plot.height)) == DecodedPNG.Pixel(r: 255, g: 255, b: 255))
    }

    @Test("tick marks sit where the scale says")
    func tickPixels() throws {
        let (figure, axes) = fixedFigure()
        axes.line([0, 10], [0, 10])
        let png = try DecodedPNG.decode(figure.pngData(provenance: provenance))
        let panel = try layout(figure).panels[0]
        #expect(panel.xTicks.count >= 3 && panel.xTicks.first?.value == 0 && panel.xTicks.last?.value == 10)
        for tick in panel.xTicks {
            // Just below the frame, on the tick: dark; between two ticks: white.
            let x = panel.plot.minX + tick.value / 10 * panel.plot.width
            let mark = pixel(png, Point(x, panel.plot.maxY + 2))
            #expect(mark.r < 100, "tick at \(tick.value): \(mark)")
        }
        let between = (panel.xTicks[0].value + panel.xTicks[1].value) / 2
        let gap = pixel(png, Point(panel.plot.minX + between / 10 * panel.plot.width, panel.plot.maxY + 2.5))
        #expect(gap.r > 200, "no tick expected between ticks: \(gap)")
    }

    @Test("heatmap cells have the colormap's colours; NaN cells the missing colour")
    func heatmapPixels() throws {
        let (figure, axes) = fixedFigure()
        // Row 0 is at the bottom: values 0, 1 / 2, .nan.
        axes.heatmap([0, 1, 2, .nan], rows: 2, columns: 2, x: 0...10, y: 0...10)
        let png = try DecodedPNG.decode(figure.pngData(provenance: provenance))
        let plot = try layout(figure).panels[0].plot
        func cell(_ column: Double, _ row: Double) -> DecodedPNG.Pixel {
            pixel(png, Point(plot.minX + (column + 0.5) / 2 * plot.width, plot.maxY - (row + 0.5) / 2 * plot.height))
        }
        func rgb(_ color: Color) -> DecodedPNG.Pixel {
            DecodedPNG.Pixel(r: UInt8((color.red * 255).rounded()), g: UInt8((color.green * 255).rounded()),
                             b: UInt8((color.blue * 255).rounded()))
        }
        #expect(cell(0, 0) == rgb(Colormap.viridis.color(at: 0)))
        #expect(cell(0, 1) == rgb(Colormap.viridis.color(at: 1)))
        #expect(cell(1, 0) == rgb(Colormap.viridis.color(at: 0.5)))
        #expect(cell(1, 1) == rgb(Colormap.missing))
    }

    @Test("PNG carries provenance and the DPI; SVG and PDF carry provenance too")
    func metadata() throws {
        let (figure, axes) = fixedFigure()
        axes.line([0, 10], [0, 10])
        let png = try DecodedPNG.decode(figure.pngData(provenance: provenance))
        #expect(png.text["Software"] == "vanish test")
        #expect(png.text["Source"] == "abc123")
        #expect(png.text["Description"] == "a test figure\nσ, χ, ‖∂L/∂hₜ‖")
        #expect(png.pixelsPerMetre == DecodedPNG.PixelsPerMetre(x: 3937, y: 3937))
        let svg = String(decoding: try figure.svgData(provenance: provenance), as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("<metadata>Software: vanish test\nSource: abc123"))
        let pdf = try figure.pdfData(provenance: provenance)
        #expect(pdf.starts(with: Data("%PDF".utf8)))
        #expect(String(decoding: pdf, as: UTF8.self).contains("vanish test"))
    }

    @Test("writing: by extension, atomically, with errors naming the path")
    func writing() throws {
        let (figure, axes) = fixedFigure()
        axes.line([0, 10], [0, 10])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vanish-figure-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["f.png", "f.svg", "f.pdf"] {
            try figure.write(to: directory.appendingPathComponent(name), provenance: provenance)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["f.pdf", "f.png", "f.svg"])
        let missing = directory.appendingPathComponent("no/such/dir/f.png")
        #expect(throws: PlotError.self) { try figure.write(to: missing, provenance: provenance) }
        do {
            try figure.write(to: missing, provenance: provenance)
        } catch {
            #expect(error.message.contains(missing.path))
        }
        #expect(throws: PlotError("\(directory.path)/f.gif: unknown figure format '.gif'; expected .png, .svg or .pdf")) {
            try figure.write(to: directory.appendingPathComponent("f.gif"), provenance: provenance)
        }
    }

    @Test("empty figures and mismatched series are clear errors")
    func errors() throws {
        let renderer = RecordingRenderer(size: Size(width: 400, height: 300))
        #expect(throws: PlotError("figure has nothing to draw: add a line, band, scatter or heatmap to an axes first")) {
            try Figure().draw(on: renderer)
        }
        let figure = Figure()
        figure.axes().line([1, 2, 3], [1, 2], label: "tanh")
        #expect(throws: PlotError("line 'tanh': x has 3 values, y has 2")) { try figure.draw(on: renderer) }
        let heat = Figure()
        heat.axes().heatmap([1, 2, 3], rows: 2, columns: 2)
        #expect(throws: PlotError("heatmap: 2×2 cells need 4 values, got 3")) { try heat.draw(on: renderer) }
    }

    @Test("zeros, negatives, NaN and ±∞ break a log-axis line; nothing crashes")
    func logAxisBreaks() throws {
        let figure = Figure()
        let axes = figure.axes(yScale: .log)
        axes.line([0, 1, 2, 3, 4, 5, 6, 7], [1, 0.5, 0, 0.2, -1, .nan, 0.05, .infinity])
        let renderer = RecordingRenderer(size: figure.size)
        try figure.draw(on: renderer)
        let path = try #require(renderer.calls.compactMap { call -> Path? in
            if case .stroke(let path, let style) = call, style.width == Style.standard.lineWidth { return path }
            return nil
        }.first)
        let moves = path.elements.filter { if case .move = $0 { true } else { false } }.count
        let lines = path.elements.filter { if case .line = $0 { true } else { false } }.count
        // Runs: [1, 0.5], [0.2], [0.05]: three pieces, one segment.
        #expect(moves == 3 && lines == 1)
    }

    @Test("a series with nothing finite gets a note in the legend")
    func noFiniteData() throws {
        let figure = Figure()
        let axes = figure.axes(yScale: .log)
        axes.line([1, 2], [1, 2], label: "fine")
        axes.line([1, 2], [0, -3], label: "bad")
        let renderer = RecordingRenderer(size: figure.size)
        try figure.draw(on: renderer)
        #expect(renderer.texts.contains("bad: no finite data to draw"))
        #expect(renderer.texts.contains("fine"))
    }

    @Test("the legend goes where it covers the least data")
    func legendAvoidsData() throws {
        let figure = Figure()
        let axes = figure.axes()
        axes.xLimits = Limits(0, 1)
        axes.yLimits = Limits(0, 1)
        // Data crowds the upper right and upper left corners.
        let xs = stride(from: 0.0, through: 1.0, by: 0.01).map { $0 }
        axes.scatter(xs, xs.map { _ in 0.95 }, label: "top")
        axes.scatter(xs.map { $0 * 0.2 + 0.8 }, xs.map { $0 * 0.9 }, label: "right")
        let renderer = RecordingRenderer(size: figure.size)
        try figure.draw(on: renderer)
        let layout = try FigureLayout(figure, renderer: renderer)
        let legend = try #require(renderer.calls.compactMap { call -> Rect? in
            if case .fill(let path, let color) = call, color == Style.standard.background.withAlpha(0.8),
               case .move(let corner) = path.elements.first, case .line(let right) = path.elements[1],
               case .line(let bottom) = path.elements[2] {
                return Rect(x: corner.x, y: corner.y, width: right.x - corner.x, height: bottom.y - corner.y)
            }
            return nil
        }.first)
        let plot = layout.panels[0].plot
        #expect(legend.minX < plot.minX + plot.width / 2, "legend should move left, away from the right-hand data")
        #expect(legend.maxY > plot.minY + plot.height / 2, "legend should move down, away from the top row")
    }

    @Test("the legend avoids a segment between far-apart vertices, not only the vertices")
    func legendAvoidsSegments() throws {
        let figure = Figure()
        let axes = figure.axes()
        axes.xLimits = Limits(0, 1)
        axes.yLimits = Limits(0, 1)
        // Two vertices at the far ends: the line crosses the whole top of the axes.
        axes.line([0, 1], [0.96, 0.96], label: "a long label that makes a wide legend")
        let renderer = RecordingRenderer(size: figure.size)
        try figure.draw(on: renderer)
        let plot = try FigureLayout(figure, renderer: renderer).panels[0].plot
        let legend = try #require(renderer.calls.compactMap { call -> Rect? in
            if case .fill(let path, let color) = call, color == Style.standard.background.withAlpha(0.8),
               case .move(let corner) = path.elements.first, case .line(let bottom) = path.elements[2] {
                return Rect(x: corner.x, y: corner.y, width: bottom.x - corner.x, height: bottom.y - corner.y)
            }
            return nil
        }.first)
        #expect(legend.minY > plot.minY + 0.1 * plot.height, "the legend must move below the line at the top")
    }

    @Test("a million points draw as a few per pixel column")
    func millionPoints() throws {
        let figure = Figure()
        let axes = figure.axes()
        let count = 1_000_000
        let x = (0..<count).map { Double($0) }
        axes.line(x, x.map { ($0 * 0.618).truncatingRemainder(dividingBy: 1) })
        let renderer = RecordingRenderer(size: figure.size)
        try figure.draw(on: renderer)
        let longest = renderer.calls.compactMap { call -> Int? in
            if case .stroke(let path, _) = call { return path.elements.count }
            return nil
        }.max()!
        let pixelColumns = figure.size.width * Style.standard.dotsPerInch / 72
        #expect(longest <= Int(4 * pixelColumns) + 8)
        #expect(longest > Int(pixelColumns))
    }

    @Test("constant data and a single point get a visible, finite domain")
    func degenerateData() throws {
        let figure = Figure()
        let panels = figure.grid(rows: 1, columns: 2)
        panels[0].line([0, 1, 2], [3, 3, 3])
        panels[1].scatter([2], [5])
        let layout = try FigureLayout(figure, renderer: RecordingRenderer(size: figure.size))
        for panel in layout.panels {
            #expect(panel.y.lower < panel.y.upper && panel.y.lower.isFinite && panel.y.upper.isFinite)
            #expect(panel.yTicks.count >= 2)
        }
    }

    @Test("shared axes: one domain, tick labels only on the outer panels")
    func sharedAxes() throws {
        let figure = Figure()
        let panels = figure.grid(rows: 2, columns: 2, sharedX: true, sharedY: true)
        for (i, axes) in panels.enumerated() { axes.line([0, Double(i + 1)], [0, Double(10 * (i + 1))]) }
        let layout = try FigureLayout(figure, renderer: RecordingRenderer(size: figure.size))
        #expect(Set(layout.panels.map(\.x.upper)).count == 1 && Set(layout.panels.map(\.y.upper)).count == 1)
        #expect(layout.panels.map(\.showsXTickLabels) == [false, false, true, true])
        #expect(layout.panels.map(\.showsYTickLabels) == [true, false, true, false])
        // Panels line up: the same left edge in a column, the same top in a row.
        #expect(layout.panels[0].plot.minX == layout.panels[2].plot.minX)
        #expect(layout.panels[0].plot.minY == layout.panels[1].plot.minY)
    }

    @Test("an outside legend sits right of the data, which narrows to make room")
    func outsideLegend() throws {
        let figure = Figure()
        let axes = figure.axes()
        axes.line([0, 1], [0, 1], label: "a fairly long label")
        let inside = try FigureLayout(figure, renderer: RecordingRenderer(size: figure.size)).panels[0]
        axes.legend = .outside
        let outside = try FigureLayout(figure, renderer: RecordingRenderer(size: figure.size)).panels[0]
        let legend = try #require(outside.outsideLegend)
        #expect(legend.minX > outside.plot.maxX)
        #expect(legend.maxX <= figure.size.width)
        #expect(outside.plot.width < inside.plot.width)
    }
}
