import ArgumentParser
import Foundation
import Reports
import Sweeps

/// `vanish plot`: the standard figures of a sweep, from the run store alone.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a sweep's standard figures (gradient decay, success against length, training curves) from its run store.",
        discussion: """
            A store whose sweep plan (plan.json) lists runs that are not done is refused, naming them, \
            unless --allow-incomplete is given. Runs that cannot be read are named on stderr and left out.
            """)

    @Argument(help: "An experiment's directory in the run store (<store>/<experiment>).")
    var directory: String

    @Option(help: "Where to write the figures (default: figures/<experiment>).")
    var out: String?

    @Option(name: .customLong("format"), help: "The figures' format: png, svg or pdf; repeat for several (default: png).")
    var formats: [FigureFormat] = []

    @Flag(help: "Draw from the runs that are done even when the plan lists more.")
    var allowIncomplete = false

    func run() throws {
        let experimentDirectory = URL(fileURLWithPath: directory)
        let output = URL(fileURLWithPath: out ?? "figures/\(experimentDirectory.lastPathComponent)")
        let (store, experiment) = RunStore.experimentDirectory(experimentDirectory)
        let reading = try reportingFailures(exitCode: 2) {
            if !allowIncomplete { try StoreCompleteness.requirePlanned(experimentDirectory) }
            return try store.completedRuns(of: experiment)
        }
        if let unreadable = reading.unreadableSummary { Diagnostics.warning(unreadable) }
        let written = try reportingFailures(exitCode: 2) {
            try SweepFigures.write(reading, to: output, command: "vanish plot \(directory)", formats: formats.isEmpty ? [.png] : formats)
        }
        for url in written { print("wrote \(url.path)") }
    }
}
