import Foundation
import Sweeps
import TestSupport
import Testing

/// plan.json: what a sweep is to produce, per shard, and what `status` makes of it.
@Suite("Sweep plans")
struct SweepPlanTests {
    let config = try! ExperimentConfig.parse(SweepTests.tinySweep, path: "tiny.yaml")

    private func planURL(_ root: URL) -> URL { root.appendingPathComponent("tiny/plan.json") }

    @Test("a plan lists every run once with its variant and shard, and reads back equal")
    func roundTrip() throws {
        let root = try makeTemporaryDirectory("plan")
        defer { try? FileManager.default.removeItem(at: root) }
        let plan = SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 3)
        try plan.write(into: RunStore(root: root))
        let read = try #require(try SweepPlan.read(experimentDirectory: root.appendingPathComponent("tiny")))
        #expect(read == plan)
        #expect(read.runs.map(\.id) == config.runs.map(\.id))
        #expect(read.runs.map(\.variant) == config.runs.map(\.variant))
        #expect(read.runs.map(\.shard) == ShardAssignment(config.runs, count: 3).shards)
        // The file is JSON a user can read: snake_case keys.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: planURL(root))) as? [String: Any])
        #expect(json["shard_count"] as? Int == 3 && (json["runs"] as? [Any])?.count == 8)
    }

    @Test("every shard writes the same bytes; another split or another run list replaces the plan, an unsharded sweep of the same runs does not")
    func replacementRules() throws {
        let root = try makeTemporaryDirectory("plan-rules")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 4).write(into: store)
        let first = try Data(contentsOf: planURL(root))
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 4).write(into: store)
        #expect(try Data(contentsOf: planURL(root)) == first)
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 1).write(into: store)
        #expect(try SweepPlan.read(experimentDirectory: root.appendingPathComponent("tiny"))?.shardCount == 4,
                "a local sweep of the same runs keeps the array's split")
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 2).write(into: store)
        #expect(try SweepPlan.read(experimentDirectory: root.appendingPathComponent("tiny"))?.shardCount == 2)
        try SweepPlan(experiment: "tiny", runs: Array(config.runs.prefix(3)), shardCount: 1).write(into: store)
        let edited = try #require(try SweepPlan.read(experimentDirectory: root.appendingPathComponent("tiny")))
        #expect(edited.shardCount == 1 && edited.runs.count == 3)
    }

    @Test("each entry says what its run is; a plan without that (vanish 0.1.0) gains it from the next sweep and keeps its split")
    func descriptions() throws {
        let root = try makeTemporaryDirectory("plan-describe")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 4).write(into: store)
        let plan = try #require(try SweepPlan.read(experimentDirectory: root.appendingPathComponent("tiny")))
        for (entry, run) in zip(plan.runs, config.runs) {
            #expect(entry.seed == run.seed && entry.task == "recall" && entry.sequenceLength == run.task.sequenceLength)
            #expect(entry.cell == "rnn" && entry.nonlinearity == run.model.nonlinearity.rawValue)
            #expect(entry.initialization == run.initializationLabel && entry.hiddenSize == 8)
        }
        // Every key in every entry, `init` spelled as configs spell it.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: planURL(root))) as? [String: Any])
        let entries = try #require(json["runs"] as? [[String: Any]])
        #expect(entries.allSatisfy { Set($0.keys) == ["id", "variant", "shard", "seed", "task", "sequence_length", "cell",
                                                      "nonlinearity", "init", "hidden_size"] })

        // The plan as vanish 0.1.0 wrote it: id, variant and shard only.
        let old = entries.map { $0.filter { ["id", "variant", "shard"].contains($0.key) } }
        try JSONSerialization.data(withJSONObject: ["experiment": "tiny", "shard_count": 4, "runs": old]).write(to: planURL(root))
        let read = try #require(try SweepPlan.read(experimentDirectory: root.appendingPathComponent("tiny")))
        #expect(read.runs.allSatisfy { $0.seed == nil && $0.task == nil && $0.initialization == nil })
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 1).write(into: store)
        #expect(try SweepPlan.read(experimentDirectory: root.appendingPathComponent("tiny")) == plan,
                "an unsharded sweep fills in the descriptions, as the array's shards would write them")
    }

    @Test("status with a plan: per shard done and missing, the missing runs listed, the plan itself never a run")
    func statusPerShard() throws {
        let root = try makeTemporaryDirectory("plan-status")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        let assignment = ShardAssignment(config.runs, count: 2)
        try SweepPlan(experiment: "tiny", runs: config.runs, shardCount: 2).write(into: store)
        let shard0 = assignment.runs(inShard: 0)
        let outcome = SweepRunner(store: store, jobs: 2, showsProgress: false).run(shard0)
        #expect(outcome.completed.count == shard0.count)
        let status = try StoreStatus(directory: root.appendingPathComponent("tiny"))
        let done = try #require(status.shardCounts[0])
        #expect(done.done == shard0.count && done.total == shard0.count)
        #expect(status.shardCounts[1]?.missing == assignment.runs(inShard: 1).count && status.shardCounts[1]?.done == 0)
        #expect(status.counts.values.map(\.corrupt).reduce(0, +) == 0, "plan.json is not a corrupt run")
        #expect(Set(status.unfinished.map(\.run)) == Set(assignment.runs(inShard: 1).map(\.id)))
        #expect(status.unfinished.allSatisfy { $0.shard == 1 && $0.state == .missing })
        let table = status.table
        #expect(table.contains("\(shard0.count) of 8 planned runs done"))
        for run in assignment.runs(inShard: 1) { #expect(table.contains("\(run.id) (shard 1 of 2)")) }
        #expect(throws: AnalysisError.self) { try StoreCompleteness.requirePlanned(root.appendingPathComponent("tiny")) }

        _ = SweepRunner(store: store, jobs: 2, showsProgress: false).run(assignment.runs(inShard: 1))
        let complete = try StoreStatus(directory: root.appendingPathComponent("tiny"))
        #expect(complete.unfinished.isEmpty && complete.shardCounts.values.map(\.done).reduce(0, +) == 8)
        try StoreCompleteness.requirePlanned(root.appendingPathComponent("tiny"))
    }

    @Test("a run is counted once: a corrupt directory with a failure note is corrupt, not also failed")
    func statesAreExclusive() throws {
        let root = try makeTemporaryDirectory("plan-exclusive")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = RunStore(root: root)
        let run = config.runs[0]
        try SweepPlan(experiment: "tiny", runs: [run], shardCount: 1).write(into: store)
        _ = SweepRunner(store: store, jobs: 1, showsProgress: false).run([run])
        try FileManager.default.removeItem(at: store.directory(for: run).appendingPathComponent("metrics.csv"))
        store.recordFailure(of: run, message: "earlier failure")
        let status = try StoreStatus(directory: root.appendingPathComponent("tiny"))
        #expect(status.counts["tanh"]?.corrupt == 1 && status.counts["tanh"]?.total == 1)
        #expect(status.unfinished.map(\.state) == [.corrupt])
    }

    @Test("an unreadable plan is an error naming it")
    func unreadablePlan() throws {
        let root = try makeTemporaryDirectory("plan-bad")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("tiny"), withIntermediateDirectories: true)
        try Data("{".utf8).write(to: planURL(root))
        #expect { try StoreStatus(directory: root.appendingPathComponent("tiny")) } throws: { error in
            "\(error)".contains("plan.json") && !"\(error)".contains("\n")
        }
    }
}
