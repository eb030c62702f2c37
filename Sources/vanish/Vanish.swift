import ArgumentParser
import Experiments

@main
struct Vanish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vanish",
        abstract: "Measure vanishing gradients in recurrent networks.",
        version: ToolVersion.current,
        subcommands: [Analyze.self, GalleryCommand.self])
}
