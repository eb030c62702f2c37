import AtomicIO
import Foundation
import Recurrence

/// `plan.json` in an experiment's store directory: every run a sweep of it is to produce,
/// with its variant, its shard and what it is (`Entry`), so that `status` can say what is
/// missing (per shard), `plot` can refuse an incomplete store and `runs.csv` can list every
/// run. Every sweep writes it before running anything, each shard of an array the same bytes
/// (the whole run list and the whole split, nothing about the writer), so shards writing it
/// at once, atomically, leave one valid file.
///
/// One plan per experiment: the latest sweep's. A sweep with another run list (an edited
/// config) or another shard count replaces it; an unsharded sweep of the same runs keeps a
/// sharded plan's split, so that running one locally does not hide a cluster array's split.
/// Runs in the store that the plan does not list (from an earlier config) are counted apart.
public struct SweepPlan: Codable, Equatable, Sendable {
    public let experiment: String
    public let shardCount: Int
    /// In the sweep's expansion order.
    public let runs: [Entry]

    public static let fileName = "plan.json"

    /// The plan of `runs` (one experiment's) split into `shardCount` shards.
    public init(experiment: String, runs: [RunConfiguration], shardCount: Int) {
        let assignment = ShardAssignment(runs, count: shardCount)
        self.experiment = experiment
        self.shardCount = shardCount
        self.runs = runs.indices.map { Entry(runs[$0], shard: assignment.shards[$0]) }
    }

    /// The plan in an experiment's store directory, or nil when there is none.
    /// - Throws: `AnalysisError` when the file is there but cannot be read as a plan.
    public static func read(experimentDirectory directory: URL) throws(AnalysisError) -> SweepPlan? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try ToolJSON.decode(SweepPlan.self, from: Data(contentsOf: url))
        } catch {
            throw AnalysisError("\(url.path): not a readable sweep plan (\(error.localizedDescription)); a sweep of the config rewrites it")
        }
    }

    private init(experiment: String, shardCount: Int, runs: [Entry]) {
        self.experiment = experiment
        self.shardCount = shardCount
        self.runs = runs
    }

    /// Writes the plan into `<root>/<experiment>/plan.json`, unless the plan there already
    /// says the same. An unsharded sweep of the runs a sharded plan lists keeps that plan's
    /// split, and only fills in what a plan of an earlier version does not say about its runs.
    /// - Throws: `FileFormatError` naming the file, when the store cannot be written (read-only,
    ///   full): a sweep stops there, before training anything.
    public func write(into store: RunStore) throws(FileFormatError) {
        let directory = store.root.appendingPathComponent(experiment)
        let existing = try? Self.read(experimentDirectory: directory)
        var plan = self
        if let existing, shardCount == 1, existing.runs.map(\.id) == runs.map(\.id) {
            // The same bytes as the array's shards write: an entry's description is a function of its id.
            plan = SweepPlan(experiment: experiment, shardCount: existing.shardCount,
                             runs: zip(runs, existing.runs).map { ours, theirs in ours.moved(to: theirs.shard) })
        }
        if existing == plan { return }
        try DirectoryCreation.create(directory)
        try AtomicFile.write(plan.json, to: directory.appendingPathComponent(Self.fileName))
    }

    private var json: Data {
        // Plain strings and integers: encoding cannot fail.
        try! ToolJSON.encode(self)
    }
}
