import ArgumentParser
import Experiments
import Foundation

/// `vanish run`: one point of a config.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run one point of an experiment config (the first, or --point K) into the run store.")

    @Argument(help: "The experiment config (.yaml).")
    var config: String

    @Option(help: "Which run of the expanded sweep, counting from 0.")
    var point = 0

    @Option(help: "The run store's root directory.")
    var out = "runs"

    func run() throws {
        let experiment = try reportingFailures(exitCode: 2) { try ExperimentConfig.load(URL(fileURLWithPath: config)) }
        guard experiment.runs.indices.contains(point) else {
            FileHandle.standardError.write(Data("vanish: error: --point \(point): \(config) has runs 0…\(experiment.runs.count - 1)\n".utf8))
            throw ExitCode(2)
        }
        let run = experiment.runs[point]
        let store = RunStore(root: URL(fileURLWithPath: out))
        try reportingFailures(exitCode: 1) {
            let record = try Trainer.run(run)
            try store.write(record)
        }
        guard case .done(let summary) = store.state(of: run) else { throw ExitCode(1) }
        print(summary.overview(directory: store.directory(for: run).path))
    }
}
