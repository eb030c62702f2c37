import Foundation

extension RunConfiguration {
    /// A run's compute, in multiply-adds up to a constant factor: what splitting a sweep into
    /// shards balances. Training steps (forward and backward, about 3 passes) plus held-out
    /// evaluations (forward only, one pass), each T·N·Σₗ D·H·(inₗ + H) with in₀ = I and
    /// inₗ = D·H above; Double counts twice. It only has to rank runs and add up, not predict
    /// seconds, so probes and the readout are left out.
    public var estimatedCost: Double {
        let task = try? TaskCatalog.make(name: self.task.name, sequenceLength: self.task.sequenceLength,
                                         parameters: self.task.parameters)
        let steps = Double(task?.steps ?? self.task.sequenceLength)
        let inputSize = Double(task?.inputSize ?? 1)
        let hidden = Double(model.hiddenSize)
        let directions = model.bidirectional ? 2.0 : 1.0
        var perSequenceStep = 0.0
        for layer in 0..<model.numLayers {
            let input = layer == 0 ? inputSize : directions * hidden
            perSequenceStep += directions * hidden * (input + hidden)
        }
        let evaluations = Double(training.iterations / training.evalInterval + 1)
        let passes = 3 * Double(training.iterations) * Double(training.batchSize) + evaluations * Double(training.evalSize)
        return passes * steps * perSequenceStep * (model.double ? 2 : 1)
    }

    /// The runs' indices from the costliest to the cheapest, equal costs in run-id order, each
    /// with its cost (estimated once per run): the order in which to hand runs out, so that
    /// the last to start are the short ones.
    public static func costliestFirst(_ runs: [RunConfiguration]) -> [(index: Int, cost: Double)] {
        let costs = runs.map(\.estimatedCost)
        return runs.indices
            .sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : runs[$0].id < runs[$1].id }
            .map { ($0, costs[$0]) }
    }
}
