import Foundation

/// Refuses to draw figures from a store that lacks runs it should hold: a partial sweep
/// plotted as if whole would show what happens to have finished, not the experiment.
public enum StoreCompleteness {
    /// Checks an experiment's directory against its plan (a store without a plan, written
    /// before plans, is taken as it is).
    /// - Throws: `AnalysisError`: one line with how many planned runs are not done and how to
    ///   finish them, then one line per run.
    public static func requirePlanned(_ directory: URL) throws(AnalysisError) {
        let status = try StoreStatus(directory: directory)
        guard let plan = status.plan, !status.unfinished.isEmpty else { return }
        let lines = status.unfinished.map { "  \($0.run) (shard \($0.shard) of \(plan.shardCount)): \($0.state.rawValue)" }
        throw AnalysisError("\(directory.path): \(status.unfinished.count) of \(plan.runs.count) planned runs are not done "
                            + "\(breakdown(status.unfinished.map(\.state))); rerun the sweep (or the shards named) to finish them, "
                            + "`vanish status \(directory.path)` shows progress:\n" + lines.joined(separator: "\n"))
    }

    /// Checks that the store holds every run of `experiments`.
    /// - Throws: `AnalysisError` as `requirePlanned`, runs named `<experiment>/<run-id>`.
    public static func require(_ experiments: [ExperimentConfig], in store: RunStore, remedy: String) throws(AnalysisError) {
        let runs = experiments.flatMap(\.runs)
        let unfinished = runs.compactMap { run -> (String, StoreStatus.RunState)? in
            let state = state(of: run, in: store)
            return state == .done ? nil : ("\(run.experiment)/\(run.id)", state)
        }
        guard !unfinished.isEmpty else { return }
        throw AnalysisError("\(store.root.path): \(unfinished.count) of \(runs.count) runs are not done "
                            + "\(breakdown(unfinished.map(\.1))); \(remedy):\n"
                            + unfinished.map { "  \($0.0): \($0.1.rawValue)" }.joined(separator: "\n"))
    }

    /// One run's state, decided as `StoreStatus` does.
    static func state(of run: RunConfiguration, in store: RunStore) -> StoreStatus.RunState {
        let stored = store.state(of: run)
        if case .done = stored { return .done }
        if RunClaim.isHeld(store.claimURL(for: run)) { return .running }
        if case .corrupt = stored { return .corrupt }
        return FileManager.default.fileExists(atPath: store.failureNote(for: run).path) ? .failed : .missing
    }

    /// "(2 missing, 1 corrupt)".
    private static func breakdown(_ states: [StoreStatus.RunState]) -> String {
        let order: [StoreStatus.RunState] = [.missing, .running, .failed, .corrupt]
        let parts = order.compactMap { state -> String? in
            let count = states.filter { $0 == state }.count
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}
