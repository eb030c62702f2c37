import ArgumentParser
import Experiments
import Foundation

/// `vanish sweep`: every run of a config, side by side, into the run store.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point of an experiment config (grid × variants × seeds) into the run store.",
        discussion: """
            Runs already complete in the store are skipped, so a killed sweep started again redoes only \
            what did not finish. Each run writes runs/<experiment>/<run-id>/ atomically.
            """)

    @Argument(help: "The experiment config (.yaml).")
    var config: String

    @Option(help: "Runs side by side (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "The run store's root directory.")
    var out = "runs"

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        let experiment = try reportingFailures(exitCode: 2) { try ExperimentConfig.load(URL(fileURLWithPath: config)) }
        let store = RunStore(root: URL(fileURLWithPath: out))
        let runner = SweepRunner(store: store, jobs: jobs, showsProgress: !quiet && isatty(STDERR_FILENO) == 1)
        let outcome = runner.run(experiment.runs)
        for failure in outcome.failed {
            FileHandle.standardError.write(Data("vanish: error: run \(failure.id): \(failure.message)\n".utf8))
        }
        print("\(experiment.name): \(outcome.completed.count) run(s) done, \(outcome.skipped.count) already complete, "
              + "\(outcome.failed.count) failed; store \(store.root.appendingPathComponent(experiment.name).path)")
        if !outcome.failed.isEmpty { throw ExitCode(1) }
    }
}
