import Foundation
import Plot
import Sweeps

/// One experiment's report, read from its directory in the store and rendered into a
/// directory: index.html, assets/, figures/ and runs/ (a page per run, with its figures).
struct ExperimentReport {
    let directory: URL
    let status: StoreStatus
    let reading: StoreReading

    /// - Throws: `AnalysisError` when the directory is not an experiment's directory or its
    ///   plan cannot be read.
    init(_ directory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AnalysisError("\(directory.path): no such directory")
        }
        guard RunStore.isExperimentDirectory(directory) else {
            throw AnalysisError("\(directory.path): not an experiment's directory in a run store (no plan.json, no run with a "
                                + "summary.json); give <store>/<experiment>")
        }
        self.directory = directory
        status = try StoreStatus(directory: directory)
        let (store, experiment) = RunStore.experimentDirectory(directory)
        reading = try store.completedRuns(of: experiment)
    }

    var experiment: String { reading.experiment }

    /// The provenance of the report's pages and figures: the command, and the hash of the
    /// configurations of the runs it shows.
    func provenance(_ command: String) -> Provenance {
        .vanish(command, configHash: ToolProvenance.configHash(reading.runs.map(\.configuration.resolvedYAML).joined()))
    }

    /// Every planned run, or, in a store without a plan, every run that could be read.
    var table: RunTable {
        RunTable(plan: status.plan ?? SweepPlan(experiment: experiment, runs: reading.runs.map(\.configuration), shardCount: 1),
                 status: status)
    }

    /// Writes the report into `staging`, which becomes `published`: links into the store are
    /// relative to where the report will be, not to the staging directory.
    /// - Throws: `PlotError` or a file error when a file cannot be written.
    func render(into staging: URL, publishedAt published: URL, formats: [FigureFormat], provenance: Provenance, jobs: Int) throws {
        let manager = FileManager.default
        for name in ["assets", "figures", "runs"] {
            try manager.createDirectory(at: staging.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try Data(ReportStyle.css.utf8).write(to: staging.appendingPathComponent("assets/report.css"))
        try Data(ReportScript.javascript.utf8).write(to: staging.appendingPathComponent("assets/report.js"))
        // The standard figures first, on this thread: the first drawing sets up the fonts.
        let figures = reading.runs.isEmpty ? [] : SweepFigures.standard(RunGroup.grouping(reading.runs)).map { described in
            Result { () throws(PlotError) in
                try Self.write(described, as: described.name, in: staging.appendingPathComponent("figures"), prefix: "figures/",
                               formats: formats, provenance: provenance)
            }
        }
        let runsLink = RelativePath.from(published.appendingPathComponent("runs"), to: directory)
        try RunPages.write(reading.runs, into: staging.appendingPathComponent("runs"), storeLink: runsLink, formats: formats,
                           provenance: provenance, jobs: jobs)
        let index = IndexPage(experiment: experiment, status: status, reading: reading, table: table, figures: figures,
                              storeLink: RelativePath.from(published, to: directory))
        try Data(index.html(provenance: provenance).utf8).write(to: staging.appendingPathComponent(HTMLReport.indexFileName))
    }

    /// Writes a figure as SVG (what the pages show) and in the other formats asked for.
    /// - Parameter prefix: the path from the page to `directory`, for the links.
    static func write(_ described: DescribedFigure, as name: String, in directory: URL, prefix: String, formats: [FigureFormat],
                      provenance: Provenance) throws(PlotError) -> ReportFigure {
        let svg = FigureFormat.svg.url(name, in: directory)
        try described.figure.write(to: svg, provenance: provenance)
        var others: [String] = []
        for format in formats where format != .svg {
            try described.figure.write(to: format.url(name, in: directory), provenance: provenance)
            others.append(prefix + "\(name).\(format.rawValue)")
        }
        return ReportFigure(described: described, file: prefix + svg.lastPathComponent, others: others)
    }
}
