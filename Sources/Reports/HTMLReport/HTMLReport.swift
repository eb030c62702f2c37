import AtomicIO
import Foundation
import Plot
import Sweeps

/// `vanish report`: a self-contained HTML report of a run store's experiment, one folder
/// that opens from file:// with no server, CDN or network: index.html (config, status,
/// standard figures as SVG, a sortable table of every run) and a page per run. It is
/// published whole (staged beside, then swapped in), so a reader never sees half of one.
public enum HTMLReport {
    /// What a report wrote.
    public struct Outcome: Sendable {
        public let index: URL
        public let runPages: Int
        /// The runs that could not be read, in one line (the report lists them too); nil when none.
        public let unreadable: String?
    }

    public static let indexFileName = "index.html"
    /// What a report directory holds: only a directory of these (or an empty one) is replaced.
    static let knownFiles: Set<String> = [indexFileName, "assets", "figures", "runs"]

    /// report/ in the experiment's directory.
    public static func defaultOutput(experimentDirectory: URL) -> URL {
        experimentDirectory.appendingPathComponent(RunStore.reportDirectoryName)
    }

    /// Writes the report of an experiment's directory in a run store.
    /// - Parameters:
    ///   - output: the report's directory (default `defaultOutput`); an earlier report there is replaced.
    ///   - formats: formats to write each figure in besides SVG, which the pages show.
    ///   - command: what the provenance says made the report.
    ///   - jobs: threads drawing the run pages.
    /// - Throws: `AnalysisError` for a directory that is not an experiment's or cannot be read,
    ///   `FileFormatError` for an output that may not be replaced or cannot be written,
    ///   `PlotError` for a figure that cannot be written. Nothing is published then.
    public static func write(experimentDirectory: URL, to output: URL? = nil, formats: [FigureFormat] = [], command: String,
                             jobs: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Outcome {
        let report = try ExperimentReport(experimentDirectory)
        let output = output ?? defaultOutput(experimentDirectory: experimentDirectory)
        try ResultDirectory.checkReplaceable(output, inputs: [experimentDirectory], knownFiles: knownFiles, marker: indexFileName)
        try AtomicDirectory.publish(to: output) { staging in
            try report.render(into: staging, publishedAt: output, formats: formats, provenance: report.provenance(command), jobs: jobs)
        }
        return Outcome(index: output.appendingPathComponent(indexFileName), runPages: report.reading.runs.count,
                       unreadable: report.reading.unreadableSummary)
    }

    /// Writes one folder with the report of each experiment (in a directory named after it)
    /// and an index.html linking them: the reproduction suite's report.
    /// - Throws: as `write`.
    static func writeSuite(experimentDirectories: [URL], to output: URL, title: String, command: String,
                           jobs: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> URL {
        let reports = try experimentDirectories.map(ExperimentReport.init)
        let provenance = Provenance.vanish(command)
        try ResultDirectory.checkReplaceable(output, inputs: experimentDirectories, knownFiles: knownFiles.union(reports.map(\.experiment)),
                                             marker: indexFileName)
        try AtomicDirectory.publish(to: output) { staging in
            for report in reports {
                try report.render(into: staging.appendingPathComponent(report.experiment),
                                  publishedAt: output.appendingPathComponent(report.experiment), formats: [], provenance: provenance, jobs: jobs)
            }
            try FileManager.default.createDirectory(at: staging.appendingPathComponent("assets"), withIntermediateDirectories: true)
            try Data(ReportStyle.css.utf8).write(to: staging.appendingPathComponent("assets/report.css"))
            try Data(ReportScript.javascript.utf8).write(to: staging.appendingPathComponent("assets/report.js"))
            let rows = reports.map { report in
                ["<a href=\"\(HTML.href(report.experiment))/index.html\">\(HTML.escape(report.experiment))</a>",
                 String(report.reading.runs.count), String(report.reading.unreadable.count)]
            }
            let body = "<h1>\(HTML.escape(title))</h1><p>One report per experiment of the suite.</p>"
                + HTML.table(headers: ["experiment", "finished runs", "unreadable runs"], rows: rows, rawCells: true)
            let page = ReportPage.document(title: title, assets: "assets", provenance: provenance, body: body)
            try Data(page.utf8).write(to: staging.appendingPathComponent(indexFileName))
        }
        return output.appendingPathComponent(indexFileName)
    }
}
