import RealModule
import Recurrence

/// Delayed recall, a per-timestep task: a loss −log p(y_t | x_≤t) at every labelled step.
///
/// Every step carries a random symbol, one-hot over K. The delay d is the sequence length
/// the user sets; steps = d + `length`. At each step t ≥ d the target is the symbol seen at
/// t − d (label −1 for t < d), so there are `length` labelled steps, each exactly d steps
/// from its evidence, which is what the matrix ‖∂L_t/∂h_k‖ over (t, k) is drawn from.
/// Training uses the mean of the per-step losses over labelled positions (the sum Σ_t
/// divided by their number, so the learning rate does not depend on `length`); baseline
/// ln K, chance 1/K.
public struct DelayedRecallTask: SequenceTask {
    /// d, the delay (`sequence_length`, ≥ 1).
    public let dependencyLength: Int
    /// K, the number of symbols (≥ 2; default 8).
    public let symbols: Int
    /// The number of labelled steps after the first d (≥ 1; default 20).
    public let length: Int

    /// - Parameters:
    ///   - sequenceLength: the delay d ≥ 1.
    ///   - symbols: K ≥ 2.
    ///   - length: the labelled steps, ≥ 1; steps = d + length.
    public init(sequenceLength: Int, symbols: Int = 8, length: Int = 20) throws(TaskError) {
        try TaskError.check(
            sequenceLength, atLeast: 1, task: "delayed-recall", parameter: "sequence_length")
        try TaskError.check(symbols, atLeast: 2, task: "delayed-recall", parameter: "symbols")
        try TaskError.check(length, atLeast: 1, task: "delayed-recall", parameter: "length")
        dependencyLength = sequenceLength
        self.symbols = symbols
        self.length = length
    }

    public var name: String { "delayed-recall" }
    /// The delay.
    public var delay: Int { dependencyLength }
    public var steps: Int { dependencyLength + length }
    public var inputSize: Int { symbols }
    public var outputSize: Int { symbols }
    public var baselineLoss: Double { Double.log(Double(symbols)) }
    public var chanceAccuracy: Double? { 1 / Double(symbols) }
    public var parameters: [String: TaskParameter] {
        ["symbols": .int(symbols), "length": .int(length)]
    }

    /// Per sample: the symbol at each step, in order.
    public func batch(size: Int, using generator: inout SeededGenerator) -> TaskBatch {
        let (T, N, I) = (steps, size, inputSize)
        var inputs = [Double](repeating: 0, count: T * N * I)
        var labels = [Int](repeating: -1, count: T * N)
        for n in 0..<N {
            for t in 0..<T {
                let symbol = generator.nextIndex(below: symbols)
                inputs[(t * N + n) * I + symbol] = 1
                if t + delay < T { labels[(t + delay) * N + n] = symbol }
            }
        }
        return TaskBatch(
            steps: T, batch: N, inputSize: I, inputs: inputs, target: .classification(labels))
    }
}
