import ArgumentParser
import Experiments
import Foundation
import Plot

/// `vanish plot`: the standard figures of a sweep, from the run store alone.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a sweep's standard figures (gradient decay, success against length, training curves) from its run store.")

    @Argument(help: "An experiment's directory in the run store (runs/<experiment>).")
    var directory: String

    @Option(help: "Where to write the figures (default: figures/<experiment>).")
    var out: String?

    func run() throws {
        let store = URL(fileURLWithPath: directory)
        let output = URL(fileURLWithPath: out ?? "figures/\(store.lastPathComponent)")
        let written = try reportingFailures(exitCode: 2) {
            try SweepFigures.write(store: store, to: output, provenance: .vanish("vanish plot \(directory)"))
        }
        for url in written { print("wrote \(url.path)") }
    }
}
