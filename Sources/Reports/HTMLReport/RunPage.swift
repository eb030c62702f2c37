import Foundation
import Plot
import Sweeps

/// One run's page, runs/<run-id>.html: its outcome, resolved config, figures, decay fits
/// and links to its files in the store.
struct RunPage {
    let run: StoredRun
    /// The relative path from the runs/ directory to the run's directory in the store.
    let storeLink: String

    /// - Parameter figure: the run's figure, when it has anything to draw.
    func html(figure: ReportFigure?, provenance: Provenance) -> String {
        let summary = run.summary
        var body = "<p><a href=\"../index.html\">← \(HTML.escape(summary.experiment))</a></p>"
        body += "<h1>Run <code>\(HTML.escape(run.id))</code></h1>"
        body += HTML.table(headers: ["quantity", "value"], rows: outcome, caption: "Outcome")
        body += "<h2>Figures</h2>"
        body += figure.map(\.html) ?? "<p class=\"note\">This run recorded nothing to draw.</p>"
        body += "<h2>Decay fits</h2>" + decayFits
        body += "<h2>Resolved config</h2><pre>\(HTML.escape(run.configuration.resolvedYAML))</pre>"
        body += "<h2>Files</h2>" + files
        return ReportPage.document(title: "\(run.id) — \(summary.experiment)", assets: "../assets", provenance: provenance, body: body)
    }

    private var outcome: [[String]] {
        let summary = run.summary
        func number(_ value: Double?) -> String { value.map { String(format: "%.4g", $0) } ?? "–" }
        return [
            ["variant", summary.variant ?? "–"], ["seed", String(summary.seed)], ["task", summary.task],
            ["sequence length T", String(summary.sequenceLength)], ["iterations", String(summary.iterations)],
            ["success", summary.success ? "yes" : "no"], ["final held-out loss", number(summary.finalEvalLoss)],
            ["baseline loss", number(summary.baselineLoss)], ["final accuracy", number(summary.finalEvalAccuracy)],
            ["diverged at", summary.divergedAt.map(String.init) ?? "never"],
            ["wall time", String(format: "%.2f s", summary.wallSeconds)],
            ["made by", "\(summary.tool) \(summary.version)" + (summary.sourceRevision.map { " at \($0)" } ?? "")],
        ]
    }

    /// ln‖∂L/∂h_t‖'s fitted decay and W_hh's spectrum per block, at the start and the end.
    private var decayFits: String {
        var rows: [[String]] = []
        func number(_ value: Double?, _ format: String = "%.4g") -> String { value.map { String(format: format, $0) } ?? "–" }
        for (moment, blocks) in [("start", run.summary.blocksAtStart), ("end", run.summary.blocksAtEnd)] {
            for block in blocks {
                rows.append([moment, block.name, number(block.decayFit?.factorPerStep), number(block.decayFit?.logSlopePerStep),
                             number(block.decayFit?.rSquared, "%.3f"), block.decayFit.map { String($0.fittedSteps) } ?? "–",
                             number(block.sigmaMax), number(block.spectralRadius)])
            }
        }
        guard !rows.isEmpty else { return "<p>No blocks were probed.</p>" }
        return HTML.table(headers: ["when", "block", "factor per step", "ln slope per step", "R²", "steps fitted", "σ_max(W_hh)",
                                    "spectral radius"], rows: rows,
                          caption: "Decay of ‖∂L/∂h_t‖ back from the last step (fit of ln‖∂L/∂h_t‖), and W_hh's spectrum")
    }

    private var files: String {
        let items = run.fileNames.map { name in
            "<li><a href=\"\(HTML.href(storeLink + "/" + name))\">\(HTML.escape(name))</a></li>"
        }
        return "<p>In the run store, relative to this page: <code>\(HTML.escape(storeLink))/</code>.</p><ul>" + items.joined() + "</ul>"
    }
}
