import Foundation
import Sweeps

/// The runs table of the index page: a real `<table>` with the columns of runs.csv, one row
/// per run, each done and readable run linked to its page. Sorting and filtering are the
/// script's (assets/report.js); without the script it is a plain table.
enum RunsTableSection {
    /// The runs.csv columns shown as numbers: right-aligned, sorted numerically, with four
    /// significant digits (runs.csv has every digit).
    static let numericColumns: Set<String> = [
        "seed", "sequence_length", "hidden_size", "final_loss_over_baseline", "decay_factor_start", "decay_factor_end",
        "sigma_max_start", "sigma_max_end", "spectral_radius_start", "spectral_radius_end",
    ]

    /// - Parameter pages: the run ids that have a page, under `runs/`.
    static func html(_ table: RunTable, pages: Set<String>) -> String {
        let columns = RunTable.columns
        let variantIndex = columns.firstIndex(of: "variant")!, statusIndex = columns.firstIndex(of: "status")!
        let variants = Set(table.rows.map { $0[variantIndex] }).filter { !$0.isEmpty }.sorted()
        let statuses = Set(table.rows.map { $0[statusIndex] }).sorted()
        func options(_ values: [String], all: String) -> String {
            "<option value=\"\">\(all)</option>" + values.map { "<option>\(HTML.escape($0))</option>" }.joined()
        }
        var html = """
            <h2 id="runs-heading">Runs</h2>
            <div class="filters" role="search">
            <label>Variant<select id="filter-variant">\(options(variants, all: "all variants"))</select></label>
            <label>Status<select id="filter-status">\(options(statuses, all: "all statuses"))</select></label>
            <label>Text<input id="filter-text" type="search" placeholder="run id, task, init…"></label>
            <span id="runs-shown" aria-live="polite">\(table.rows.count) runs</span>
            </div>
            <div class="table-scroll"><table id="runs" data-runs="\(table.rows.count)">
            <caption>Every run of the sweep, the columns of runs.csv. Click a column's name to sort by it.</caption>
            <thead><tr>
            """
        for column in columns {
            let type = numericColumns.contains(column) ? "number" : "text"
            html += "<th scope=\"col\" data-column=\"\(column)\" data-type=\"\(type)\"><button type=\"button\">\(column)</button></th>"
        }
        html += "</tr></thead><tbody>\n"
        for row in table.rows {
            let id = row[0]
            html += "<tr>"
            for (column, value) in zip(columns, row) {
                if column == "run_id" {
                    let text = HTML.escape(id)
                    html += pages.contains(id) ? "<th scope=\"row\"><a href=\"runs/\(HTML.href(id)).html\">\(text)</a></th>" : "<th scope=\"row\">\(text)</th>"
                } else if column == "status" {
                    html += "<td class=\"status-\(HTML.escape(value))\">\(HTML.escape(value))</td>"
                } else if numericColumns.contains(column) {
                    html += "<td class=\"number\">\(HTML.escape(shortNumber(value)))</td>"
                } else {
                    html += "<td>\(HTML.escape(value))</td>"
                }
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>"
    }

    /// Four significant digits for reading; integers and empty fields as they are.
    private static func shortNumber(_ field: String) -> String {
        guard !field.isEmpty, Int(field) == nil, let value = Double(field) else { return field }
        return String(format: "%.4g", value)
    }
}
