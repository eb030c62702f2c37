import Sweeps

/// The status counts of the index page, as `vanish status` gives them (per variant, and per
/// shard when the store has a plan), and every run that is not in the figures, with why:
/// corrupt, failed, missing, or done but unreadable.
enum StatusSection {
    static func html(_ status: StoreStatus, reading: StoreReading) -> String {
        let columns = ["done", "succeeded", "diverged", "running", "failed", "corrupt", "missing"]
        func row(_ label: String, _ counts: StoreStatus.Counts) -> [String] {
            [label] + [counts.done, counts.succeeded, counts.diverged, counts.running, counts.failed, counts.corrupt, counts.missing]
                .map(String.init)
        }
        var html = "<h2 id=\"status\">Status</h2>"
        if let plan = status.plan {
            let done = status.shardCounts.values.map(\.done).reduce(0, +)
            html += "<p>\(done) of \(plan.runs.count) planned runs done, in \(plan.shardCount) shard(s).</p>"
        } else {
            html += "<p class=\"note\">This store has no sweep plan (plan.json), so runs that were never started cannot be counted as missing.</p>"
        }
        html += HTML.table(headers: ["variant"] + columns,
                           rows: status.counts.sorted { $0.key < $1.key }.map { row($0.key, $0.value) }, caption: "Runs per variant")
        if status.plan != nil {
            html += HTML.table(headers: ["shard"] + columns,
                               rows: status.shardCounts.sorted { $0.key < $1.key }.map { row(String($0.key), $0.value) },
                               caption: "Runs per shard")
        }
        var problems = status.problems.map { "\($0.run): \($0.problem)" }
        problems += status.unfinished.filter { $0.state == .missing }.map { "\($0.run): missing (shard \($0.shard))" }
        problems += reading.unreadable.filter { status.states[$0.id] == .done }.map { "\($0.id): done but unreadable (\($0.reason))" }
        if status.unplanned > 0 { problems.append("\(status.unplanned) run(s) in the store are not in the plan (from an earlier config)") }
        if !problems.isEmpty {
            html += "<h3>Runs not in the figures (\(problems.count))</h3><ul class=\"problems\">"
            html += problems.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
        }
        return html
    }
}
