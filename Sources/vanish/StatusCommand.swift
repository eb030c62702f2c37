import ArgumentParser
import Experiments
import Foundation

/// `vanish status`: what a run store holds, per variant.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Count done, succeeded, diverged, running, failed and corrupt runs in a run store, per variant.")

    @Argument(help: "An experiment's directory in the run store (runs/<experiment>).")
    var directory: String

    func run() throws {
        let report = try reportingFailures(exitCode: 2) { try StoreStatus(directory: URL(fileURLWithPath: directory)) }
        print(report.table)
    }
}
