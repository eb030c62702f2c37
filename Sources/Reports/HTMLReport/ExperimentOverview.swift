import Sweeps

/// What an experiment is, as its runs record it: the store keeps each run's resolved config,
/// not the file the sweep was started from, so the grid and the variants are read back from
/// how the runs' settings differ.
struct ExperimentOverview {
    /// The first run's resolved config: every setting with its default filled in.
    let resolvedYAML: String
    /// The settings that take more than one value within a variant, with their values.
    let grid: [(key: String, values: [String])]
    /// Each variant with the settings that set it apart from the others.
    let variants: [(name: String, settings: [(key: String, value: String)])]
    let seeds: [UInt64]

    /// - Precondition: `runs` is not empty.
    init(_ runs: [StoredRun]) {
        resolvedYAML = runs[0].configuration.resolvedYAML
        seeds = Array(Set(runs.map(\.configuration.seed))).sorted()
        let settings = runs.map { run -> (variant: String, values: [String: String]) in
            var values = run.configuration.describedSettings
            values["sequence_length"] = String(run.configuration.task.sequenceLength)
            values["cell"] = run.configuration.model.cell.rawValue
            values["task"] = run.configuration.task.name
            return (run.configuration.variant ?? "", values)
        }
        let keys = Set(settings.flatMap(\.values.keys)).sorted()
        let variantNames = settings.map(\.variant).reduce(into: [String]()) { names, name in
            if !names.contains(name) { names.append(name) }
        }
        func values(_ key: String, in variant: String?) -> [String] {
            Self.sortedValues(Set(settings.filter { variant == nil || $0.variant == variant }.map { $0.values[key] ?? "–" }))
        }
        grid = keys.compactMap { key in
            variantNames.contains { values(key, in: $0).count > 1 } ? (key, values(key, in: nil)) : nil
        }
        let gridKeys = Set(grid.map(\.key))
        let distinguishing = keys.filter { !gridKeys.contains($0) && values($0, in: nil).count > 1 }
        variants = variantNames.filter { !$0.isEmpty }.map { name in
            (name, distinguishing.map { ($0, values($0, in: name).first ?? "–") })
        }
    }

    /// Numbers in numeric order, other values in text order.
    private static func sortedValues(_ values: Set<String>) -> [String] {
        values.sorted { a, b in
            if let x = Double(a), let y = Double(b) { return x < y }
            return a < b
        }
    }

    /// The config section of the index page.
    var html: String {
        var html = "<h2 id=\"config\">Configuration</h2>"
        html += "<p>\(seeds.count) seed(s): \(HTML.escape(seeds.map(String.init).joined(separator: ", "))).</p>"
        if grid.isEmpty {
            html += "<p>No setting is swept: every variant is one configuration.</p>"
        } else {
            html += HTML.table(headers: ["swept setting", "values"], rows: grid.map { [$0.key, $0.values.joined(separator: ", ")] },
                               caption: "The grid: settings that take several values within a variant")
        }
        if !variants.isEmpty {
            let keys = variants.first?.settings.map(\.key) ?? []
            html += HTML.table(headers: ["variant"] + keys, rows: variants.map { [$0.name] + $0.settings.map(\.value) },
                               caption: "The variants, by the settings that set them apart")
        }
        html += "<details><summary>Resolved config of the first run (every default filled in)</summary>"
        html += "<pre>\(HTML.escape(resolvedYAML))</pre></details>"
        return html
    }
}
