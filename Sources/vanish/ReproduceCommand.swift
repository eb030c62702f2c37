import ArgumentParser
import Experiments
import Foundation

/// `vanish reproduce`: the main job — the default suite, its figures and REPORT.md.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Run the default reproduction suite and write its figures and REPORT.md.",
        discussion: """
            Runs every config in experiments/reproduce/ into the run store (runs already complete are \
            not redone), then draws the figures and writes REPORT.md with the measured numbers. \
            --from DIR rebuilds figures and report from an existing store without running anything.
            """)

    @Option(help: "The suite's directory of configs.")
    var suite = "experiments/reproduce"

    @Option(help: "The run store's root.")
    var runs = "runs"

    @Option(help: "Rebuild figures and report from this run store without running.")
    var from: String?

    @Option(help: "Where to write the figures and REPORT.md.")
    var out = "figures"

    @Option(help: "Runs side by side (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        let written = try reportingFailures(exitCode: 2) {
            try Reproduction.run(suite: URL(fileURLWithPath: suite), runs: URL(fileURLWithPath: from ?? runs),
                                 output: URL(fileURLWithPath: out), jobs: jobs, rerun: from == nil,
                                 showsProgress: !quiet && isatty(STDERR_FILENO) == 1)
        }
        for url in written { print("wrote \(url.path)") }
    }
}
