import Foundation

extension RunStore {
    /// Refuses to add runs to an experiment whose completed runs another revision of vanish
    /// wrote: one experiment's figures and tables would otherwise mix two programs' numbers
    /// without saying so. The kernel path may differ (every path gives the same bits); a
    /// dirty build counts as its own revision, since its changes are not in any commit.
    /// - Parameter allowing: true (`--allow-mixed-revisions`) to resume anyway.
    /// - Throws: `AnalysisError` naming both revisions and how many runs the other wrote.
    public func requireOneRevision(in experiment: String, allowing: Bool) throws(AnalysisError) {
        guard !allowing else { return }
        let current = SourceRevision.current ?? "unknown"
        let directory = root.appendingPathComponent(experiment)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var others: [String: Int] = [:]
        for name in names where !name.hasPrefix(".") {
            guard case .done(let summary) = state(at: directory.appendingPathComponent(name)) else { continue }
            let revision = summary.sourceRevision ?? "unknown"
            if revision != current { others[revision, default: 0] += 1 }
        }
        guard let (revision, count) = others.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { return }
        throw AnalysisError("\(directory.path): \(count) completed run(s) were written by revision \(revision), this vanish is "
                            + "revision \(current); one experiment's results do not mix two revisions: pass "
                            + "--allow-mixed-revisions to resume anyway, or write into another --store")
    }
}
