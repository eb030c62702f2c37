import ArgumentParser
import Foundation

/// How runs are carried out: side by side on `--jobs` threads, with progress on stderr
/// unless `--quiet`, into a store whose runs this revision wrote unless
/// `--allow-mixed-revisions`.
struct RunnerOptions: ParsableArguments {
    @Option(help: "Runs side by side (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    @Flag(help: "Add runs to an experiment whose completed runs another revision of vanish wrote (refused otherwise).")
    var allowMixedRevisions = false

    /// Progress lines go to a terminal only.
    var showsProgress: Bool { !quiet && isatty(STDERR_FILENO) == 1 }

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }
}
