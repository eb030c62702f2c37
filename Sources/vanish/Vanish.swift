import ArgumentParser
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
}
