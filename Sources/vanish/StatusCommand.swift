import ArgumentParser
import Foundation
import Sweeps

/// `vanish status`: what a run store holds, per variant.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Count done, succeeded, diverged, running, failed and corrupt runs in a run store, per variant.",
        discussion: """
            With a sweep plan (plan.json, written by every sweep), also per shard, with the planned runs that \
            are missing listed. Exits 0 whenever the store can be read, complete or not.
            """)

    @Argument(help: "An experiment's directory in the run store (<store>/<experiment>).")
    var directory: String

    func run() throws {
        let report = try reportingFailures(exitCode: 2) { try StoreStatus(directory: URL(fileURLWithPath: directory)) }
        print(report.table)
    }
}
