import ArgumentParser
import Foundation
import Sweeps

/// `vanish slurm`: a sweep as a Slurm job array, written and optionally submitted.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write (and with --submit, submit) a Slurm job array that runs a sweep in shards.",
        discussion: """
            --store STORE, the run store the array's tasks write into, is required. Writes \
            STORE/slurm/<experiment>/config.yaml (a copy of CONFIG, so that later edits cannot make \
            shards disagree), STORE/slurm/<experiment>/array.sbatch (task K runs `vanish sweep --shard K/N` into \
            the run store STORE) and STORE/slurm/<experiment>/logs/ (one <job>_<task>.out per task), and the \
            sweep plan STORE/<experiment>/plan.json. Each task trains --cpus-per-task runs side by side. \
            Resubmitting the script, whole or one task (sbatch --array=K array.sbatch), redoes only the runs \
            not yet complete; `vanish status STORE/<experiment>` shows progress per shard.
            """)

    @Argument(help: "The experiment config (.yaml).")
    var config: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var legacyStore: LegacyStoreOut

    @Option(help: "Array tasks, one shard each (default: one per --cpus-per-task runs, at most 1000).")
    var tasks: Int?

    @Option(help: "At most this many tasks at once (#SBATCH --array=…%M; default: no limit).")
    var parallel: Int?

    @Option(help: "The Slurm partition (default: the cluster's).")
    var partition: String?

    @Option(help: ArgumentHelp("Wall-time limit per task, HH:MM:SS or D-HH:MM:SS (default: the partition's).", valueName: "HH:MM:SS"))
    var time: String?

    @Option(help: "CPUs per task, which is also how many runs a task trains side by side.")
    var cpusPerTask = 1

    @Flag(help: "Submit the array with sbatch and print its job id.")
    var submit = false

    /// The settings, with the default task count once the runs are known.
    private func options(runs: Int) -> SlurmOptions {
        SlurmOptions(tasks: tasks ?? SlurmOptions.defaultTasks(runs: runs, cpusPerTask: cpusPerTask),
                     parallel: parallel, partition: partition, time: time, cpusPerTask: cpusPerTask)
    }

    func validate() throws {
        guard try store.root(legacy: legacyStore, default: nil) != nil else {
            throw ValidationError("--store must name the run store's directory (the array's tasks write into it)")
        }
        if let problem = options(runs: 1).problem { throw ValidationError(problem) }
    }

    func run() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let root = URL(fileURLWithPath: try store.root(legacy: legacyStore, default: nil)!)
        let array = try reportingFailures(exitCode: 2) {
            let experiment = try ExperimentConfig.load(URL(fileURLWithPath: config))
            return try SlurmArray(config: URL(fileURLWithPath: config), experiment: experiment, storeRoot: root,
                                  executable: executable, options: options(runs: experiment.runs.count))
        }
        try reportingFailures(exitCode: 2) { try array.checkEarlierArray() }
        try reportingFailures(exitCode: 1) { try array.write() }
        let runs = array.experiment.runs.count, shards = array.options.tasks
        if shards > runs {
            Diagnostics.note("\(shards) tasks for \(runs) run(s): tasks \(runs)…\(shards - 1) have no runs and end at once")
        }
        print("wrote \(array.scriptURL.path): \(shards) task(s) for \(runs) run(s) of \(array.experiment.name), "
              + "logs in \(array.logsURL.path)/")
        print("follow it with: vanish status \(array.storeRoot.appendingPathComponent(array.experiment.name).path)")
        guard submit else {
            print("submit it with:")
            print("  \(array.submitCommand)")
            return
        }
        let job = try reportingFailures(exitCode: 1) {
            try SlurmSubmission.submit(array.scriptURL, environment: ProcessInfo.processInfo.environment)
        }
        print("Submitted batch job \(job)")
    }
}
