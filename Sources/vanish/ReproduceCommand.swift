import ArgumentParser
import Foundation
import Reports

/// `vanish reproduce`: the main job — the default suite, its figures and REPORT.md.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run the default reproduction suite and write its figures and REPORT.md.",
        discussion: """
            Runs every config the suite's manifest (suite.yaml) names into the run store (runs already complete \
            are not redone), then draws the figures and writes REPORT.md with the measured numbers. --scale paper \
            runs the paper-sized suite (more seeds, longer sequences and training; about 20 minutes on 2 cores without \
            its gated parts, which add 570 runs). \
            --from STORE rebuilds figures and report from an existing store without running anything. The run \
            store is runs/reproduce (runs/reproduce-paper with --scale paper) unless --store names another. \
            --check DIR reruns the suite in a fresh store and compares the new REPORT.md with DIR/REPORT.md part by \
            part (every table row and every line but the provenance) and the figures pixel by pixel; exit 1 if anything \
            differs.
            """)

    enum Scale: String, ExpressibleByArgument, CaseIterable {
        case quick, paper
    }

    @Option(help: "quick (about 3 minutes on 2 cores) or paper (more than 20 minutes).")
    var scale = Scale.quick

    @Option(help: "The suite's directory: suite.yaml and its configs (default: experiments/reproduce, or experiments/reproduce-paper).")
    var suite: String?

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Rebuild figures and report from this run store without running.", valueName: "store"))
    var from: String?

    @Option(help: "Where to write the figures and REPORT.md (default: figures, or figures/paper).")
    var out: String?

    @Option(help: ArgumentHelp("Rerun the suite in a fresh store and say, part by part, whether every number of DIR/REPORT.md "
                               + "and every figure's pixels come out identical; writes nothing into DIR.", valueName: "dir"))
    var check: String?

    @OptionGroup var runner: RunnerOptions

    func validate() throws {
        if from != nil && store.root != nil { throw ValidationError("--from names the store to read; leave out --store") }
        if check != nil && (from != nil || out != nil) { throw ValidationError("--check reruns into a scratch directory; leave out --from and --out") }
    }

    func run() throws {
        let paper = scale == .paper
        let suite = suite ?? (paper ? "experiments/reproduce-paper" : "experiments/reproduce")
        let root = from ?? store.root ?? (paper ? "runs/reproduce-paper" : "runs/reproduce")
        let output = out ?? (paper ? "figures/paper" : "figures")
        if let check {
            let result = try reportingFailures(exitCode: 2) {
                try ReproductionCheck.run(committed: URL(fileURLWithPath: check), suite: URL(fileURLWithPath: suite),
                                          store: store.root.map { URL(fileURLWithPath: $0) }, jobs: runner.jobs,
                                          showsProgress: runner.showsProgress)
            }
            print("\(check)/REPORT.md against a rerun of \(suite):")
            for line in result.lines { print("  " + line) }
            print(result.identical ? "every number and every figure identical" : "the rerun differs from the committed report")
            if !result.identical { throw ExitCode(1) }
            return
        }
        let outcome = try reportingFailures(exitCode: 2) {
            try Reproduction.run(suite: URL(fileURLWithPath: suite), store: URL(fileURLWithPath: root),
                                 output: URL(fileURLWithPath: output), jobs: runner.jobs, rerun: from == nil,
                                 showsProgress: runner.showsProgress, allowMixedRevisions: runner.allowMixedRevisions)
        }
        for line in outcome.unreadable { Diagnostics.warning(line) }
        for url in outcome.written { print("wrote \(url.path)") }
    }
}
