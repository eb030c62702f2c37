import AtomicIO
import Foundation
import Plot
import Recurrence
import Sweeps

/// `vanish reproduce`: runs the default suite (the configs its `suite.yaml` names), then
/// writes the figures and REPORT.md, all computed from the runs.
public enum Reproduction {
    /// What a reproduction wrote, and the stored runs it had to leave out.
    public struct Outcome: Sendable {
        public let written: [URL]
        /// One line per experiment whose store holds runs that cannot be read.
        public let unreadable: [String]
    }

    /// - Parameters:
    ///   - suite: the directory of the suite's manifest (`suite.yaml`) and configs.
    ///   - store: the run store's root (runs already complete there are not redone).
    ///   - output: where the figures and REPORT.md go.
    ///   - rerun: false to build figures and report from the store as it is (`--from`).
    ///   - allowMixedRevisions: run even where another revision wrote completed runs.
    /// - Throws: `ConfigError` for a bad manifest or config, `AnalysisError` when runs are
    ///   missing, `PlotError` or `FileFormatError` when a file cannot be written.
    public static func run(suite: URL, store root: URL, output: URL, jobs: Int, rerun: Bool, showsProgress: Bool,
                           allowMixedRevisions: Bool = false) throws -> Outcome {
        let manifest = try SuiteManifest.load(suite: suite)
        let configs = manifest.configs
        let store = RunStore(root: root)
        let started = Date()
        if rerun {
            for config in configs { try store.requireOneRevision(in: config.name, allowing: allowMixedRevisions) }
            let runner = SweepRunner(store: store, jobs: jobs, showsProgress: showsProgress)
            for config in configs {
                try SweepPlan(experiment: config.name, runs: config.runs, shardCount: 1).write(into: store)
                let outcome = runner.run(config.runs)
                if let failure = outcome.failed.first {
                    throw AnalysisError("\(config.path): run \(failure.id) failed: \(failure.message)")
                }
                if let problem = outcome.runTableProblem { throw AnalysisError(problem) }
            }
        }
        // After running, a run can still be missing when another process held its claim.
        try StoreCompleteness.require(configs, in: store, remedy: rerun
            ? "another process is running them; run again once it has finished"
            : "run `vanish reproduce --store \(root.path)` without --from to finish them")
        let runs = try SuiteRuns(manifest, store: store)
        let data = try ReproductionData(manifest, runs)
        let extras = try ReproductionExtras(manifest, runs)
        let gated = try GatedData(manifest, runs)
        let wallSeconds = rerun ? Date().timeIntervalSince(started) : data.computeSeconds + gated.computeSeconds
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw AnalysisError("\(output.path): cannot create directory")
        }
        // The hash of every run's resolved config: what the numbers were computed from.
        let configHash = ToolProvenance.configHash(configs.flatMap(\.runs).map(\.resolvedYAML).joined())
        let provenance = Provenance.vanish("vanish reproduce (" + configs.map(\.path).joined(separator: ", ") + ")",
                                           configHash: configHash)
        let setting = data.scaleSetting
        var figures: [(String, Figure)] = [
            ("gradient_decay.png", ReproductionFigures.gradientDecay(data)),
            ("decay_vs_weight_scale.png", ReproductionFigures.decayVersusWeightScale(
                data, hiddenSize: setting.hiddenSize, inputSize: setting.inputSize, inputVariance: setting.inputVariance)),
            ("learnability.png", ReproductionFigures.learnability(data)),
            ("hidden_states.png", ReproductionFigures.hiddenStates(extras.hidden)),
            ("gradient_flow.png", ReproductionFigures.gradientFlow(extras.flow)),
        ]
        if let dynamics = extras.dynamics { figures.append(("training_dynamics.png", ReproductionFigures.trainingDynamics(dynamics))) }
        figures.append(("lyapunov.png", ReproductionFigures.lyapunov(data)))
        figures.append(("gated_decay.png", GatedFigures.decay(gated)))
        figures.append(("gated_learnability.png", GatedFigures.learnability(gated)))
        var written: [URL] = []
        for (name, figure) in figures {
            let url = output.appendingPathComponent(name)
            try figure.write(to: url, provenance: provenance)
            written.append(url)
        }
        let report = ReproductionReport(data: data, extras: extras, gated: GatedReport(data: gated), configs: configs.map(\.path), configHash: configHash, wallSeconds: wallSeconds,
                                        ranExperiments: rerun, unreadable: runs.unreadable)
        let reportURL = output.appendingPathComponent("REPORT.md")
        try AtomicFile.write(Data(report.markdown.utf8), to: reportURL)
        // The browsable report of every experiment of the suite, beside REPORT.md.
        let html = try HTMLReport.writeSuite(experimentDirectories: configs.map { root.appendingPathComponent($0.name) },
                                             to: output.appendingPathComponent(RunStore.reportDirectoryName),
                                             title: "Reproduction suite: every run", command: provenance.description ?? "vanish reproduce",
                                             jobs: jobs)
        return Outcome(written: written + [reportURL, html], unreadable: runs.unreadable)
    }
}
