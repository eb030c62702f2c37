/// Splits a sweep's runs among N shards (`vanish sweep --shard K/N`), balanced by
/// `RunConfiguration.estimatedCost`: longest first, each onto the least-loaded shard
/// (Graham's LPT rule), equal costs in run-id order and equal loads to the lower shard.
/// Every process that expands the same config computes the same assignment, with no
/// coordination, so shards of a Slurm array never overlap and never miss a run.
///
/// The heaviest shard carries at most the mean load plus the costliest run (and at most
/// 4/3 of the best possible split). With more shards than runs, the extra shards are empty.
public struct ShardAssignment: Sendable {
    public let runs: [RunConfiguration]
    public let count: Int
    /// The shard of each run, in the order of `runs`.
    public let shards: [Int]
    /// Each shard's summed estimated cost.
    public let loads: [Double]

    /// - Precondition: `count ≥ 1`.
    public init(_ runs: [RunConfiguration], count: Int) {
        precondition(count >= 1, "a sweep has at least one shard")
        self.runs = runs
        self.count = count
        var shards = [Int](repeating: 0, count: runs.count)
        var loads = [Double](repeating: 0, count: count)
        for (run, cost) in RunConfiguration.costliestFirst(runs) {
            // min(by:) keeps the first of equal loads: the lowest shard index.
            let lightest = loads.indices.min { loads[$0] < loads[$1] }!
            shards[run] = lightest
            loads[lightest] += cost
        }
        self.shards = shards
        self.loads = loads
    }

    /// The runs of one shard, in the sweep's own order.
    public func runs(inShard shard: Int) -> [RunConfiguration] {
        runs.indices.filter { shards[$0] == shard }.map { runs[$0] }
    }
}
