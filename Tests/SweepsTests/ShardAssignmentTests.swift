import Sweeps
import Foundation
import Testing

/// Splitting a sweep into shards: complete, disjoint, the same in every process, balanced.
@Suite("Shard assignment")
struct ShardAssignmentTests {
    /// 3 variants × 4 lengths × 3 sizes × 2 seeds = 72 runs of very different costs.
    static let runs = try! ExperimentConfig.parse("""
        name: shards
        seeds: 2
        task: {name: adding, sequence_length: 10}
        training: {iterations: 100}
        sweep:
          sequence_length: [10, 20, 50, 200]
          hidden_size: [8, 32, 128]
        variants:
          tanh: {}
          irnn: {nonlinearity: relu, init: eye}
          deep: {num_layers: 2, bidirectional: true}
        """, path: "shards.yaml").runs

    @Test("every run is in exactly one shard, whatever the shard count", arguments: [1, 2, 3, 4, 7, 72, 100])
    func partition(count: Int) {
        let assignment = ShardAssignment(Self.runs, count: count)
        let shards = (0..<count).map { assignment.runs(inShard: $0).map(\.id) }
        let all = shards.flatMap { $0 }
        #expect(all.count == Self.runs.count)
        #expect(Set(all) == Set(Self.runs.map(\.id)))
        #expect(assignment.shards.allSatisfy { (0..<count).contains($0) })
    }

    @Test("the assignment depends on the runs alone, not on their order or the process")
    func deterministic() {
        let first = ShardAssignment(Self.runs, count: 5)
        var generator = SystemRandomNumberGenerator()
        let shuffled = ShardAssignment(Self.runs.shuffled(using: &generator), count: 5)
        for shard in 0..<5 {
            #expect(Set(first.runs(inShard: shard).map(\.id)) == Set(shuffled.runs(inShard: shard).map(\.id)))
        }
        #expect(first.shards == ShardAssignment(Self.runs, count: 5).shards)
    }

    @Test("the heaviest shard carries at most the mean load plus the costliest run", arguments: [2, 3, 5, 8])
    func balanced(count: Int) {
        let assignment = ShardAssignment(Self.runs, count: count)
        let costs = Self.runs.map(\.estimatedCost)
        let mean = costs.reduce(0, +) / Double(count)
        #expect(assignment.loads.max()! <= mean + costs.max()!)
        // Longest-first is within 4/3 of the best split, which is at least the mean and the costliest run.
        #expect(assignment.loads.max()! <= 4 / 3 * max(mean, costs.max()!), "\(assignment.loads.map { $0 / mean })")
        for shard in 0..<count {
            let load = assignment.runs(inShard: shard).map(\.estimatedCost).reduce(0, +)
            #expect(abs(load - assignment.loads[shard]) <= 1e-9 * load)
        }
    }

    @Test("more shards than runs: the extra shards are empty")
    func emptyShards() {
        let few = Array(Self.runs.prefix(3))
        let assignment = ShardAssignment(few, count: 5)
        #expect((0..<3).allSatisfy { assignment.runs(inShard: $0).count == 1 })
        #expect(assignment.runs(inShard: 3).isEmpty && assignment.runs(inShard: 4).isEmpty)
    }

    @Test("the cost estimate grows with length, size, layers, directions and iterations")
    func costOrdering() throws {
        func cost(_ settings: String) throws -> Double {
            try ExperimentConfig.parse("task: {name: adding, sequence_length: 10}\n" + settings, path: "c.yaml").runs[0].estimatedCost
        }
        let base = try cost("model: {hidden_size: 16}")
        #expect(try cost("model: {hidden_size: 32}") > 3 * base)
        #expect(try cost("model: {hidden_size: 16}\ntraining: {iterations: 2000}") > 1.9 * base)
        #expect(try cost("model: {hidden_size: 16, num_layers: 2}") > 1.9 * base)
        #expect(try cost("model: {hidden_size: 16, bidirectional: true}") > 1.9 * base)
        #expect(try ExperimentConfig.parse("task: {name: adding, sequence_length: 40}\nmodel: {hidden_size: 16}",
                                           path: "c.yaml").runs[0].estimatedCost > 3.9 * base)
    }

    @Test("--shard K/N and --shard slurm: valid forms and one-line errors", arguments: [
        ("0/4", [:], "0/4"), ("3/4", [:], "3/4"),
        ("slurm", ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"], "2/4"),
        ("4/4", [:], "K must be from 0 to 3"), ("-1/4", [:], "K must be from 0 to 3"), ("0/0", [:], "N must be at least 1"),
        ("1", [:], "expected K/N"), ("a/b", [:], "expected K/N"), ("1/2/3", [:], "expected K/N"), ("", [:], "expected K/N"),
        ("slurm", [:], "SLURM_ARRAY_TASK_ID is not set"),
        ("slurm", ["SLURM_ARRAY_TASK_ID": "1"], "SLURM_ARRAY_TASK_COUNT is not set"),
        ("slurm", ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "4"], "SLURM_ARRAY_TASK_ID='x' is not a non-negative integer"),
        ("slurm", ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1"], "give the shard as --shard K/N"),
    ] as [(String, [String: String], String)])
    func parsing(text: String, environment: [String: String], expected: String) {
        do {
            let shard = try Shard(parsing: text, environment: environment)
            #expect(shard.description == expected)
        } catch {
            #expect(!expected.first!.isNumber, "\(text) is valid: \(error.message)")
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
    }
}
