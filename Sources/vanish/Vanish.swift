import ArgumentParser
import Foundation
import Recurrence
import Sweeps

@main
struct Vanish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vanish",
        abstract: "Measure vanishing gradients in recurrent networks.",
        version: ToolProvenance.versionText,
        subcommands: [
            ReproduceCommand.self, RunCommand.self, SweepCommand.self, SlurmCommand.self, StatusCommand.self, PlotCommand.self,
            ReportCommand.self, AnalyzeCommand.self, GalleryCommand.self,
        ])

    /// A forced kernel path this CPU cannot run is refused before anything else happens: the
    /// kernels would otherwise run on another path than the one the user asked to check.
    static func main() {
        do {
            try KernelPath.validateEnvironment()
        } catch {
            Diagnostics.error("\(error)")
            Self.exit(withError: ExitCode(2))
        }
        main(nil)
    }
}
