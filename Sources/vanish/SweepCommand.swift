import ArgumentParser
import Foundation
import Reports
import Sweeps

/// `vanish sweep`: every run of a config (or of one shard of it), side by side, into the run store.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every point of an experiment config (grid × variants × seeds) into the run store.",
        discussion: """
            The run store is runs/ unless --store names another. Runs already complete in the store are skipped, so a killed sweep started again redoes only \
            what did not finish. Each run writes <store>/<experiment>/<run-id>/ atomically. Before running, the \
            sweep writes <store>/<experiment>/plan.json (every run and its shard), which status and plot read, \
            and <store>/<experiment>/runs.csv (one row per planned run, done or not), rewritten as runs finish.

            --shard K/N runs only shard K of N (K from 0 to N-1): the runs are split among N shards by \
            estimated cost, the same way in every process, and every shard writes into the same store. \
            --shard slurm takes K and N from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT.

            --report writes the HTML report of the experiment (as `vanish report`) into \
            <store>/<experiment>/report/ when the sweep ends, showing whatever the store holds then.
            """)

    @Argument(help: "The experiment config (.yaml).")
    var config: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var legacyStore: LegacyStoreOut
    @OptionGroup var runner: RunnerOptions

    @Option(help: ArgumentHelp("Run only shard K of N (0 ≤ K < N), or 'slurm' for the array task's.", valueName: "K/N|slurm"))
    var shard: String?

    @Flag(help: "When the sweep ends, write its HTML report into <store>/<experiment>/report/ (as vanish report).")
    var report = false

    func validate() throws {
        _ = try store.root(legacy: legacyStore, default: nil)
    }

    func run() throws {
        let shard: Shard? = try reportingFailures(exitCode: 2) {
            guard let text = self.shard else { return nil }
            return try Shard(parsing: text, environment: ProcessInfo.processInfo.environment)
        }
        let experiment = try reportingFailures(exitCode: 2) { try ExperimentConfig.load(URL(fileURLWithPath: config)) }
        let store = RunStore(root: URL(fileURLWithPath: try self.store.root(legacy: legacyStore, default: "runs")!))
        let assignment = ShardAssignment(experiment.runs, count: shard?.count ?? 1)
        let runs = assignment.runs(inShard: shard?.index ?? 0)
        let name = experiment.name + (shard.map { " shard \($0)" } ?? "")
        try reportingFailures(exitCode: 2) {
            try store.requireOneRevision(in: experiment.name, allowing: runner.allowMixedRevisions)
        }
        try reportingFailures(exitCode: 1) {
            try SweepPlan(experiment: experiment.name, runs: experiment.runs, shardCount: assignment.count).write(into: store)
        }
        if runs.isEmpty {
            print("\(name): no runs in this shard (\(experiment.runs.count) run(s) in \(assignment.count) shards); nothing to do")
            return
        }
        let outcome = SweepRunner(store: store, jobs: runner.jobs, showsProgress: runner.showsProgress).run(runs)
        for failure in outcome.failed { Diagnostics.error("run \(failure.id): \(failure.message)") }
        if let problem = outcome.runTableProblem { Diagnostics.error(problem) }
        let stopped = outcome.notStarted.isEmpty ? "" : ", \(outcome.notStarted.count) not started (the store cannot be written)"
        print("\(name): \(outcome.completed.count) run(s) done, \(outcome.skipped.count) already complete, "
              + "\(outcome.failed.count) failed\(stopped); store \(store.root.appendingPathComponent(experiment.name).path)")
        if report {
            let directory = store.root.appendingPathComponent(experiment.name)
            let written = try reportingFailures(exitCode: 1) {
                try HTMLReport.write(experimentDirectory: directory, command: "vanish sweep \(config) --report", jobs: runner.jobs)
            }
            print("wrote \(written.index.path)")
        }
        if !outcome.failed.isEmpty || outcome.runTableProblem != nil { throw ExitCode(1) }
    }
}
