import Foundation
import TensorIO

/// What an experiment's directory in the store holds, read back for figures and reports:
/// every completed run as a typed record, and every run directory that could not be read,
/// with why. Nothing is dropped silently: a reader shows `unreadable` to the user.
public struct StoreReading: Sendable {
    public let experiment: String
    /// In run-id order.
    public let runs: [StoredRun]
    public let unreadable: [UnreadableRun]

    /// "2 runs of example-adding cannot be read and are left out: <id> (<reason>), …"; nil
    /// when every run was read.
    public var unreadableSummary: String? {
        guard !unreadable.isEmpty else { return nil }
        let runs = unreadable.count == 1 ? "1 run" : "\(unreadable.count) runs"
        return "\(runs) of \(experiment) cannot be read and are left out: "
            + unreadable.map { "\($0.id) (\($0.reason))" }.joined(separator: ", ")
    }
}

/// A run directory that is there but cannot be used: corrupt, or done with files that do not parse.
public struct UnreadableRun: Equatable, Sendable {
    public let id: String
    public let reason: String
}

extension RunStore {
    /// Reads every run directory of an experiment.
    /// - Throws: `AnalysisError` when the experiment's directory does not exist.
    public func completedRuns(of experiment: String) throws(AnalysisError) -> StoreReading {
        let directory = root.appendingPathComponent(experiment)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AnalysisError("\(directory.path): no such run store directory")
        }
        // Runs are read side by side (a sweep of a thousand runs takes seconds to parse), each
        // into its own slot, so the result is in run-id order whatever the timing.
        let names = Self.runDirectoryNames(in: directory)
        nonisolated(unsafe) let slots = UnsafeMutableBufferPointer<Result<StoredRun, AnalysisError>?>.allocate(capacity: names.count)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            slots[index] = readRun(at: directory.appendingPathComponent(names[index]))
        }
        var runs: [StoredRun] = []
        var unreadable: [UnreadableRun] = []
        for (name, result) in zip(names, slots) {
            switch result! {
            case .success(let run): runs.append(run)
            case .failure(let problem): unreadable.append(UnreadableRun(id: name, reason: problem.message))
            }
        }
        return StoreReading(experiment: experiment, runs: runs, unreadable: unreadable)
    }

    /// The store and experiment of an experiment's directory (`runs/<experiment>`), as users name it.
    public static func experimentDirectory(_ directory: URL) -> (store: RunStore, experiment: String) {
        (RunStore(root: directory.deletingLastPathComponent()), directory.lastPathComponent)
    }

    private func readRun(at directory: URL) -> Result<StoredRun, AnalysisError> {
        let summary: RunSummary
        switch state(at: directory) {
        case .done(let done): summary = done
        case .corrupt(let problem): return .failure(AnalysisError("corrupt: \(problem)"))
        case .missing: return .failure(AnalysisError("vanished while being read"))
        }
        guard let yaml = try? String(contentsOf: directory.appendingPathComponent(RunFiles.config), encoding: .utf8),
              let configuration = try? ExperimentConfig.parse(yaml, path: RunFiles.config).runs.first else {
            return .failure(AnalysisError("\(RunFiles.config) is not a valid config for this vanish"))
        }
        guard let text = try? String(contentsOf: directory.appendingPathComponent(RunFiles.metrics), encoding: .utf8),
              let metrics = MetricRow.rows(csv: text) else {
            return .failure(AnalysisError("\(RunFiles.metrics) does not parse"))
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        let iterations = names.compactMap(RunFiles.logGradientNormsIteration).sorted()
        var snapshots: [GradientSnapshot] = []
        for iteration in iterations {
            let name = RunFiles.logGradientNorms(iteration: iteration)
            let cellName = RunFiles.cellLogGradientNorms(iteration: iteration)
            guard let logNorms = Self.blockRows(directory, name) else {
                return .failure(AnalysisError("\(name) is not a (blocks, T) float64 array"))
            }
            var cellLogNorms: [[Double]]?
            if names.contains(cellName) {
                guard let rows = Self.blockRows(directory, cellName) else {
                    return .failure(AnalysisError("\(cellName) is not a (blocks, T) float64 array"))
                }
                cellLogNorms = rows
            }
            snapshots.append(GradientSnapshot(iteration: iteration, logNorms: logNorms, cellLogNorms: cellLogNorms))
        }
        return .success(StoredRun(summary: summary, configuration: configuration, metrics: metrics,
                                  gradientSnapshots: snapshots, directory: directory, fileNames: names))
    }

    /// A (blocks, T) float64 probe array of a run directory, one row per block; nil when the
    /// file is not one.
    private static func blockRows(_ directory: URL, _ name: String) -> [[Double]]? {
        guard let array = try? Npy.read(directory.appendingPathComponent(name)), case .float64(let values) = array.storage,
              array.shape.count == 2, array.shape[0] >= 1 else { return nil }
        let steps = array.shape[1]
        return (0..<array.shape[0]).map { Array(values[$0 * steps..<($0 + 1) * steps]) }
    }
}

extension RunStore {
    /// Whether a directory is an experiment's directory in a run store: it has a sweep plan,
    /// or a run directory with a summary. Commands that read a store refuse any other
    /// directory rather than report on it as an empty sweep.
    public static func isExperimentDirectory(_ directory: URL) -> Bool {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.appendingPathComponent(SweepPlan.fileName).path) { return true }
        return runDirectoryNames(in: directory).contains {
            manager.fileExists(atPath: directory.appendingPathComponent($0).appendingPathComponent(RunFiles.summary).path)
        }
    }
}
