import ArgumentParser
import Foundation
import Sweeps

/// `vanish run`: one point of a config, trained as a sweep of one: under the run's claim, so
/// that a sweep or another `vanish run` on the same store never trains it at the same time,
/// and not again once the store holds it complete.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run one point of an experiment config (the first, or --point K) into the run store.",
        discussion: """
            The run store is runs/ unless --store names another. A run the store already holds complete is not \
            trained again; its summary is shown.
            """)

    @Argument(help: "The experiment config (.yaml).")
    var config: String

    @Option(help: "Which run of the expanded sweep, counting from 0.")
    var point = 0

    @OptionGroup var store: StoreOptions
    @OptionGroup var legacyStore: LegacyStoreOut

    @Flag(help: "Add the run to an experiment whose completed runs another revision of vanish wrote (refused otherwise).")
    var allowMixedRevisions = false

    func validate() throws {
        _ = try store.root(legacy: legacyStore, default: nil)
    }

    func run() throws {
        let experiment = try reportingFailures(exitCode: 2) { try ExperimentConfig.load(URL(fileURLWithPath: config)) }
        let run = try reportingFailures(exitCode: 2) {
            guard experiment.runs.indices.contains(point) else {
                throw ValidationError("--point \(point): \(config) has runs 0…\(experiment.runs.count - 1)")
            }
            return experiment.runs[point]
        }
        let store = RunStore(root: URL(fileURLWithPath: try self.store.root(legacy: legacyStore, default: "runs")!))
        try reportingFailures(exitCode: 2) { try store.requireOneRevision(in: experiment.name, allowing: allowMixedRevisions) }
        let outcome = SweepRunner(store: store, jobs: 1, showsProgress: false).run([run])
        for failure in outcome.failed { Diagnostics.error("run \(failure.id): \(failure.message)") }
        if let problem = outcome.runTableProblem { Diagnostics.error(problem) }
        guard outcome.failed.isEmpty, outcome.runTableProblem == nil else { throw ExitCode(1) }
        guard case .done(let summary) = store.state(of: run) else {
            Diagnostics.note("run \(run.id) is being trained by another process; nothing done here")
            return
        }
        if !outcome.skipped.isEmpty { print("already complete in the store:") }
        print(summary.overview(directory: store.directory(for: run).path))
    }
}
