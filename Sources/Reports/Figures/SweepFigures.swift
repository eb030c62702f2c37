import Foundation
import Plot
import RealModule
import Sweeps
import Theory

/// The standard figures of a finished sweep, drawn from the run store alone.
public enum SweepFigures {
    /// The curve labels of a store's groups, in their order (for checking what a figure shows).
    public static func groupLabels(_ runs: [StoredRun]) -> [String] {
        RunGroup.grouping(runs).map(\.label)
    }

    /// Writes gradient_decay.png, success_vs_length.png and training_curves.png into `output`;
    /// `command` is what their provenance says made them.
    /// - Throws: `AnalysisError` when the store holds no finished run; `PlotError` when a
    ///   figure cannot be written.
    public static func write(_ reading: StoreReading, to output: URL, command: String) throws -> [URL] {
        let runs = reading.runs
        let provenance = Provenance.vanish(command, configHash: ToolProvenance.configHash(runs.map(\.configuration.resolvedYAML).joined()))
        guard !runs.isEmpty else { throw AnalysisError("\(reading.experiment): no finished runs to plot") }
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw AnalysisError("\(output.path): cannot create directory")
        }
        let groups = RunGroup.grouping(runs)
        let figures = [("gradient_decay.png", gradientDecay(groups)), ("success_vs_length.png", successVersusLength(groups)),
                       ("training_curves.png", trainingCurves(groups))]
        var written: [URL] = []
        for (name, figure) in figures {
            let url = output.appendingPathComponent(name)
            try figure.write(to: url, provenance: provenance)
            written.append(url)
        }
        return written
    }

    /// ‖∂L/∂h_t‖ at initialization against the distance from the last step, per group at its
    /// longest sequence: the mean over seeds in log space with a min–max band.
    static func gradientDecay(_ groups: [RunGroup]) -> Figure {
        let figure = Figure()
        let axes = figure.axes(yScale: .log)
        for group in groups {
            let mine = group.runs
            let variant = group.label
            let longest = mine.map(\.summary.sequenceLength).max()!
            let curves = mine.filter { $0.summary.sequenceLength == longest }.compactMap(\.initialLogNorms)
            guard let steps = curves.map(\.count).min(), steps > 0 else { continue }
            let distances = (0..<steps).map(Double.init)
            // Distance d back from the last step: index count−1−d of each curve.
            let band = LogBand(curves.map { Array($0.suffix(steps).reversed()) })
            let color = axes.nextColor()
            let fit = DecayFit(logNorms: band.mean.map { Double.log($0) }, distances: distances)
            let label = fit.map { String(format: "%@ (×%.3f per step)", variant, $0.factorPerStep) } ?? variant
            if curves.count > 1 { axes.band(distances, lower: band.lower, upper: band.upper, color: color) }
            axes.line(distances, band.mean, label: label, color: color)
        }
        axes.xLabel = "steps back from the last time step"
        axes.yLabel = "‖∂L/∂hₜ‖ at initialization"
        axes.title = "Gradient through time (mean over seeds, min–max band)"
        axes.grid = true
        return figure
    }

    /// Success rate and final held-out loss relative to the baseline against T, per group.
    static func successVersusLength(_ groups: [RunGroup]) -> Figure {
        let figure = Figure(width: 9, height: 4)
        let panels = figure.grid(rows: 1, columns: 2)
        for group in groups {
            let mine = group.runs
            let variant = group.label
            let lengths = Array(Set(mine.map(\.summary.sequenceLength))).sorted()
            let color = panels[0].nextColor()
            let rates = lengths.map { length -> Double in
                let atLength = mine.filter { $0.summary.sequenceLength == length }
                return Double(atLength.filter(\.summary.success).count) / Double(atLength.count)
            }
            let ratios = lengths.map { length -> Double in
                let values = mine.filter { $0.summary.sequenceLength == length }
                    .compactMap { run in run.summary.finalEvalLoss.map { $0 / run.summary.baselineLoss } }
                return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
            }
            panels[0].line(lengths.map(Double.init), rates, label: variant, color: color, marker: .circle)
            panels[1].line(lengths.map(Double.init), ratios, label: variant, color: color, marker: .circle)
        }
        panels[0].yLimits = Limits(-0.05, 1.05)
        panels[0].title = "Success rate over seeds"
        panels[0].xLabel = "sequence length T"
        panels[0].yLabel = "success rate"
        panels[1].horizontalLine(at: 1, label: "baseline (memoryless)")
        panels[1].title = "Final held-out loss / baseline"
        panels[1].xLabel = "sequence length T"
        panels[1].yLabel = "loss / baseline"
        return figure
    }

    /// Training loss against iteration, per group at its longest sequence: at each iteration
    /// the mean over the seeds that reached it with a finite loss (a diverged seed stops early).
    static func trainingCurves(_ groups: [RunGroup]) -> Figure {
        let figure = Figure()
        let axes = figure.axes(yScale: .log)
        for group in groups {
            let longest = group.runs.map(\.summary.sequenceLength).max()!
            let curves = group.runs.filter { $0.summary.sequenceLength == longest }.map { $0.metrics.map { (Double($0.step), $0.trainLoss) } }
            var sums: [Double: (total: Double, count: Int)] = [:]
            for curve in curves {
                for (step, loss) in curve where loss.isFinite { sums[step, default: (0, 0)].total += loss; sums[step]!.count += 1 }
            }
            let steps = sums.keys.sorted()
            guard !steps.isEmpty else { continue }
            axes.line(steps, steps.map { sums[$0]!.total / Double(sums[$0]!.count) }, label: "\(group.label), T = \(longest)", width: 1)
        }
        if let baseline = groups.first?.runs.first?.summary.baselineLoss {
            axes.horizontalLine(at: baseline, label: "baseline")
        }
        axes.xLabel = "iteration"
        axes.yLabel = "training loss"
        axes.title = "Training curves (mean over seeds)"
        axes.grid = true
        return figure
    }
}
