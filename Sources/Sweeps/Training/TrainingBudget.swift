/// A run too large to allocate, caught before anything is allocated.
public struct TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// The sizes a run will allocate, checked without overflow against a budget, so that an
/// absurd config fails with a message instead of trapping or exhausting memory.
enum TrainingBudget {
    /// Scalars of the largest buffers together (activations of the biggest batch, weights).
    static let maximumScalars = 2_000_000_000

    static func check(_ configuration: RunConfiguration, task: any SequenceTask) throws(TrainingError) {
        let model = configuration.model
        let directions = model.bidirectional ? 2 : 1
        let batch = max(configuration.training.batchSize, configuration.training.evalSize, configuration.probes.batchSize)
        let width = max(task.inputSize, directions * model.hiddenSize, task.outputSize)
        let factors: [(String, [Int])] = [
            ("activations T·N·width·layers", [task.steps + 1, batch, width, model.numLayers * directions + 3]),
            ("recurrent weights layers·D·H²", [model.numLayers, directions, model.hiddenSize, model.hiddenSize]),
            ("input weights D·H·width", [directions, model.hiddenSize, width]),
        ]
        for (what, sizes) in factors {
            var product = 1
            for size in sizes {
                let (next, overflow) = product.multipliedReportingOverflow(by: size)
                guard !overflow, next <= maximumScalars else {
                    throw TrainingError(message: "run \(configuration.id): \(what) = \(sizes.map(String.init).joined(separator: "·")) "
                                        + "exceeds the \(maximumScalars)-scalar budget; reduce the sizes")
                }
                product = next
            }
        }
    }
}
