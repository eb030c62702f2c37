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

    /// Writes gradient_decay, success_vs_length and training_curves into `output`, once per
    /// format; `command` is what their provenance says made them.
    /// - Throws: `AnalysisError` when the store holds no finished run; `PlotError` when a
    ///   figure cannot be written.
    public static func write(_ reading: StoreReading, to output: URL, command: String,
                             formats: [FigureFormat] = [.png]) throws -> [URL] {
        let runs = reading.runs
        let provenance = Provenance.vanish(command, configHash: ToolProvenance.configHash(runs.map(\.configuration.resolvedYAML).joined()))
        guard !runs.isEmpty else { throw AnalysisError("\(reading.experiment): no finished runs to plot") }
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw AnalysisError("\(output.path): cannot create directory")
        }
        var written: [URL] = []
        for figure in standard(RunGroup.grouping(runs)) {
            for format in formats {
                let url = format.url(figure.name, in: output)
                try figure.figure.write(to: url, provenance: provenance)
                written.append(url)
            }
        }
        return written
    }

    /// The three standard figures of the groups, each with its key numbers in words.
    static func standard(_ groups: [RunGroup]) -> [DescribedFigure] {
        [gradientDecay(groups), successVersusLength(groups), trainingCurves(groups)]
    }

    /// ‖∂L/∂h_t‖ against the distance from the last step at initialization and at the last
    /// probed iteration, per group at its longest sequence: the mean over seeds in log space
    /// with a min–max band.
    static func gradientDecay(_ groups: [RunGroup]) -> DescribedFigure {
        let figure = Figure(width: 11, height: 4.5)
        let panels = figure.grid(rows: 1, columns: 2, yScale: .log)
        var facts: [String] = []
        for group in groups {
            let longest = group.runs.map(\.summary.sequenceLength).max()!
            let atLongest = group.runs.filter { $0.summary.sequenceLength == longest }
            let color = panels[0].nextColor()
            var factors: [String] = []
            for (panel, moment) in zip(panels, ["at init", "at the end"]) {
                let snapshots = atLongest.compactMap { moment == "at init" ? $0.gradientSnapshots.first : $0.gradientSnapshots.last }
                let curves = snapshots.map { $0.logNorms[0] }
                guard let steps = curves.map(\.count).min(), steps > 0 else { continue }
                let distances = (0..<steps).map(Double.init)
                // Distance d back from the last step: index count−1−d of each curve.
                let band = LogBand(curves.map { Array($0.suffix(steps).reversed()) })
                let fit = DecayFit(logNorms: band.mean.map { Double.log($0) }, distances: distances)
                let label = fit.map { String(format: "%@ (×%.3f per step)", group.label, $0.factorPerStep) } ?? group.label
                if curves.count > 1 { panel.band(distances, lower: band.lower, upper: band.upper, color: color) }
                panel.line(distances, band.mean, label: label, color: color)
                factors.append(fit.map { String(format: "×%.3f per step %@", $0.factorPerStep, moment) } ?? "no fit \(moment)")
            }
            facts.append("\(group.label) (T = \(longest), \(atLongest.count) seeds): " + factors.joined(separator: ", "))
        }
        panels[0].title = "At initialization"
        panels[1].title = "At the last probed iteration"
        for panel in panels {
            panel.xLabel = "steps back from the last time step"
            panel.yLabel = "‖∂L/∂hₜ‖"
            panel.grid = true
        }
        figure.title = "Gradient through time (mean over seeds, min–max band)"
        return DescribedFigure(name: "gradient_decay", title: "Gradient decay at initialization and after training", figure: figure,
                               description: "‖∂L/∂h_t‖ against steps back from the last step, on a log axis. " + facts.joined(separator: "; ") + ".")
    }

    /// Success rate with its 95 % Wilson interval, and final held-out loss relative to the
    /// baseline, against T, per group.
    static func successVersusLength(_ groups: [RunGroup]) -> DescribedFigure {
        let figure = Figure(width: 9, height: 4)
        let panels = figure.grid(rows: 1, columns: 2)
        var facts: [String] = []
        for group in groups {
            let lengths = Array(Set(group.runs.map(\.summary.sequenceLength))).sorted()
            let color = panels[0].nextColor()
            var intervals: [WilsonInterval] = [], rates: [Double] = [], ratios: [Double] = [], counts: [String] = []
            for length in lengths {
                let atLength = group.runs.filter { $0.summary.sequenceLength == length }
                let successes = atLength.filter(\.summary.success).count
                intervals.append(WilsonInterval(successes: successes, trials: atLength.count))
                rates.append(Double(successes) / Double(atLength.count))
                counts.append("T = \(length): \(successes) of \(atLength.count)")
                let values = atLength.compactMap { run in run.summary.finalEvalLoss.map { $0 / run.summary.baselineLoss } }
                ratios.append(values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count))
            }
            let x = lengths.map(Double.init)
            panels[0].errorBars(x, lower: intervals.map(\.lower), upper: intervals.map(\.upper), color: color)
            panels[0].line(x, rates, label: group.label, color: color, marker: .circle)
            panels[1].line(x, ratios, label: group.label, color: color, marker: .circle)
            facts.append("\(group.label): " + counts.joined(separator: ", "))
        }
        panels[0].yLimits = Limits(-0.05, 1.05)
        panels[0].title = "Success rate over seeds (95 % Wilson)"
        panels[0].xLabel = "sequence length T"
        panels[0].yLabel = "success rate"
        panels[1].horizontalLine(at: 1, label: "baseline (memoryless)")
        panels[1].title = "Final held-out loss / baseline"
        panels[1].xLabel = "sequence length T"
        panels[1].yLabel = "loss / baseline"
        return DescribedFigure(name: "success_vs_length", title: "Success against sequence length", figure: figure,
                               description: "Runs that succeeded, with 95 % Wilson intervals. " + facts.joined(separator: "; ") + ".")
    }

    /// Training loss against iteration, per group at its longest sequence: at each iteration
    /// the mean over the seeds that reached it with a finite loss (a diverged seed stops early).
    static func trainingCurves(_ groups: [RunGroup]) -> DescribedFigure {
        let figure = Figure()
        let axes = figure.axes(yScale: .log)
        var facts: [String] = []
        for group in groups {
            let longest = group.runs.map(\.summary.sequenceLength).max()!
            let curves = group.runs.filter { $0.summary.sequenceLength == longest }.map { $0.metrics.map { (Double($0.step), $0.trainLoss) } }
            var sums: [Double: (total: Double, count: Int)] = [:]
            for curve in curves {
                for (step, loss) in curve where loss.isFinite { sums[step, default: (0, 0)].total += loss; sums[step]!.count += 1 }
            }
            let steps = sums.keys.sorted()
            guard let last = steps.last else { continue }
            axes.line(steps, steps.map { sums[$0]!.total / Double(sums[$0]!.count) }, label: "\(group.label), T = \(longest)", width: 1)
            facts.append(String(format: "%@, T = %d: mean training loss %.4g at iteration %d", group.label, longest,
                                sums[last]!.total / Double(sums[last]!.count), Int(last)))
        }
        let baseline = groups.first?.runs.first?.summary.baselineLoss
        if let baseline { axes.horizontalLine(at: baseline, label: "baseline") }
        axes.xLabel = "iteration"
        axes.yLabel = "training loss"
        axes.title = "Training curves (mean over seeds)"
        axes.grid = true
        let baselineFact = baseline.map { String(format: " (baseline %.4g)", $0) } ?? ""
        return DescribedFigure(name: "training_curves", title: "Training curves", figure: figure,
                               description: "Training loss against iteration on a log axis\(baselineFact). " + facts.joined(separator: "; ") + ".")
    }
}
