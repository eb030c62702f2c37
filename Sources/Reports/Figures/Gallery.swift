import Foundation
import Plot
import RealModule
import Recurrence

/// Every kind of plot the renderer draws, from synthetic data: what `vanish gallery` writes,
/// for a reviewer to look at.
public enum Gallery {
    /// Writes every figure into `directory` (created if missing) as PNG, and with `vector`
    /// also as SVG and PDF.
    /// - Throws: `PlotError` naming what could not be written.
    public static func write(to directory: URL, vector: Bool) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PlotError("\(directory.path): cannot create directory")
        }
        var written: [URL] = []
        for (name, figure) in figures() {
            var urls = [directory.appendingPathComponent(name)]
            if vector {
                let stem = directory.appendingPathComponent((name as NSString).deletingPathExtension)
                urls += [stem.appendingPathExtension("svg"), stem.appendingPathExtension("pdf")]
            }
            for url in urls {
                try figure.write(to: url, provenance: .vanish("vanish gallery"))
                written.append(url)
            }
        }
        return written
    }

    /// The figures by file name.
    public static func figures() -> [(name: String, figure: Figure)] {
        [
            ("decay_family.png", decayFamily()),
            ("heatmap_log.png", gradientFlowHeatmap()),
            ("heatmap_diverging.png", divergingHeatmap()),
            ("multipanel.png", multiPanel()),
            ("scatter_reference.png", scatterWithReference()),
            ("pathological.png", pathological()),
            ("million_points.png", millionPoints()),
        ]
    }

    /// A family of exponentially decaying curves with bands over seeds, on a log axis that
    /// spans far more decades than fit as labels.
    static func decayFamily() -> Figure {
        let figure = Figure()
        let axes = figure.axes(yScale: .log)
        var generator = SeededGenerator(seed: 1)
        let distances = (0...200).map(Double.init)
        for factor in [0.57, 0.75, 0.9, 0.98, 1.0] {
            let color = axes.nextColor()
            let slope = Double.log(factor)
            var lower: [Double] = [], upper: [Double] = [], mean: [Double] = []
            for d in distances {
                let spread = 0.02 * d.squareRoot() + 0.05
                let center = slope * d + 0.3 * generator.noise()
                mean.append(Double.exp(center))
                lower.append(Double.exp(center - 2 * spread))
                upper.append(Double.exp(center + 2 * spread))
            }
            axes.band(distances, lower: lower, upper: upper, color: color)
            axes.line(distances, mean, label: String(format: "×%.2f per step", factor), color: color)
        }
        axes.xLabel = "distance from the loss, t (steps)"
        axes.yLabel = "‖∂L/∂hₜ‖"
        axes.title = "Gradient norm through time (synthetic)"
        axes.grid = true
        return figure
    }

    /// A lower-triangular matrix of log-scaled values with NaN above the diagonal.
    static func gradientFlowHeatmap() -> Figure {
        let figure = Figure(width: 6.4, height: 5.2)
        let axes = figure.axes()
        let size = 60
        var values = [Double](repeating: .nan, count: size * size)
        for t in 0..<size {
            for k in 0...t { values[t * size + k] = Double.exp(-0.45 * Double(t - k)) }
        }
        axes.heatmap(values, rows: size, columns: size, x: 0...Double(size), y: 0...Double(size),
                     colorScale: .log, colorbarLabel: "‖∂Lₜ/∂hₖ‖")
        axes.xLabel = "k (step of the hidden state)"
        axes.yLabel = "t (step of the loss)"
        axes.title = "Gradient flow (synthetic)"
        return figure
    }

    /// Signed values on the diverging colormap, with missing cells.
    static func divergingHeatmap() -> Figure {
        let figure = Figure()
        let axes = figure.axes()
        let (rows, columns) = (32, 120)
        var values: [Double] = []
        for row in 0..<rows {
            for column in 0..<columns {
                let value = Double.sin(Double(column) / 9) * Double.exp(-Double(row) / 14)
                values.append(row == 20 && column % 17 == 3 ? .nan : value)
            }
        }
        axes.heatmap(values, rows: rows, columns: columns, x: 0...Double(columns), y: 0...Double(rows),
                     colormap: .diverging, colorLimits: Limits(-1, 1), colorbarLabel: "hidden state hₜ")
        axes.xLabel = "time step t"
        axes.yLabel = "unit"
        axes.title = "Hidden states (synthetic; grey cells are NaN)"
        return figure
    }

    /// A 2×2 grid with shared axes and a figure title.
    static func multiPanel() -> Figure {
        let figure = Figure(width: 8, height: 6)
        figure.title = "Weight-scale sweep: tanh and relu (synthetic)"
        let panels = figure.grid(rows: 2, columns: 2, yScale: .log, sharedX: true, sharedY: true)
        let steps = (0...100).map(Double.init)
        for (index, axes) in panels.enumerated() {
            let nonlinearity = index % 2 == 0 ? "tanh" : "relu"
            let scale = index < 2 ? 0.8 : 1.2
            axes.title = "\(nonlinearity), σ = \(scale)"
            for (offset, gain) in [0.9, 1.0, 1.1].enumerated() {
                let rate = Double.log(scale * gain * (index % 2 == 0 ? 0.95 : 0.75))
                axes.line(steps, steps.map { Double.exp(rate * $0) }, label: "g = \(gain)",
                          dash: [Dash.solid, .dashed, .dotted][offset])
            }
            if index >= 2 { axes.xLabel = "steps back" }
            if index % 2 == 0 { axes.yLabel = "‖∂L/∂hₜ‖" }
        }
        return figure
    }

    /// Scatter with a horizontal chance line, a vertical marker and an annotation.
    static func scatterWithReference() -> Figure {
        let figure = Figure()
        let axes = figure.axes()
        var generator = SeededGenerator(seed: 2)
        let lengths = [10.0, 20, 50, 100, 200, 500]
        for (name, decay) in [("tanh", 60.0), ("IRNN", 400.0)] {
            let color = axes.nextColor()
            var x: [Double] = [], y: [Double] = []
            for length in lengths {
                for _ in 0..<5 {
                    x.append(length * (1 + 0.03 * generator.noise()))
                    y.append(min(1, max(0.25, 0.25 + 0.75 * Double.exp(-length / decay) + 0.05 * generator.noise())))
                }
            }
            axes.scatter(x, y, label: name, color: color)
        }
        axes.horizontalLine(at: 0.25, label: "chance (1/K)")
        axes.verticalLine(at: 100, color: Color(hex: 0x999999), dash: .dotted)
        axes.text("T = 100", x: 104, y: 0.95)
        axes.xLabel = "dependency length T"
        axes.yLabel = "accuracy"
        axes.title = "Learnability against length (synthetic)"
        return figure
    }

    /// Data a renderer must survive: zeros, negatives, NaN and ±∞ on a log axis, a series with
    /// no finite point, constant data and a single point.
    static func pathological() -> Figure {
        let figure = Figure(width: 9, height: 6)
        figure.title = "Pathological data"
        let panels = figure.grid(rows: 2, columns: 2)
        let x = (0..<25).map(Double.init)
        let broken = panels[0]
        broken.yScale = .log
        broken.title = "0, <0, NaN, ±∞ on a log axis"
        broken.line(x, x.map { i in
            switch Int(i) % 10 {
            case 3: 0
            case 5: -1
            case 7: .nan
            case 8: .infinity
            default: Double.exp(-0.3 * i)
            }
        }, label: "breaks at bad points", marker: .circle)
        broken.line(x, x.map { _ in .nan }, label: "all NaN")
        panels[1].title = "constant data"
        panels[1].line(x, x.map { _ in 3 }, label: "y = 3")
        panels[2].title = "a single point"
        panels[2].scatter([2], [5], label: "one point")
        panels[3].title = "nothing finite"
        panels[3].yScale = .log
        panels[3].line(x, x.map { -$0 }, label: "all ≤ 0 on log")
        return figure
    }

    /// A million points: drawn fast through per-pixel-column merging, and looking the same.
    static func millionPoints() -> Figure {
        let figure = Figure()
        let axes = figure.axes()
        var generator = SeededGenerator(seed: 3)
        let count = 1_000_000
        let x = (0..<count).map { Double($0) / Double(count) }
        let y = x.map { Double.sin(12 * $0) + 0.2 * generator.noise() }
        axes.line(x, y, label: "10⁶ points", width: 0.8)
        axes.xLabel = "x"
        axes.yLabel = "sin(12x) + noise"
        axes.title = "A million points"
        return figure
    }
}

extension SeededGenerator {
    /// Uniform noise in [−1, 1) for the synthetic figures.
    mutating func noise() -> Double { 2 * nextUnit() - 1 }
}
