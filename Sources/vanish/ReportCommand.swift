import ArgumentParser
import Foundation
import Reports
import Sweeps

/// `vanish report`: a self-contained HTML report of a sweep, to browse offline.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a sweep: config, status, figures, every run.",
        discussion: """
            Writes index.html (the resolved config with its grid and variants, the status counts per variant and \
            shard, the standard figures as SVG, and a table of every run that sorts and filters) and a page per \
            run (its config, training curve, ‖∂L/∂h_t‖ at each probed iteration, hidden states when recorded, \
            decay fits and links to its files), into <store>/<experiment>/report/ unless --out names another \
            directory. No server, CDN or network: open index.html in a browser, or copy the folder. The report \
            is replaced whole; runs that cannot be read are listed in it and named on stderr.
            """)

    @Argument(help: "An experiment's directory in the run store (<store>/<experiment>).")
    var directory: String

    @Option(help: "Where to write the report (default: <store>/<experiment>/report); an earlier report there is replaced.")
    var out: String?

    @Option(name: .customLong("format"), help: "Also write every figure in this format (png, svg or pdf; repeat for several). The pages show SVG.")
    var formats: [FigureFormat] = []

    @Option(help: "Run pages drawn side by side (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if out?.isEmpty == true { throw ValidationError("--out must name a directory") }
    }

    func run() throws {
        let outcome = try reportingFailures(exitCode: 2) {
            try HTMLReport.write(experimentDirectory: URL(fileURLWithPath: directory), to: out.map { URL(fileURLWithPath: $0) },
                                 formats: formats, command: "vanish report \(directory)", jobs: jobs)
        }
        if let unreadable = outcome.unreadable { Diagnostics.warning(unreadable) }
        print("wrote \(outcome.index.path) (\(outcome.runPages) run page(s))")
    }
}

extension FigureFormat: ExpressibleByArgument {}
