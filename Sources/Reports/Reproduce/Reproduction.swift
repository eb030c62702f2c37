import AtomicIO
import Foundation
import Plot
import Recurrence
import Sweeps

/// `vanish reproduce`: runs the default suite (every config in `experiments/reproduce/`),
/// then writes the figures and REPORT.md, all computed from the runs.
public enum Reproduction {
    /// - Parameters:
    ///   - suite: the directory of the suite's configs.
    ///   - runs: the run store's root (runs already complete there are not redone).
    ///   - output: where the figures and REPORT.md go.
    ///   - rerun: false to build figures and report from the store as it is (`--from`).
    /// - Returns: the files written.
    /// - Throws: `ConfigError` for a bad config, `AnalysisError` when runs are missing,
    ///   `PlotError` or `FileFormatError` when a file cannot be written.
    public static func run(suite: URL, runs: URL, output: URL, jobs: Int, rerun: Bool, showsProgress: Bool) throws -> [URL] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        guard !files.isEmpty else { throw AnalysisError("\(suite.path): no .yaml configs in the reproduction suite") }
        let configs = try files.map { try ExperimentConfig.load(suite.appendingPathComponent($0)) }
        let started = Date()
        if rerun {
            let runner = SweepRunner(store: RunStore(root: runs), jobs: jobs, showsProgress: showsProgress)
            for config in configs {
                try SweepPlan(experiment: config.name, runs: config.runs, shardCount: 1).write(into: RunStore(root: runs))
                let outcome = runner.run(config.runs)
                if let failure = outcome.failed.first {
                    throw AnalysisError("\(config.path): run \(failure.id) failed: \(failure.message)")
                }
            }
        }
        // After running, a run can still be missing when another process held its claim.
        try StoreCompleteness.require(configs, in: RunStore(root: runs), remedy: rerun
            ? "another process is running them; run again once it has finished"
            : "run `vanish reproduce --runs \(runs.path)` without --from to finish them")
        let data = try ReproductionData(runs: runs)
        let wallSeconds = rerun ? Date().timeIntervalSince(started) : data.computeSeconds
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw AnalysisError("\(output.path): cannot create directory")
        }
        let provenance = Provenance.vanish("vanish reproduce (\(files.map { "experiments/reproduce/\($0)" }.joined(separator: ", ")))")
        let setting = data.scaleSetting
        let extras = try ReproductionExtras(runs: runs)
        var figures: [(String, Figure)] = [
            ("gradient_decay.png", ReproductionFigures.gradientDecay(data)),
            ("decay_vs_weight_scale.png", ReproductionFigures.decayVersusWeightScale(
                data, hiddenSize: setting.hiddenSize, inputSize: setting.inputSize, inputVariance: setting.inputVariance)),
            ("learnability.png", ReproductionFigures.learnability(data)),
        ]
        if let hidden = extras.hidden { figures.append(("hidden_states.png", ReproductionFigures.hiddenStates(hidden))) }
        if let flow = extras.flow { figures.append(("gradient_flow.png", ReproductionFigures.gradientFlow(flow))) }
        if let dynamics = extras.dynamics { figures.append(("training_dynamics.png", ReproductionFigures.trainingDynamics(dynamics))) }
        figures.append(("lyapunov.png", ReproductionFigures.lyapunov(data)))
        var written: [URL] = []
        for (name, figure) in figures {
            let url = output.appendingPathComponent(name)
            try figure.write(to: url, provenance: provenance)
            written.append(url)
        }
        let report = ReproductionReport(data: data, extras: extras, configs: configs.map(\.path), wallSeconds: wallSeconds,
                                        ranExperiments: rerun)
        let reportURL = output.appendingPathComponent("REPORT.md")
        try AtomicFile.write(Data(report.markdown.utf8), to: reportURL)
        return written + [reportURL]
    }
}
