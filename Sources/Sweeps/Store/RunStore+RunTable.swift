import AtomicIO
import Foundation

extension RunStore {
    /// `<root>/<experiment>/runs.csv`.
    func runTableURL(experiment: String) -> URL {
        root.appendingPathComponent(experiment).appendingPathComponent(RunTable.fileName)
    }

    /// Rewrites an experiment's `runs.csv` from what the store holds now; nothing without a
    /// plan (the runs a sweep was to produce are not known).
    ///
    /// Writers take turns (a claim on `.runs.csv.lock`): each version is right when made, but
    /// without turns one made before another run finished could be renamed into place last
    /// and stay there.
    /// - Throws: `FileFormatError` naming the file when it cannot be written, `AnalysisError`
    ///   when the plan cannot be read.
    func rewriteRunTable(experiment: String, cache: RunStateCache) throws {
        let directory = root.appendingPathComponent(experiment)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(SweepPlan.fileName).path) else { return }
        let turn = try RunClaim(waitingFor: directory.appendingPathComponent(".\(RunTable.fileName).lock"), holder: RunTable.fileName)
        defer { turn.release() }
        // Only the writer whose turn it is writes a temporary, so any other is a killed writer's.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(".\(RunTable.fileName).tmp-") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
        let status = try StoreStatus(directory: directory, cache: cache)
        guard let plan = status.plan else { return }
        try AtomicFile.write(Data(RunTable(plan: plan, status: status).csv.utf8), to: runTableURL(experiment: experiment))
    }
}
