import ArgumentParser
import Reports
import Foundation

/// `vanish reproduce`: the main job — the default suite, its figures and REPORT.md.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run the default reproduction suite and write its figures and REPORT.md.",
        discussion: """
            Runs every config of the suite into the run store (runs already complete are not redone), \
            then draws the figures and writes REPORT.md with the measured numbers. --scale paper runs the \
            paper-sized suite (more seeds, longer sequences and training; about 20 minutes on 2 cores). --from DIR \
            rebuilds figures and report from an existing store without running anything.
            """)

    enum Scale: String, ExpressibleByArgument, CaseIterable {
        case quick, paper
    }

    @Option(help: "quick (about a minute) or paper (about 20 minutes on 2 cores).")
    var scale = Scale.quick

    @Option(help: "The suite's directory of configs (default: experiments/reproduce, or experiments/reproduce-paper).")
    var suite: String?

    @Option(help: "The run store's root (default: runs/reproduce, or runs/reproduce-paper).")
    var runs: String?

    @Option(help: "Rebuild figures and report from this run store without running.")
    var from: String?

    @Option(help: "Where to write the figures and REPORT.md (default: figures, or figures/paper).")
    var out: String?

    @Option(help: "Runs side by side (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        let paper = scale == .paper
        let suite = suite ?? (paper ? "experiments/reproduce-paper" : "experiments/reproduce")
        let store = from ?? runs ?? (paper ? "runs/reproduce-paper" : "runs/reproduce")
        let output = out ?? (paper ? "figures/paper" : "figures")
        let written = try reportingFailures(exitCode: 2) {
            try Reproduction.run(suite: URL(fileURLWithPath: suite), runs: URL(fileURLWithPath: store),
                                 output: URL(fileURLWithPath: output), jobs: jobs, rerun: from == nil,
                                 showsProgress: !quiet && isatty(STDERR_FILENO) == 1)
        }
        for url in written { print("wrote \(url.path)") }
    }
}
