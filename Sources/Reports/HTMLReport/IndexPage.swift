import Foundation
import Plot
import Sweeps

/// index.html of an experiment's report: its config, status counts, standard figures and
/// the table of every run.
struct IndexPage {
    let experiment: String
    let status: StoreStatus
    let reading: StoreReading
    let table: RunTable
    /// The standard figures as written, or why one could not be drawn.
    let figures: [Result<ReportFigure, PlotError>]
    /// Relative from the report to the experiment's directory in the store.
    let storeLink: String

    func html(provenance: Provenance) -> String {
        var body = "<h1>\(HTML.escape(experiment))</h1>"
        body += "<p>\(reading.runs.count) finished run(s) of \(table.rows.count) in the table. The run store: "
        body += "<a href=\"\(HTML.href(storeLink))/\">\(HTML.escape(storeLink))/</a>"
        if status.plan != nil { body += " (every run, every digit: <a href=\"\(HTML.href(storeLink + "/" + RunTable.fileName))\">runs.csv</a>)" }
        body += ".</p><nav><a href=\"#config\">Configuration</a> · <a href=\"#status\">Status</a> · "
        body += "<a href=\"#figures\">Figures</a> · <a href=\"#runs-heading\">Runs</a></nav>"
        if reading.runs.isEmpty {
            body += "<h2 id=\"config\">Configuration</h2><p class=\"note\">No run is finished yet, so there is no config or figure to show.</p>"
        } else {
            body += ExperimentOverview(reading.runs).html
        }
        body += StatusSection.html(status, reading: reading)
        body += "<h2 id=\"figures\">Figures</h2>"
        for figure in figures {
            switch figure {
            case .success(let file):
                body += "<h3>\(HTML.escape(file.described.title))</h3>"
                body += file.html
            case .failure(let error):
                body += "<p class=\"note\">A figure could not be drawn: \(HTML.escape(error.message))</p>"
            }
        }
        if figures.isEmpty { body += "<p class=\"note\">No figures without finished runs.</p>" }
        body += RunsTableSection.html(table, pages: Set(reading.runs.map(\.id)))
        return ReportPage.document(title: "\(experiment) — vanish report", assets: "assets", provenance: provenance, body: body)
    }
}
