import AtomicIO
import Foundation
import Recurrence

/// A sweep as a Slurm job array: what `vanish slurm` writes under
/// `<store root>/slurm/<experiment>/`:
///
/// - `config.yaml`, a copy of the config (named, if the original took its name from its file
///   name), so that editing the original while tasks wait cannot make shards disagree;
/// - `array.sbatch`, whose task K runs `vanish sweep config.yaml --shard K/N` into the store;
/// - `logs/`, one `<job>_<task>.out` per task.
///
/// N is written into the script as a number: `SLURM_ARRAY_TASK_COUNT` counts the tasks
/// submitted, which is 1 when one failed task is resubmitted (`sbatch --array=2 array.sbatch`).
public struct SlurmArray {
    public let experiment: ExperimentConfig
    public let options: SlurmOptions
    /// `<store root>/slurm/<experiment>`, absolute.
    public let directory: URL
    /// The run store's root, absolute.
    public let storeRoot: URL
    public var configURL: URL { directory.appendingPathComponent("config.yaml") }
    public var scriptURL: URL { directory.appendingPathComponent("array.sbatch") }
    public var logsURL: URL { directory.appendingPathComponent("logs") }
    let snapshot: Data
    let executable: URL

    /// - Parameters:
    ///   - config: the experiment config file, and `experiment` as loaded from it.
    ///   - storeRoot: the run store's root (`--store`).
    ///   - executable: the `vanish` the tasks run.
    /// - Throws: `AnalysisError` for a path the script cannot hold or a config whose copy
    ///   would not give the same runs.
    public init(config: URL, experiment: ExperimentConfig, storeRoot: URL, executable: URL,
                options: SlurmOptions) throws(AnalysisError) {
        self.experiment = experiment
        self.options = options
        self.storeRoot = storeRoot.standardizedFileURL
        self.executable = executable
        directory = self.storeRoot.appendingPathComponent("slurm").appendingPathComponent(experiment.name)
        for path in [self.storeRoot.path, executable.path] where path.contains("\n") {
            throw AnalysisError("\(path): a path with a line break cannot go into an sbatch script")
        }
        snapshot = try Self.snapshot(of: config, experiment: experiment, at: directory.appendingPathComponent("config.yaml"))
    }

    /// The config's text as the tasks will read it from `destination`: unchanged, or with a
    /// `name:` line first when the original's name came from its file name. Checked to give
    /// exactly the original's runs.
    private static func snapshot(of config: URL, experiment: ExperimentConfig, at destination: URL) throws(AnalysisError) -> Data {
        let text: String
        do {
            text = try String(contentsOf: config, encoding: .utf8)
        } catch {
            throw AnalysisError("\(config.path): cannot read the config: \(error.localizedDescription)")
        }
        var copy = text
        if (try? ExperimentConfig.parse(text, path: destination.path))?.name != experiment.name {
            copy = "name: \(experiment.name)  # written by vanish slurm: the copy keeps the original's name\n" + text
        }
        guard (try? ExperimentConfig.parse(copy, path: destination.path))?.runs == experiment.runs else {
            throw AnalysisError("\(config.path): a copy of this config would not give the same runs; add 'name: \(experiment.name)' "
                                + "at its top and try again")
        }
        return Data(copy.utf8)
    }

    /// The command that submits the array, as typed into a shell.
    public var submitCommand: String { "sbatch " + ShellWord.typed(scriptURL.path) }

    /// The sbatch script.
    public var script: String {
        let tasks = options.tasks
        var header = [
            "--job-name=vanish-\(experiment.name)",
            "--array=0-\(tasks - 1)" + (options.parallel.map { "%\($0)" } ?? ""),
            "--cpus-per-task=\(options.cpusPerTask)",
            // %A_%a: the array's job id and the task's index; a literal % is written %%.
            "--output=" + ShellWord.sbatchArgument(logsURL.path.replacingOccurrences(of: "%", with: "%%")) + "/%A_%a.out",
        ]
        if let partition = options.partition { header.append("--partition=\(partition)") }
        if let time = options.time { header.append("--time=\(time)") }
        let command = [ShellWord.quoted(executable.path), "sweep", ShellWord.quoted(configURL.path),
                       "--shard", "\"${SLURM_ARRAY_TASK_ID}/\(tasks)\"", "--store", ShellWord.quoted(storeRoot.path),
                       "--jobs", "\(options.cpusPerTask)", "--quiet"]
        return """
            #!/bin/sh
            # \(experiment.name): \(experiment.runs.count) runs in \(tasks) shards; array task K runs shard K.
            # Written by vanish slurm. Submit: \(submitCommand)
            # Resubmitting the array, or one task (sbatch --array=K ...), redoes only runs not yet complete.
            \(header.map { "#SBATCH \($0)" }.joined(separator: "\n"))

            # The shard count is written out: SLURM_ARRAY_TASK_COUNT is 1 for a task resubmitted alone.
            exec \(command.joined(separator: " "))

            """
    }

    /// Refuses to replace an earlier array's copy of a different config while some of that
    /// array's runs are not done: its waiting or resubmitted tasks read the copy, and would run
    /// another sweep's shards. The same config again (a resubmission) is always fine.
    /// - Throws: `AnalysisError` naming the copy, how many runs it still has to do, and the way out.
    public func checkEarlierArray() throws(AnalysisError) {
        guard let earlier = try? Data(contentsOf: configURL), earlier != snapshot,
              let earlierRuns = try? ExperimentConfig.parse(String(decoding: earlier, as: UTF8.self), path: configURL.path).runs
        else { return }
        let store = RunStore(root: storeRoot)
        let unfinished = earlierRuns.filter { StoreCompleteness.state(of: $0, in: store) != .done }.count
        guard unfinished > 0 else { return }
        throw AnalysisError("\(configURL.path): an earlier array of \(experiment.name) reads this copy of a different config "
                            + "and \(unfinished) of its \(earlierRuns.count) runs are not done; replacing it would make its "
                            + "waiting tasks run another sweep. Let it finish (vanish status "
                            + "\(storeRoot.appendingPathComponent(experiment.name).path)), or remove \(directory.path) to abandon it")
    }

    /// Writes `config.yaml`, `array.sbatch` (executable) and `logs/`, each file atomically, and
    /// the sweep plan for this split into the store.
    /// - Throws: `FileFormatError` naming the path that cannot be written.
    public func write() throws(FileFormatError) {
        try DirectoryCreation.create(logsURL)
        try AtomicFile.write(snapshot, to: configURL)
        try AtomicFile.write(Data(script.utf8), to: scriptURL)
        guard chmod(scriptURL.path, 0o755) == 0 else { throw FileFormatError.system(scriptURL.path, "cannot make executable") }
        try SweepPlan(experiment: experiment.name, runs: experiment.runs, shardCount: options.tasks)
            .write(into: RunStore(root: storeRoot))
    }
}
