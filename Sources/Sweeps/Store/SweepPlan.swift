import AtomicIO
import Foundation
import Recurrence

/// `plan.json` in an experiment's store directory: every run a sweep of it is to produce,
/// with its variant and its shard, so that `status` can say what is missing (per shard) and
/// `plot` can refuse an incomplete store. Every sweep writes it before running anything, each
/// shard of an array the same bytes (the whole run list and the whole split, nothing about
/// the writer), so shards writing it at once, atomically, leave one valid file.
///
/// One plan per experiment: the latest sweep's. A sweep with another run list (an edited
/// config) or another shard count replaces it; an unsharded sweep of the same runs leaves a
/// sharded plan as it is, so that running one locally does not hide a cluster array's split.
/// Runs in the store that the plan does not list (from an earlier config) are counted apart.
public struct SweepPlan: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public let id: String
        public let variant: String?
        public let shard: Int
    }

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
        self.runs = runs.indices.map { Entry(id: runs[$0].id, variant: runs[$0].variant, shard: assignment.shards[$0]) }
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

    /// Writes the plan into `<root>/<experiment>/plan.json`, unless the plan there already
    /// says the same (or is a sharded split of the same runs and this one is unsharded).
    /// - Throws: `FileFormatError` naming the file, when the store cannot be written (read-only,
    ///   full): a sweep stops there, before training anything.
    public func write(into store: RunStore) throws(FileFormatError) {
        let directory = store.root.appendingPathComponent(experiment)
        let existing = try? Self.read(experimentDirectory: directory)
        if let existing, existing == self || (shardCount == 1 && existing.runs.map(\.id) == runs.map(\.id)) { return }
        let url = directory.appendingPathComponent(Self.fileName)
        try DirectoryCreation.create(directory)
        try AtomicFile.write(json, to: url)
    }

    private var json: Data {
        // Plain strings and integers: encoding cannot fail.
        try! ToolJSON.encode(self)
    }
}
